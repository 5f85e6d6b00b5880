"""parse() for every script and YAML 1.1's typing traps: text fields keep what was typed, unsafe body URLs warn."""

import uuid

import pytest

from articles.importing import parse
from articles.importing.bylines import AuthorRef
from articles.importing.parsing import TRANSLATION_NAMESPACE
from articles.importing.run import import_paths
from articles.models import Article


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def front(tmp_path, lines, body="Body\n"):
    return parse(write(tmp_path, "p.md", "---\n" + "\n".join(lines) + "\n---\n" + body), tmp_path)


@pytest.mark.parametrize(
    ("line", "attribute", "expected"),
    [
        ("language: no", "language", "no"),  # Norwegian, which YAML 1.1 reads as False
        ("lang: no", "language", "no"),
        ("locale: no", "language", "no"),
        ("title: no", "title", "no"),
        ("title: 2024", "title", "2024"),
        ("title: 1e3", "title", "1e3"),  # a float to YAML: "1000.0" if constructed
        ("title: 0x1F", "title", "0x1F"),  # an int to YAML: "31" if constructed
        ("title: 1_000", "title", "1_000"),
        ("title: .inf", "title", ".inf"),
        ("code: ART2411111106IYO003", "code", "ART2411111106IYO003"),
        ("description: no", "description", "no"),
        ("excerpt: 2024", "description", "2024"),
        ("summary: yes", "description", "yes"),
        ("author: {name: no}", "authors", [AuthorRef("no", "no")]),
        ("authors:\n  - name: 2024\n    slug: 007", "authors", [AuthorRef("007", "2024")]),
        ("translators: [{display_name: on}]", "translators", [AuthorRef("on", "on")]),
        ("translation_key: yes", "translation_group", uuid.uuid5(TRANSLATION_NAMESPACE, "key:yes")),
    ],
)
def test_unquoted_scalars_of_text_fields_keep_what_was_typed(tmp_path, line, attribute, expected):
    lines = ["title: T", line] if not line.startswith("title") else [line]
    assert getattr(front(tmp_path, lines), attribute) == expected


@pytest.mark.parametrize(
    ("line", "category", "tags"),
    [
        ("category: no", "no", []),
        ("category: 2024", "2024", []),
        ("tags: [2024, on, off, y, n, 3.10]", None, ["2024", "on", "off", "y", "n", "3.10"]),
        ("tags:\n  - yes\n  - 007", None, ["yes", "007"]),
        ("categories: [on, 2024]", "on", ["2024"]),
    ],
)
def test_unquoted_taxonomy_names_keep_what_was_typed(tmp_path, line, category, tags):
    post = front(tmp_path, ["title: T", line])
    assert (post.category.name if post.category else None) == (category and category[0].upper() + category[1:])
    assert [tag.name for tag in post.tags] == tags


def test_author_and_translator_keep_their_text(tmp_path):
    post = front(tmp_path, ["title: T", "author: no", "translator: 2024", "authors: [on, Dara]"])
    assert [author.name for author in post.authors] == ["on", "Dara", "no"]  # bylines: authors.models
    assert [translator.name for translator in post.translators] == ["2024"] and post.extra == {}


def test_other_fields_keep_yaml_types(tmp_path):
    post = front(tmp_path, ["title: T", "draft: no", "date: 2024-01-02", "rating: 5", "featured: yes", "note: ~",
                            "seo: {title: 2024, index: no}"])
    assert post.status == "published"  # draft: no is False
    assert post.extra == {"rating": 5, "featured": True, "note": None, "seo": {"title": 2024, "index": False}}


def test_a_null_text_field_is_still_absent(tmp_path):
    post = front(tmp_path, ["title: T", "language: ~", "tags: null"])
    assert post.language == "en" and post.tags == []


@pytest.mark.parametrize(
    ("body", "line", "what"),
    [
        ("Intro\n\n![x](ftp://example.com/a.png)\n", 6, "image URL must be an http(s) URL"),
        ("Intro\n\n![x](javascript:alert(1))\n\nAfter\n", 6, "image URL must be an http(s) URL"),
        ("Intro\n\n![x](data:image/png;base64,iVBORw0KGgo=)\n", 6, "image URL must be an http(s) URL"),
        ("Intro\n\nSee [this](javascript:alert(1)) now\n", 6, "the link 'javascript:alert(1)' has an unsafe scheme"),
        ("Intro\n\nA [file](file:///etc/passwd).\n", 6, "the link 'file:///etc/passwd' has an unsafe scheme"),
    ],
)
def test_an_unsafe_body_url_is_dropped_with_a_warning_and_the_post_imports(tmp_path, body, line, what):
    post = front(tmp_path, ["title: T"], body)
    assert post.images == []
    for scheme in ("javascript:", "data:", "file:", "ftp:"):
        assert scheme not in post.body_html
    assert len(post.warnings) == 1
    assert post.warnings[0].startswith(f"{tmp_path / 'p.md'}:{line}: ") and what in post.warnings[0]


def test_safe_body_urls_give_no_warning(tmp_path):
    post = front(tmp_path, ["title: T"], "[a](https://x.example/) [b](/rel) [c](#top) [d](mailto:a@x.example)\n")
    assert post.warnings == []


@pytest.mark.django_db
def test_the_run_reports_the_warning_and_keeps_the_rest_of_the_article(tmp_path):
    write(tmp_path, "p.md", "---\ntitle: T\ndate: 2024-01-02\n---\n![x](data:,x)\n\n![y](https://img.example/y.png)\n")
    report = import_paths([tmp_path])
    assert report.failed == 0 and len(report.warnings) == 1 and ":5: image URL" in report.warnings[0]
    assert Article.objects.get().inline_images.count() == 1
