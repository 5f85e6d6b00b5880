"""Bylines and translators on /api/v1/articles/, the `?author=` filter, and /api/v1/authors/: shapes, counts,
query counts."""

from datetime import timedelta

import pytest

from articles.models import Article
from authors.models import Byline, TranslatorCredit
from edge import generation
from tests.articles.api_factories import make_article, stored_image
from tests.authors.factories import make_author, signed

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def ann():
    return make_author(
        "ann-lee", name="Ann Lee", role="Economics editor", bio_markdown="Covers *trade*.<script>x</script>",
        links=["https://ann.example", "https://social.example/ann"], photo=stored_image("blue", alt="Ann"),
    )


@pytest.fixture
def bo():
    return make_author("bo-chan", name="Bo Chan")


def test_list_and_detail_carry_the_bylines_in_order(api_client, ann, bo):
    article = signed("Port traffic rises", bo, ann, credit_line="Reporting by AFP")
    [item] = api_client.get("/api/v1/articles/").json()["results"]
    assert item["authors"] == [
        {"slug": "bo-chan", "name": "Bo Chan", "url": "http://testserver/api/v1/authors/bo-chan/"},
        {"slug": "ann-lee", "name": "Ann Lee", "url": "http://testserver/api/v1/authors/ann-lee/"},
    ]
    assert item["credit_line"] == "Reporting by AFP"
    detail = api_client.get(f"/api/v1/articles/{article.code}/").json()
    bo_item, ann_item = detail["authors"]
    assert (bo_item["role"], bo_item["photo"]) == ("", None)
    assert ann_item["role"] == "Economics editor"
    assert ann_item["photo"]["alt"] == "Ann" and ann_item["photo"]["renditions"]["thumb"]["width"] == 64


def translated(article, *authors):
    for position, author in enumerate(authors):
        TranslatorCredit.objects.create(article=article, author=author, position=position)
    return article


def test_list_and_detail_carry_the_translators_in_order_and_link_only_public_authors(api_client, ann, bo):
    """A translator is credited, not an author: one who signs no published article (only a translation, a draft,
    an article still scheduled) keeps their author page hidden, so their `url` is null."""
    drafty, scheduled = make_author("drafty"), make_author("later")
    only_translates = make_author("cy-dee", name="Cy Dee")
    signed("Draft", drafty, status=Status.DRAFT, ago=None)
    signed("Tomorrow", scheduled, status=Status.SCHEDULED, ago=-timedelta(days=1))
    article = translated(signed("Port traffic rises", bo), only_translates, ann, drafty, scheduled)
    signed("Ann's own", ann)
    api = "http://testserver/api/v1"
    expected = [
        {"slug": "cy-dee", "name": "Cy Dee", "url": None},
        {"slug": "ann-lee", "name": "Ann Lee", "url": f"{api}/authors/ann-lee/"},
        {"slug": "drafty", "name": "Drafty", "url": None},
        {"slug": "later", "name": "Later", "url": None},
    ]
    item = next(item for item in api_client.get("/api/v1/articles/").json()["results"] if item["code"] == article.code)
    detail = api_client.get(f"/api/v1/articles/{article.code}/").json()
    assert item["translators"] == detail["translators"] == expected
    assert [author["slug"] for author in detail["authors"]] == ["bo-chan"]  # a translator is not an author
    for hidden in ("cy-dee", "drafty", "later"):  # translating does not make an author public
        assert api_client.get(f"/api/v1/authors/{hidden}/").status_code == 404
        assert api_client.get("/api/v1/articles/", {"author": hidden}).json()["results"] == []
    assert [a["slug"] for a in api_client.get("/api/v1/authors/").json()["results"]] == ["ann-lee", "bo-chan"]
    TranslatorCredit.objects.filter(author=ann).update(position=9)
    assert [t["slug"] for t in api_client.get(f"/api/v1/articles/{article.code}/").json()["translators"]] == [
        "cy-dee", "drafty", "later", "ann-lee"]


def test_reordering_bylines_reorders_the_authors(api_client, ann, bo):
    article = signed("Story", ann, bo)
    Byline.objects.filter(article=article, author=ann).update(position=5)
    detail = api_client.get(f"/api/v1/articles/{article.code}/").json()
    assert [author["slug"] for author in detail["authors"]] == ["bo-chan", "ann-lee"]


def test_author_filter_lists_their_published_articles_only(api_client, ann, bo):
    both = signed("Both", ann, bo, ago=timedelta(hours=1))
    only_ann = signed("Ann alone", ann, ago=timedelta(hours=2))
    signed("Bo alone", bo)
    signed("Ann's draft", ann, status=Status.DRAFT)
    results = api_client.get("/api/v1/articles/", {"author": "ann-lee"}).json()["results"]
    assert [item["code"] for item in results] == [both.code, only_ann.code]
    assert api_client.get("/api/v1/articles/", {"author": "nobody"}).json()["results"] == []
    combined = api_client.get("/api/v1/articles/", {"author": "ann-lee", "search": "alone"}).json()["results"]
    assert [item["code"] for item in combined] == [only_ann.code]


def test_authors_list_has_counts_and_only_authors_with_a_published_article(api_client, ann, bo):
    signed("One", ann, bo)
    signed("Two", ann)
    signed("Scheduled", bo, status=Status.SCHEDULED, ago=-timedelta(days=1))
    drafts_only = make_author("drafty")
    signed("Draft", drafts_only, status=Status.DRAFT)
    make_author("no-articles")
    body = api_client.get("/api/v1/authors/").json()
    assert set(body) == {"next", "previous", "results"}
    assert [(a["slug"], a["article_count"]) for a in body["results"]] == [("ann-lee", 2), ("bo-chan", 1)]
    first = body["results"][0]
    assert set(first) == {"slug", "name", "role", "photo", "article_count", "url"}
    assert first["url"] == "http://testserver/api/v1/authors/ann-lee/"


def test_author_detail_has_bio_links_and_its_articles_link(api_client, ann):
    signed("One", ann)
    body = api_client.get("/api/v1/authors/ann-lee/").json()
    assert body["bio_html"] == "<p>Covers <em>trade</em>.</p>\n"  # the script is gone
    assert body["links"] == ["https://ann.example", "https://social.example/ann"]
    assert body["article_count"] == 1
    assert body["photo"]["alt"] == "Ann"
    assert body["articles"] == "http://testserver/api/v1/articles/?author=ann-lee"
    assert api_client.get(body["articles"]).json()["results"][0]["title"] == "One"


def test_an_author_without_a_published_article_is_the_same_404_as_none(api_client, ann):
    signed("Archived", ann, status=Status.ARCHIVED)
    hidden, missing = api_client.get("/api/v1/authors/ann-lee/"), api_client.get("/api/v1/authors/nobody/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_authors_list_pages_by_name(api_client):
    for n in range(5):
        signed(f"Story {n}", make_author(f"writer-{n}"))
    first = api_client.get("/api/v1/authors/", {"page_size": 3}).json()
    second = api_client.get(first["next"]).json()
    assert [a["slug"] for a in first["results"] + second["results"]] == [f"writer-{n}" for n in range(5)]
    assert api_client.get("/api/v1/authors/", {"sort": "x"}).status_code == 400


def test_list_and_search_query_counts_do_not_grow_with_bylines(api_client, django_assert_max_num_queries):
    authors = [make_author(f"a{n}", photo=stored_image(alt=f"{n}")) for n in range(4)]
    translators = [make_author(f"t{n}") for n in range(3)]  # no byline: no public page
    for n in range(25):
        translated(signed(f"Harbour story {n}", *authors), *translators, authors[0])
    for url in ("/api/v1/articles/?page_size=25", "/api/v1/articles/?author=a1&page_size=25",
                "/api/v1/articles/?page_size=25&fields=code,translators"):
        with django_assert_max_num_queries(4):
            response = api_client.get(url)
        assert len(response.json()["results"]) == 25
        assert all([t["url"] is None for t in item["translators"]] == [True, True, True, False]
                   for item in response.json()["results"])
        assert all(len(item.get("authors", authors)) == 4 for item in response.json()["results"])
    with django_assert_max_num_queries(2):  # the search window's ids, then their rows with bylines folded in
        assert len(api_client.get("/api/v1/articles/?search=harbour").json()["results"]) == 20


def test_detail_and_authors_query_counts_do_not_grow(api_client, django_assert_max_num_queries):
    authors = [make_author(f"a{n}", photo=stored_image(color=(n * 40, 0, 0))) for n in range(6)]
    article = translated(signed("Many hands", *authors), *[make_author(f"t{n}") for n in range(6)])
    with django_assert_max_num_queries(6):
        detail = api_client.get(f"/api/v1/articles/{article.code}/").json()
    assert all(author["photo"]["renditions"] for author in detail["authors"])
    assert len(detail["translators"]) == 6
    for n in range(10):
        signed(f"More {n}", *authors)
    with django_assert_max_num_queries(4):  # authors page, their photos' renditions, counts
        assert len(api_client.get("/api/v1/authors/").json()["results"]) == 6


def test_a_removed_author_leaves_the_article_without_them(api_client, ann, bo):
    article = signed("Story", ann, bo)
    Byline.objects.filter(author=bo).delete()
    assert [a["slug"] for a in api_client.get(f"/api/v1/articles/{article.code}/").json()["authors"]] == ["ann-lee"]
    make_article("Unsigned")
    assert api_client.get("/api/v1/authors/").json()["results"][0]["article_count"] == 1


def test_author_and_byline_changes_move_the_content_generation_on(ann, bo, django_capture_on_commit_callbacks):
    """Cached pages (edge/responses.py) show bylines and translators: renaming an author or changing a byline or a
    translator credit invalidates them."""
    article = signed("Story", ann)
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        ann.name = "Ann Lee-Smith"
        ann.save()
    renamed = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        Byline.objects.create(article=article, author=bo, position=1)
    added = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        Byline.objects.filter(author=bo).get().delete()
    removed = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        translated(article, bo)
    credited = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        TranslatorCredit.objects.get().delete()
    assert before < renamed < added < removed < credited < generation.current()
