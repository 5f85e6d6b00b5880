"""An archive's own URLs: --base-url resolves root-relative links and fills origin_url; links between its posts."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ImportOptions, import_paths, parse
from articles.models import Article

BASE = "https://old.example"
LIST = "/api/v1/articles/"


def write(root, relative, front="", body="Body.\n", title=None):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title or path.stem}\ndate: 2024-01-02 10:00\n{front}---\n{body}", encoding="utf-8")
    return path


def site(base_url=BASE, permalink=""):
    return ImportOptions(base_url=base_url, permalink=permalink)


def test_root_relative_links_and_images_resolve_against_the_base_url(tmp_path):
    body = (
        "See [the port](/en/news/2024/01/02/port.html), [a section](#later), [elsewhere](https://x.example/a) "
        "and [a sibling](other.html).\n\n![Quay](/images/quay.jpg)\n\n<img src=\"/images/raw.png\" alt=\"Raw\">\n"
    )
    post = parse(write(tmp_path, "_posts/2024-01-02-a.md", "image: /images/cover.jpg\n", body), tmp_path, site())
    assert 'href="https://old.example/en/news/2024/01/02/port.html"' in post.body_html
    assert 'src="https://old.example/images/quay.jpg"' in post.body_html
    assert 'src="https://old.example/images/raw.png"' in post.body_html
    assert 'href="#later"' in post.body_html and 'href="https://x.example/a"' in post.body_html
    assert 'href="other.html"' in post.body_html  # relative to a page: not what the base URL is for
    assert [image.url for image in post.images] == [f"{BASE}/images/quay.jpg", f"{BASE}/images/raw.png"]
    assert post.cover.url == f"{BASE}/images/cover.jpg"
    assert "/en/news" in post.body_markdown and BASE not in post.body_markdown  # the source stays as written


def test_without_a_base_url_root_relative_urls_stay_and_images_are_not_registered(tmp_path):
    post = parse(write(tmp_path, "_posts/2024-01-02-a.md", body="[p](/en/x.html)\n\n![Q](/q.jpg)\n"), tmp_path)
    assert 'href="/en/x.html"' in post.body_html and post.images == [] and post.origin_url == ""


@pytest.mark.parametrize(
    ("relative", "front", "permalink", "url"),
    [
        # Jekyll's default (`date`): the folders before _posts are categories, then the front matter's.
        ("en/news/_posts/2024-01-02-port-opens.md", "", "", "/en/news/2024/01/02/port-opens.html"),
        ("_posts/2024-01-02-port.md", "categories: [Trade, Asia]\n", "", "/trade/asia/2024/01/02/port.html"),
        ("_posts/2024-01-02-port.md", "", "pretty", "/2024/01/02/port/"),
        ("_posts/2024-01-02-port.md", "", "/:year/:i_month/:title/", "/2024/1/port/"),
        ("_posts/2024-01-02-port.md", "slug: harbour\n", "none", "/harbour.html"),
        ("_posts/2024-01-02-port.md", "permalink: /breaking/port/\n", "pretty", "/breaking/port/"),
        ("_posts/2024-01-02-port.md", "permalink: /:year/:title/\n", "", "/2024/port/"),
        ("2024-01-02-port.md", "", "", "/2024/01/02/port.html"),  # a dated file alone (an upload) is a post
        ("km/news/_posts/2024-01-02-កំពង់ផែ.md", "", "pretty",
         "/km/news/2024/01/02/%E1%9E%80%E1%9F%86%E1%9E%96%E1%9E%84%E1%9F%8B%E1%9E%95%E1%9F%82/"),
        # Hugo and plain folders: the path as a folder.
        ("content/post/port.md", "", "", "/post/port/"),
        ("post/port/index.md", "", "", "/post/port/"),
        ("news/port.md", "url: /old/port.html\n", "", "/old/port.html"),
    ],
)
def test_a_post_without_origin_url_gets_the_url_it_had_on_the_old_site(tmp_path, relative, front, permalink, url):
    assert parse(write(tmp_path, relative, front), tmp_path, site(permalink=permalink)).origin_url == BASE + url


def test_the_base_urls_path_is_the_sites_prefix_and_an_explicit_origin_url_wins(tmp_path):
    options = site(base_url="https://old.example/blog")
    assert parse(write(tmp_path, "_posts/2024-01-02-a.md"), tmp_path, options).origin_url == (
        "https://old.example/blog/2024/01/02/a.html"
    )
    explicit = parse(write(tmp_path, "_posts/2024-01-02-b.md", "origin_url: https://x.example/b\n"), tmp_path, options)
    assert explicit.origin_url == "https://x.example/b"


def test_a_derived_origin_url_keeps_the_files_identity(db, tmp_path):
    """Importing again with --base-url updates the articles of the first import, and fills their origin_url."""
    write(tmp_path, "en/news/_posts/2024-01-02-port.md")
    import_paths([tmp_path])
    article = Article.objects.get()
    assert article.origin_url == ""
    report = import_paths([tmp_path], options=site())
    assert report.counts["updated"] == 1
    assert Article.objects.get().pk == article.pk
    assert Article.objects.get().origin_url == f"{BASE}/en/news/2024/01/02/port.html"


def test_old_urls_find_their_new_articles_through_the_origin_url_lookup(tmp_path, api_client):
    write(tmp_path, "en/news/_posts/2024-01-02-port.md", title="Port")
    write(tmp_path, "fr/news/_posts/2024-01-02-port.md", title="Le port")
    call_command("import_markdown", str(tmp_path), "--base-url", BASE + "/", stdout=io.StringIO())
    answer = api_client.get(LIST, {"origin_url": f"{BASE}/fr/news/2024/01/02/port.html"})
    assert [row["title"] for row in answer.json()["results"]] == ["Le port"]


@pytest.mark.parametrize("url", ["ftp://old.example", "old.example", "https://old.example/?page=1"])
def test_a_malformed_base_url_is_a_usage_error(db, tmp_path, url):
    write(tmp_path, "a.md")
    with pytest.raises(CommandError, match="--base-url"):
        call_command("import_markdown", str(tmp_path), "--base-url", url, stdout=io.StringIO())
