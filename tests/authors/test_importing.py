"""Front-matter bylines: every form the importer reads, authors created or reused by slug, the export round trip."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.importing import import_paths, parse
from articles.importing.errors import PostError
from articles.models import Article
from authors.models import Author, Byline, TranslatorCredit

pytestmark = pytest.mark.django_db


def write(folder, name, front, body="Body.\n"):
    path = folder / name
    path.write_text(f"---\ntitle: T\n{front}---\n{body}", encoding="utf-8")
    return path


def toml(folder, name, front):
    path = folder / name
    path.write_text(f'+++\ntitle = "T"\n{front}+++\nBody.\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        pytest.param("author: The Rust Core Team\n", [("the-rust-core-team", "The Rust Core Team", "")], id="name"),
        pytest.param("author: parkr\n", [("parkr", "parkr", "")], id="jekyll-data-key"),
        pytest.param(
            "author: Rémy Rakic, Niko Matsakis\n",
            [("rémy-rakic", "Rémy Rakic", ""), ("niko-matsakis", "Niko Matsakis", "")], id="comma-separated",
        ),
        pytest.param(
            "author: '[Patrice Chalin](https://github.com/chalin)'\n",
            [("patrice-chalin", "Patrice Chalin", "https://github.com/chalin")], id="markdown-link",
        ),
        pytest.param("author: '[Ann Lee](/about/)'\n", [("ann-lee", "Ann Lee", "")], id="relative-link-dropped"),
        pytest.param(
            "author:\n- Bart Simpson\n- Nelson Mandela Muntz\n",
            [("bart-simpson", "Bart Simpson", ""), ("nelson-mandela-muntz", "Nelson Mandela Muntz", "")], id="list",
        ),
        pytest.param(
            "author:\n  name: John Doe\n  email: johndoe@example.com\n  url: https://john.example\n",
            [("john-doe", "John Doe", "https://john.example")], id="jekyll-mapping",
        ),
        pytest.param(
            "authors:\n- name: Ann Lee\n  link: https://ann.example\n- Bo Chan\n",
            [("ann-lee", "Ann Lee", "https://ann.example"), ("bo-chan", "Bo Chan", "")], id="list-of-mappings",
        ),
        pytest.param(
            "authors:\n- name: Ann Lee\n  slug: alee\n", [("alee", "Ann Lee", "")], id="mapping-with-slug",
        ),
        pytest.param(
            "authors: [Ann Lee]\nauthor: ann lee, Bo Chan\n",
            [("ann-lee", "Ann Lee", ""), ("bo-chan", "Bo Chan", "")], id="both-keys-each-slug-once",
        ),
        pytest.param("author: ''\n", [], id="blank"),
    ],
)
def test_front_matter_bylines_in_every_form(tmp_path, front, expected):
    post = parse(write(tmp_path, "p.md", front), tmp_path)
    assert [(ref.slug, ref.name, ref.url) for ref in post.authors] == expected
    assert "author" not in post.extra and "authors" not in post.extra


def test_hugo_authors_taxonomy_in_toml(tmp_path):
    post = parse(toml(tmp_path, "p.md", 'authors = ["Niko Matsakis", "Mara Bos"]\n'), tmp_path)
    assert [ref.slug for ref in post.authors] == ["niko-matsakis", "mara-bos"]


def test_an_authors_links_follow_their_url_each_once(tmp_path):
    front = ("authors:\n- name: Ann Lee\n  url: https://ann.example\n  links:\n  - https://social.example/ann\n"
             "  - /about/\n  - https://ann.example\n- name: Bo Chan\n  links: [https://bo.example]\n")
    post = parse(write(tmp_path, "p.md", front), tmp_path)
    assert [(ref.slug, ref.links) for ref in post.authors] == [
        ("ann-lee", ("https://ann.example", "https://social.example/ann")), ("bo-chan", ("https://bo.example",))]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("author:\n  email: x@example.com\n", "needs a `name`"),
        ("authors:\n- [nested]\n", "must list names or mappings"),
        ("author: '[X](ftp://x.example)'\n", "http(s) URL"),
        ("author: '!!!'\n", "no letters or digits"),
        ("authors:\n- name: X\n  slug: Not A Slug\n", "is not a slug"),
        ("authors:\n- name: X\n  links: https://x.example\n", "links must be a list of URLs"),
        ("authors:\n- name: X\n  links: [ftp://x.example]\n", "http(s) URL"),
        ("authors:\n- name: X\n  links: [" + ", ".join(f"https://x.example/{n}" for n in range(21)) + "]\n",
         "at most 20 links"),
        ("credit_line: [a]\n", "credit_line must be text"),
    ],
)
def test_a_malformed_byline_fails_the_file_with_its_line(tmp_path, front, message):
    with pytest.raises(PostError) as caught:
        parse(write(tmp_path, "p.md", "date: 2024-01-01\n" + front), tmp_path)
    assert message in str(caught.value)
    assert ":4:" in str(caught.value)  # the key's line: after `---`, `title:` and `date:`


def test_a_toml_number_is_no_author(tmp_path):
    with pytest.raises(PostError) as caught:
        parse(toml(tmp_path, "p.md", "author = 42\n"), tmp_path)
    assert "author must be a name, a list of names or a mapping with a name, got 42" in str(caught.value)


def test_import_creates_authors_once_and_reuses_them_by_slug(tmp_path):
    existing = Author.objects.create(name="Ann Lee (staff)", slug="ann-lee", role="Editor", links=["https://a.example"])
    write(tmp_path, "a.md", "date: 2024-01-01\nauthors: [Ann Lee, Bo Chan]\ncredit_line: Reporting by AFP\n")
    write(tmp_path, "b.md", "date: 2024-01-02\nauthor: '[Bo Chan](https://bo.example)'\n")
    report = import_paths([tmp_path])
    assert report.summary() == "created 2, updated 0, unchanged 0, failed 0"
    assert Author.objects.count() == 2
    existing.refresh_from_db()
    assert (existing.name, existing.role, existing.links) == ("Ann Lee (staff)", "Editor", ["https://a.example"])
    bo = Author.objects.get(slug="bo-chan")
    assert bo.name == "Bo Chan"
    a, b = Article.objects.order_by("published_at")
    assert [byline.author.slug for byline in a.bylines.all()] == ["ann-lee", "bo-chan"]
    assert [byline.author.slug for byline in b.bylines.all()] == ["bo-chan"]
    assert a.credit_line == "Reporting by AFP"


def test_re_importing_a_changed_file_replaces_its_bylines(tmp_path):
    path = write(tmp_path, "a.md", "date: 2024-01-01\nauthors: [Ann Lee, Bo Chan]\n")
    import_paths([tmp_path])
    write(tmp_path, "a.md", "date: 2024-01-01\nauthors: [Cy Dee, Ann Lee]\n")
    assert import_paths([tmp_path]).summary() == "created 0, updated 1, unchanged 0, failed 0"
    article = Article.objects.get(import_key=f"path:{path.name}")
    assert [byline.author.slug for byline in article.bylines.all()] == ["cy-dee", "ann-lee"]
    assert Byline.objects.count() == 2


def test_authors_of_a_batch_cost_the_same_queries_however_many(tmp_path):
    """One lookup and one insert for a batch's authors, whether it names two or forty."""

    def queries_for(folder, count):
        folder.mkdir()
        for n in range(count):
            names = f"{folder.name} {n}a, {folder.name} {n}b"
            write(folder, f"{folder.name}-{n}.md", f"date: 2024-01-01\nauthors: [{names}]\n")
        with CaptureQueriesContext(connection) as captured:
            assert import_paths([folder]).summary() == f"created {count}, updated 0, unchanged 0, failed 0"
        return len(captured)

    assert queries_for(tmp_path / "few", 1) == queries_for(tmp_path / "many", 20)
    assert Author.objects.count() == 42


def test_export_writes_bylines_back_and_the_import_reproduces_them(tmp_path):
    photo_less = Author.objects.create(name="Ann Lee", slug="ann-lee")
    links = ["https://bo.example", "https://x.example/bo", "https://social.example/@bo"]
    renamed = Author.objects.create(name="Bo Chan", slug="bchan", links=links)
    linked = Author.objects.create(name="Cy Dee", slug="cy-dee", links=["https://cy.example"])
    article = Article.objects.create(title="Three bylines", body_markdown="Text.", credit_line="Editing by Z")
    for position, author in enumerate([renamed, photo_less, linked]):
        Byline.objects.create(article=article, author=author, position=position)
    call_command("export_markdown", str(tmp_path))
    [exported] = tmp_path.rglob("*.md")
    text = exported.read_text()
    assert ("authors:\n- name: Bo Chan\n  slug: bchan\n  url: https://bo.example\n"
            "  links:\n  - https://x.example/bo\n  - https://social.example/@bo\n- Ann Lee\n") in text
    assert "credit_line: Editing by Z\n" in text

    Byline.objects.all().delete()
    Article.objects.all().delete()
    Author.objects.all().delete()
    assert import_paths([tmp_path]).summary() == "created 1, updated 0, unchanged 0, failed 0"
    article = Article.objects.get()
    assert [(b.author.slug, b.author.name, b.author.links) for b in article.bylines.all()] == [
        ("bchan", "Bo Chan", links), ("ann-lee", "Ann Lee", []), ("cy-dee", "Cy Dee", ["https://cy.example"]),
    ]
    assert article.credit_line == "Editing by Z"


def credits(article):
    return [credit.author.slug for credit in article.translator_credits.all()]


def test_translators_are_credited_apart_from_the_bylines(tmp_path, api_client):
    write(tmp_path, "a.md", "date: 2024-01-01\nauthor: Ann Lee\ntranslator: Bo Chan\n")
    write(tmp_path, "b.md", "date: 2024-01-02\nauthors: [Bo Chan]\ntranslators: [Ann Lee, '[Cy Dee](https://cy.example)']\n")
    assert import_paths([tmp_path]).failed == 0
    a, b = Article.objects.order_by("published_at")
    assert ([byline.author.slug for byline in a.bylines.all()], credits(a)) == (["ann-lee"], ["bo-chan"])
    assert ([byline.author.slug for byline in b.bylines.all()], credits(b)) == (["bo-chan"], ["ann-lee", "cy-dee"])
    assert a.extra == {} and Author.objects.count() == 3  # one author each, whatever they did
    # The API's authors are the bylines: a translator is not one, but is credited beside them.
    detail = api_client.get(f"/api/v1/articles/{b.code}/").json()
    assert [item["slug"] for item in detail["authors"]] == ["bo-chan"]
    assert detail["translators"] == [
        {"slug": "ann-lee", "name": "Ann Lee", "url": "http://testserver/api/v1/authors/ann-lee/"},  # signs a.md
        {"slug": "cy-dee", "name": "Cy Dee", "url": None},  # translates only: no public author page
    ]

    write(tmp_path, "a.md", "date: 2024-01-01\nauthor: Ann Lee\ntranslator: Cy Dee\n")
    assert import_paths([tmp_path]).counts["updated"] == 1
    assert credits(Article.objects.get(pk=a.pk)) == ["cy-dee"] and TranslatorCredit.objects.count() == 3


def test_export_writes_translators_back_and_the_import_reproduces_them(tmp_path):
    article = Article.objects.create(title="Translated", body_markdown="Text.", language="km")
    Byline.objects.create(article=article, author=Author.objects.create(name="Dara Sok", slug="dara-sok"))
    for position, (name, slug, links) in enumerate([("Ann Lee", "ann-lee", []), ("Bo", "bchan", ["https://bo.ex"])]):
        TranslatorCredit.objects.create(article=article, position=position,
                                        author=Author.objects.create(name=name, slug=slug, links=links))
    call_command("export_markdown", str(tmp_path / "export"))
    [exported] = (tmp_path / "export").rglob("*.md")
    assert "translators:\n- Ann Lee\n- name: Bo\n  slug: bchan\n  url: https://bo.ex\n" in exported.read_text()

    TranslatorCredit.objects.all().delete()
    Byline.objects.all().delete()
    Article.objects.all().delete()
    Author.objects.all().delete()
    assert import_paths([tmp_path / "export"]).summary() == "created 1, updated 0, unchanged 0, failed 0"
    article = Article.objects.get()
    assert [(c.author.slug, c.author.name, c.author.website) for c in article.translator_credits.all()] == [
        ("ann-lee", "Ann Lee", ""), ("bchan", "Bo", "https://bo.ex"),
    ]
    assert [byline.author.slug for byline in article.bylines.all()] == ["dara-sok"]
