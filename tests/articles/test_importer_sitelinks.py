"""`{% link path %}` and `{% post_url name %}` to another post of the archive -> that article's public URL."""

import re

import pytest

from articles.importing import import_paths
from articles.models import Article

CODE = "ART2401040000ABC001"


def write(root, relative, body, front=""):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {path.stem}\ndate: 2024-01-02 10:00\n{front}---\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def archive(tmp_path):
    """A small Jekyll site in two languages whose posts link to each other, forwards, backwards and both ways."""
    write(tmp_path, "en/news/_posts/2024-01-01-port.md",
          "See [the harbour]({% link en/news/_posts/2024-01-02-harbour.md %}#cranes) and [ours]({% post_url coded %}).")
    write(tmp_path, "en/news/_posts/2024-01-02-harbour.md", "Back to [the port]({% post_url 2024-01-01-port %}).")
    write(tmp_path, "fr/news/_posts/2024-01-01-port.md", "Voir [le havre]({% post_url 2024-01-02-harbour %}).")
    write(tmp_path, "fr/news/_posts/2024-01-02-harbour.md", "Le havre.")
    write(tmp_path, "en/news/_posts/coded.md", "A post with its own code.", front=f"code: {CODE}\n")
    write(tmp_path, "en/news/_posts/2024-01-03-docs.md",
          "Read [the changelog]({% link _docs/history.md %}#v1) and {% post_url 1999-01-01-gone %}.")
    return tmp_path


def article(relative):
    return Article.objects.get(import_key=f"path:{relative}")


def hrefs(html):
    return re.findall(r'href="([^"]*)"', html)


def api_url(code):
    return f"/api/v1/articles/{code}/"


def test_links_between_posts_of_one_import_point_at_their_articles(db, archive):
    report = import_paths([archive])
    assert report.failed == 0
    en_harbour = article("en/news/_posts/2024-01-02-harbour.md")
    fr_harbour = article("fr/news/_posts/2024-01-02-harbour.md")
    en_port = article("en/news/_posts/2024-01-01-port.md")
    assert hrefs(en_port.body_html) == [api_url(en_harbour.code) + "#cranes", api_url(CODE)]
    assert hrefs(en_harbour.body_html) == [api_url(en_port.code)]  # the two held posts link to each other
    # The same post name in another language's folder: the linking post's own language wins.
    assert hrefs(article("fr/news/_posts/2024-01-01-port.md").body_html) == [api_url(fr_harbour.code)]
    assert "{%" in en_port.body_markdown  # the source stays as written


def test_a_link_to_no_imported_post_is_removed_with_a_warning_naming_the_file(db, archive):
    report = import_paths([archive])
    docs = article("en/news/_posts/2024-01-03-docs.md")
    assert hrefs(docs.body_html) == [] and "Read the changelog and ." in docs.body_html
    assert "newsroom-site-link" not in docs.body_html
    [warning] = [line for line in report.warnings if "named no post" in line]
    assert warning.startswith(f"{archive / 'en/news/_posts/2024-01-03-docs.md'}:5: {{% link _docs/history.md %}} "
                              "and 1 more")


def test_links_use_the_frontends_article_url_when_there_is_one(db, archive, settings):
    settings.FRONTEND_ARTICLE_URL_TEMPLATE = "https://news.example/{language}/{slug}-{code}"
    import_paths([archive])
    harbour = article("en/news/_posts/2024-01-02-harbour.md")
    assert hrefs(article("en/news/_posts/2024-01-01-port.md").body_html)[0] == (
        f"https://news.example/en/{harbour.slug}-{harbour.code}#cranes"
    )


def test_reimports_are_idempotent_and_a_later_run_finds_targets_imported_before(db, archive):
    import_paths([archive])
    before = {a.pk: (a.version, a.body_html) for a in Article.objects.all()}
    assert import_paths([archive]).counts["unchanged"] == len(before)
    assert {a.pk: (a.version, a.body_html) for a in Article.objects.all()} == before

    # A linking file changed: its target is unchanged in this run.
    write(archive, "en/news/_posts/2024-01-02-harbour.md", "Back to [the old port]({% post_url 2024-01-01-port %}).")
    assert import_paths([archive]).counts["updated"] == 1
    port = article("en/news/_posts/2024-01-01-port.md")
    assert hrefs(article("en/news/_posts/2024-01-02-harbour.md").body_html) == [api_url(port.code)]


def test_a_later_import_finds_targets_among_the_stored_articles(db, archive, tmp_path_factory):
    import_paths([archive])
    later = tmp_path_factory.mktemp("later")
    write(later, "2024-02-01-late.md", "As [reported]({% link en/news/_posts/2024-01-01-port.md %}).")
    assert import_paths([later]).warnings == []
    port = article("en/news/_posts/2024-01-01-port.md")
    assert hrefs(article("2024-02-01-late.md").body_html) == [api_url(port.code)]


def test_saving_an_article_keeps_its_links_to_stored_posts(db, archive):
    import_paths([archive])
    harbour = article("en/news/_posts/2024-01-02-harbour.md")
    harbour.body_markdown += "\nAnd [again]({% post_url 2024-01-01-port %})."
    harbour.save()
    port = article("en/news/_posts/2024-01-01-port.md")
    assert hrefs(Article.objects.get(pk=harbour.pk).body_html) == [api_url(port.code)] * 2


def test_a_real_jekyll_post_url_links_to_the_post_it_names(db, real_posts):
    root = real_posts / "jekyll__jekyll"
    report = import_paths([root])
    target = article("2013-05-06-jekyll-1-0-0-released.markdown")
    assert api_url(target.code) in hrefs(article("2014-05-06-jekyll-turns-2-0-0.markdown").body_html)
    # {% link _docs/history.md %}: the docs are not part of the posts' import.
    assert any("2023-12-28-jekyll-3-9-4-released.markdown:12: {% link _docs/history.md %}" in line
               for line in report.warnings)
