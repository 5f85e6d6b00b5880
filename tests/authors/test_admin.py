"""The author admin, its autocomplete, and the bylines inline of the article form."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from articles.models import Article
from authors.admin import BylineInline
from authors.models import Author, Byline
from tests.articles.adminforms import change_url, form_data
from tests.authors.factories import make_author

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/articles/article/add/"


def with_bylines(data, *rows, initial=0):
    """`data` plus the inline's rows: (author, position[, byline id])."""
    data = {**data, "bylines-TOTAL_FORMS": str(len(rows)), "bylines-INITIAL_FORMS": str(initial)}
    for n, row in enumerate(rows):
        data[f"bylines-{n}-author"] = row[0].pk
        data[f"bylines-{n}-position"] = row[1]
        if len(row) > 2:
            data[f"bylines-{n}-id"] = row[2]
            data[f"bylines-{n}-article"] = row[3]
    return data


def test_a_writers_new_article_offers_their_author_profile_as_first_byline(writer_client, writer):
    own = make_author("wanda-w", name="Wanda W", user=writer)
    form = writer_client.get(ADD_URL).context["inline_admin_formsets"][0].formset.forms[0]
    assert form.initial["author"] == own.pk
    # Left as offered, it is posted as it was rendered, and saved.
    response = writer_client.post(ADD_URL, with_bylines(form_data(title="Floods"), (own, 0)))
    assert response.status_code == 302
    article = Article.objects.get(title="Floods")
    assert [byline.author for byline in article.bylines.all()] == [own]


def test_a_writer_without_an_active_profile_gets_no_default_byline(writer_client, writer):
    make_author("former", user=writer, active=False)
    form = writer_client.get(ADD_URL).context["inline_admin_formsets"][0].formset.forms[0]
    assert "author" not in form.initial
    assert writer_client.post(ADD_URL, form_data(title="Unsigned")).status_code == 302
    assert not Byline.objects.exists()


def test_an_editor_reorders_the_bylines(editor_client, writer_article):
    ann, bo = make_author("ann"), make_author("bo")
    first = Byline.objects.create(article=writer_article, author=ann, position=0)
    second = Byline.objects.create(article=writer_article, author=bo, position=1)
    data = with_bylines(
        form_data(writer_article, editor=True),
        (ann, 2, first.pk, writer_article.pk), (bo, 1, second.pk, writer_article.pk), initial=2,
    )
    response = editor_client.post(change_url(writer_article), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert [byline.author.slug for byline in writer_article.bylines.all()] == ["bo", "ann"]


def test_the_same_author_twice_is_refused(editor_client, writer_article):
    ann = make_author("ann")
    response = editor_client.post(
        change_url(writer_article), with_bylines(form_data(writer_article, editor=True), (ann, 0), (ann, 1))
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for author" in response.content.decode()
    assert not Byline.objects.exists()


def test_bylines_follow_the_articles_edit_permission(writer, other_writer, writer_article):
    inline = BylineInline(Article, site)
    request = RequestFactory().get("/")
    request.user = writer
    assert inline.has_change_permission(request, writer_article)
    writer_article.status = Article.Status.IN_REVIEW
    assert not inline.has_change_permission(request, writer_article)
    request.user = other_writer
    assert not inline.has_view_permission(request, writer_article)


def test_author_admin_search_and_byline_autocomplete_offer_active_authors(editor_client):
    make_author("ann-lee", name="Ann Lee", role="Economics editor")
    make_author("ann-old", name="Ann Old", active=False)
    listing = editor_client.get("/admin/authors/author/", {"q": "economics"})
    assert [author.slug for author in listing.context["cl"].result_list] == ["ann-lee"]
    found = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "authors", "model_name": "byline", "field_name": "author", "term": "ann"},
    ).json()["results"]
    assert [item["text"] for item in found] == ["Ann Lee"]


def test_author_form_takes_links_one_per_line_and_refuses_others(editor_client):
    data = {"name": "Ann Lee", "slug": "ann-lee", "role": "", "bio_markdown": "Hi.", "photo": "", "user": "",
            "active": "on", "links": "https://ann.example\n\nhttps://social.example/ann\n"}
    assert editor_client.post("/admin/authors/author/add/", data).status_code == 302
    assert Author.objects.get().links == ["https://ann.example", "https://social.example/ann"]
    response = editor_client.post("/admin/authors/author/add/", {**data, "slug": "x", "links": "javascript:alert(1)"})
    assert response.status_code == 200 and Author.objects.count() == 1


@pytest.mark.parametrize(("slug", "error"), [
    ("ann-lee", "Author with this Slug already exists."),
    ("Ann-Lee", "Write the slug as 'ann-lee'."),  # not a second ann-lee at a URL of its own
    ("ann--lee", "Write the slug as 'ann-lee'."),
])
def test_a_second_author_with_an_existing_slug_is_a_form_error(editor_client, slug, error):
    make_author("ann-lee", name="Ann Lee")
    data = {"name": "Ann Lee", "slug": slug, "role": "", "bio_markdown": "", "photo": "", "user": "",
            "active": "on", "links": ""}
    response = editor_client.post("/admin/authors/author/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"slug": [error]}
    assert Author.objects.count() == 1
