"""Multilingual archives: the language from front matter, path or run, and translations linked into one group."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ImportOptions, import_paths, parse
from articles.models import Article


def write(root, relative, front="", body="Body.\n"):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {path.stem}\ndate: 2024-01-02\n{front}---\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("relative", "front", "language"),
    [
        ("fr/news/_posts/2024-01-02-port.md", "", "fr"),
        ("content/km/post/port.md", "", "km"),
        ("_posts/th/2024-01-02-port.md", "", "th"),
        ("post/port/index.zh-cn.md", "", "zh-cn"),
        ("zh-hant/port.md", "", "zh-hant"),
        ("fr/news/port.md", "language: km\n", "km"),  # the front matter wins over the path
        ("fr/news/port.md", "locale: no\n", "no"),
        ("img/new/port.md", "", "en"),  # three-letter folders are not taken for languages
        ("news/port.md", "", "en"),
    ],
)
def test_the_language_comes_from_front_matter_else_path_else_the_default(tmp_path, relative, front, language):
    assert parse(write(tmp_path, relative, front), tmp_path).language == language


def test_the_runs_language_applies_to_files_that_name_none(tmp_path):
    options = ImportOptions(language="km")
    assert parse(write(tmp_path, "news/a.md"), tmp_path, options).language == "km"
    assert parse(write(tmp_path, "fr/news/b.md"), tmp_path, options).language == "fr"
    assert parse(write(tmp_path, "news/c.md", "lang: th\n"), tmp_path, options).language == "th"


def tree(root):
    """A small multilingual archive: Jekyll folders per language, Hugo suffixes, and explicit keys; the default
    language with or without its folder or suffix."""
    for language in ("en", "fr", "km"):
        write(root, f"{language}/news/_posts/2024-01-02-port.md", f"lang: {language}\n")
    write(root, "en/news/_posts/2024-01-03-alone.md")
    write(root, "hugo/post/ferry/index.en.md")
    write(root, "hugo/post/ferry/index.zh-cn.md")
    write(root, "hugo/post/quay/index.md")  # the default language names itself nowhere
    write(root, "hugo/post/quay/index.fr.md")
    write(root, "news/_posts/2024-01-04-bridge.md")
    write(root, "fr/news/_posts/2024-01-04-bridge.md")
    write(root, "pages/harbour.md", "translationKey: harbour\n")
    write(root, "pages/kompong-phe.md", "translationKey: harbour\nlanguage: km\n")


TREE_GROUPS = [
    ["en/news/_posts/2024-01-02-port.md", "fr/news/_posts/2024-01-02-port.md", "km/news/_posts/2024-01-02-port.md"],
    ["en/news/_posts/2024-01-03-alone.md"],
    ["fr/news/_posts/2024-01-04-bridge.md", "news/_posts/2024-01-04-bridge.md"],
    ["hugo/post/ferry/index.en.md", "hugo/post/ferry/index.zh-cn.md"],
    ["hugo/post/quay/index.fr.md", "hugo/post/quay/index.md"],
    ["pages/harbour.md", "pages/kompong-phe.md"],
]


def groups():
    by_group = {}
    for article in Article.objects.order_by("import_key"):
        by_group.setdefault(article.translation_group, []).append(article.import_key.removeprefix("path:"))
    return sorted(by_group.values())


@pytest.mark.django_db
def test_translations_are_linked_by_key_or_by_the_same_file_under_other_languages(tmp_path):
    tree(tmp_path)
    assert import_paths([tmp_path]).failed == 0
    assert groups() == TREE_GROUPS
    # Re-imports keep the links, whether a file changed or not.
    write(tmp_path, "fr/news/_posts/2024-01-02-port.md", "lang: fr\n", "Nouveau texte.\n")
    assert import_paths([tmp_path]).counts["updated"] == 1
    assert groups() == TREE_GROUPS
    assert import_paths([tmp_path]).counts["unchanged"] == 12
    assert groups() == TREE_GROUPS


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["original", "translation"])
@pytest.mark.parametrize(
    ("original", "translation"),
    [("hugo/post/quay/index.md", "hugo/post/quay/index.fr.md"),
     ("news/_posts/2024-01-04-bridge.md", "fr/news/_posts/2024-01-04-bridge.md")],
)
def test_a_translation_imported_in_another_run_joins_the_default_languages_article(tmp_path, original, translation,
                                                                                   first):
    for run, relative in enumerate((original, translation) if first == "original" else (translation, original)):
        root = tmp_path / f"run{run}"
        write(root, relative)
        assert import_paths([root]).counts["created"] == 1
    english, french = Article.objects.get(language="en"), Article.objects.get(language="fr")
    assert english.translation_group == french.translation_group
    assert list(Article.objects.translations_of(english)) == [french]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["translationKey", "translation_key", "translation_of", "ref"])
def test_an_explicit_translation_key_links_files_of_any_names(tmp_path, key):
    write(tmp_path, "pages/harbour.md", f"{key}: harbour\n")
    write(tmp_path, "pages/kompong-phe.md", f"{key}: harbour\nlanguage: km\n")
    write(tmp_path, "pages/other.md", f"{key}: elsewhere\nlanguage: km\n")
    assert import_paths([tmp_path]).failed == 0
    assert groups() == [["pages/harbour.md", "pages/kompong-phe.md"], ["pages/other.md"]]
    assert all(key not in article.extra for article in Article.objects.all())


@pytest.mark.django_db
def test_the_api_lists_an_imported_articles_translations(tmp_path, api_client):
    tree(tmp_path)
    call_command("import_markdown", str(tmp_path), "--language", "en", stdout=io.StringIO())
    english = Article.objects.get(import_key="path:en/news/_posts/2024-01-02-port.md")
    body = api_client.get(f"/api/v1/articles/{english.code}/").json()
    assert sorted(item["language"] for item in body["translations"]) == ["fr", "km"]


@pytest.mark.django_db
def test_the_language_flag_applies_to_files_that_name_none(tmp_path):
    write(tmp_path, "news/port.md")
    write(tmp_path, "fr/news/port.md")
    call_command("import_markdown", str(tmp_path), "--language", "km", stdout=io.StringIO(), stderr=io.StringIO())
    assert dict(Article.objects.values_list("source_path", "language")) == {"news/port.md": "km",
                                                                            "fr/news/port.md": "fr"}


@pytest.mark.django_db
def test_a_bad_language_flag_is_a_usage_error_and_imports_nothing(tmp_path):
    write(tmp_path, "news/port.md")
    with pytest.raises(CommandError, match="--language 'not a tag' is not a BCP 47 tag") as raised:
        call_command("import_markdown", str(tmp_path), "--language", "not a tag", stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert not Article.objects.exists()
