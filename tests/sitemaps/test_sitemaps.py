"""The sitemap index and its sections, hreflang groups, the Google News sitemap, robots.txt: XML, limits, leaks."""

import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.codes import generate_code
from articles.models import Article
from tests.articles.api_factories import make_article, make_category
from tests.authors.factories import make_author, signed

pytestmark = pytest.mark.django_db
Status = Article.Status
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml",
      "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def section_urls(client):
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    return [element.text.removeprefix("http://testserver") for element in index.findall("s:sitemap/s:loc", NS)]


def locs(root):
    return [element.text for element in root.findall("s:url/s:loc", NS)]


def test_the_index_pages_each_month_within_the_page_size(api_client, settings):
    settings.SITEMAP_PAGE_SIZE = 3
    november = [make_article(f"Nov {n}", published_at=datetime(2024, 11, 1 + n, tzinfo=UTC)) for n in range(7)]
    make_article("Dec", published_at=datetime(2024, 12, 5, tzinfo=UTC))
    make_article("Draft", status=Status.DRAFT, published_at=datetime(2024, 10, 5, tzinfo=UTC))
    urls = section_urls(api_client)
    assert urls == [
        "/sitemaps/categories-1.xml", "/sitemaps/authors-1.xml", "/sitemaps/articles-2024-12-1.xml",
        *(f"/sitemaps/articles-2024-11-{page}.xml" for page in (1, 2, 3)),
    ]
    pages = [locs(xml(api_client, f"/sitemaps/articles-2024-11-{page}.xml")) for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [url.rsplit("/", 2)[-2] for page in pages for url in page] == [a.code for a in november]
    assert api_client.get("/sitemaps/articles-2024-11-4.xml").status_code == 404
    assert api_client.get("/sitemaps/articles-2024-10-1.xml").status_code == 404  # the draft's month


def test_lastmod_is_the_public_update_time(api_client):
    article = make_article("Story", published_at=datetime(2024, 11, 11, 11, 0, tzinfo=UTC))
    Article.objects.filter(pk=article.pk).update(modified_at=datetime(2024, 11, 12, 9, 30, tzinfo=UTC))
    root = xml(api_client, "/sitemaps/articles-2024-11-1.xml")
    assert [e.text for e in root.findall("s:url/s:lastmod", NS)] == ["2024-11-12T09:30:00Z"]


def test_hreflang_groups_are_symmetric_and_list_published_versions_only(api_client, settings):
    settings.FRONTEND_ARTICLE_URL_TEMPLATE = "https://news.example.com/{language}/{slug}-{code}"
    group = uuid.uuid4()
    when = datetime(2024, 11, 11, tzinfo=UTC)
    versions = [make_article(f"Story {lang}", language=lang, translation_group=group, published_at=when)
                for lang in ("en", "fr", "km")]
    make_article("Brouillon", language="de", translation_group=group, status=Status.DRAFT, published_at=when)
    make_article("Alone", published_at=when)
    lone = uuid.uuid4()  # its other version is a draft: no alternates at all
    make_article("Lone", language="en", translation_group=lone, published_at=when)
    make_article("Esquisse", language="fr", translation_group=lone, status=Status.DRAFT, published_at=when)
    root = xml(api_client, "/sitemaps/articles-2024-11-1.xml")
    alternates = {
        url.find("s:loc", NS).text: {(link.get("hreflang"), link.get("href")) for link in url.findall("x:link", NS)}
        for url in root.findall("s:url", NS)
    }
    expected = {(a.language, f"https://news.example.com/{a.language}/{a.slug}-{a.code}") for a in versions}
    for article in versions:
        assert alternates[f"https://news.example.com/{article.language}/{article.slug}-{article.code}"] == expected
    assert [links for url, links in alternates.items() if "alone" in url or "lone" in url] == [set(), set()]


def test_x_default_is_the_default_language_version_in_every_url_of_the_group(api_client, settings):
    settings.SITEMAP_HREFLANG_DEFAULT = "fr"
    group, french_less = uuid.uuid4(), uuid.uuid4()
    when = datetime(2024, 11, 11, tzinfo=UTC)
    versions = {lang: make_article(f"Story {lang}", language=lang, translation_group=group, published_at=when)
                for lang in ("en", "fr", "km")}
    for lang in ("en", "km"):
        make_article(f"Other {lang}", language=lang, translation_group=french_less, published_at=when)
    root = xml(api_client, "/sitemaps/articles-2024-11-1.xml")
    links = {url.find("s:loc", NS).text.rsplit("/", 2)[-2]: [(link.get("hreflang"), link.get("href").rsplit("/", 2)[-2])
                                                            for link in url.findall("x:link", NS)]
             for url in root.findall("s:url", NS)}
    expected = [("en", versions["en"].code), ("fr", versions["fr"].code), ("km", versions["km"].code),
                ("x-default", versions["fr"].code)]
    for article in versions.values():
        assert links[article.code] == expected  # symmetric: the same list on every version, itself included
    others = [codes for code, codes in links.items() if code not in {a.code for a in versions.values()}]
    assert len(others) == 2 and all(len(codes) == 2 and "x-default" not in dict(codes) for codes in others)


def test_categories_and_authors_sections_list_public_ones_only(api_client):
    news = make_category("news")
    signed("Story", make_author("ann"), category=make_category("world", parent=news))
    signed("Draft", make_author("drafty"), category=make_category("secret"), status=Status.DRAFT)
    assert locs(xml(api_client, "/sitemaps/categories-1.xml")) == [
        "http://testserver/api/v1/categories/news/", "http://testserver/api/v1/categories/world/",
    ]
    assert locs(xml(api_client, "/sitemaps/authors-1.xml")) == ["http://testserver/api/v1/authors/ann/"]


def test_news_sitemap_has_the_last_two_days_newest_first_within_its_limit(api_client, settings):
    settings.SITEMAP_NEWS_PUBLICATION_NAME = "The Daily"
    now = timezone.now()
    # More candidates than Google's 1,000, in one insert; codes drawn until distinct (1,005 random codes of one
    # minute collide in about one run in thirty).
    codes = set()
    while len(codes) < 1005:
        codes.add(generate_code(now))
    Article.objects.bulk_create(
        Article(title=f"Recent {n}", slug=f"recent-{n}", code=code, language="km",
                status=Status.PUBLISHED, published_at=now - timedelta(minutes=n + 1))
        for n, code in enumerate(sorted(codes))
    )
    make_article("Old", ago=timedelta(days=3))
    make_article("Scheduled", status=Status.SCHEDULED, ago=-timedelta(hours=1))
    root = xml(api_client, "/sitemap-news.xml")
    urls = root.findall("s:url", NS)
    assert len(urls) == 1000
    first = urls[0].find("n:news", NS)
    assert first.find("n:publication/n:name", NS).text == "The Daily"
    assert first.find("n:publication/n:language", NS).text == "km"
    assert first.find("n:title", NS).text == "Recent 0"
    assert first.find("n:publication_date", NS).text.endswith("Z")
    titles = [url.find("n:news/n:title", NS).text for url in urls]
    assert titles == [f"Recent {n}" for n in range(1000)]


def test_news_sitemap_holds_the_last_two_days_each_article_in_its_language(api_client):
    now = timezone.now().replace(microsecond=0)
    inside = {
        "fr": make_article("Dans la fenêtre", language="fr", published_at=now - timedelta(days=1, hours=23)),
        "km": make_article("Inside km", language="km", published_at=now - timedelta(hours=5)),
        "en": make_article("Inside en", language="en", published_at=now - timedelta(minutes=1)),
    }
    make_article("Just outside", language="en", published_at=now - timedelta(days=2, minutes=1))
    root = xml(api_client, "/sitemap-news.xml")
    found = [(url.find("s:loc", NS).text.rsplit("/", 2)[-2], url.find("n:news/n:publication/n:language", NS).text,
              url.find("n:news/n:publication_date", NS).text, url.find("n:news/n:title", NS).text)
             for url in root.findall("s:url", NS)]
    assert found == [
        (article.code, language, article.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), article.title)
        for language, article in reversed(inside.items())  # newest first
    ]


def test_robots_txt_points_at_the_sitemaps_unless_turned_off(api_client, settings):
    text = api_client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml\n" in text
    assert "Sitemap: http://testserver/sitemap-news.xml\n" in text
    settings.ROBOTS_TXT = False
    assert api_client.get("/robots.txt").status_code == 404


def test_sections_cost_a_few_queries_whatever_their_size(api_client, settings, django_assert_max_num_queries):
    settings.SITEMAP_PAGE_SIZE = 200
    group = uuid.uuid4()
    for n in range(60):
        make_article(f"S{n}", translation_group=group if n < 2 else uuid.uuid4(), language=["en", "fr"][n % 2],
                     published_at=datetime(2024, 11, 1, tzinfo=UTC) + timedelta(hours=n))
    with django_assert_max_num_queries(2):
        assert len(locs(xml(api_client, "/sitemaps/articles-2024-11-1.xml"))) == 60
    # The index: the categories' and authors' counts, this month's count, the earlier months' summary rows
    # (test_months.py).
    with django_assert_max_num_queries(4):
        assert len(section_urls(api_client)) == 3
    assert api_client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=api_client.get("/sitemap.xml")["ETag"]).status_code == 304


def test_the_authors_section_pages_within_the_page_size(api_client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    for n in range(5):
        signed(f"Story {n}", make_author(f"writer-{n}"))
    signed("Draft", make_author("drafty"), status=Status.DRAFT)
    urls = [url for url in section_urls(api_client) if url.startswith("/sitemaps/authors-")]
    assert urls == ["/sitemaps/authors-1.xml", "/sitemaps/authors-2.xml", "/sitemaps/authors-3.xml"]
    pages = [locs(xml(api_client, url)) for url in urls]
    assert [url.rsplit("/", 2)[-2] for page in pages for url in page] == [f"writer-{n}" for n in range(5)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert api_client.get("/sitemaps/authors-4.xml").status_code == 404


def test_the_categories_section_pages_within_the_page_size(api_client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    parent = make_category("desk-0")
    slugs = ["desk-0", *(f"desk-{n}" for n in range(1, 5))]
    for slug in slugs[1:]:
        make_article(f"Story in {slug}", category=make_category(slug, parent=parent if slug == "desk-1" else None))
    make_article("Draft", category=make_category("desk-secret"), status=Status.DRAFT)
    urls = [url for url in section_urls(api_client) if url.startswith("/sitemaps/categories-")]
    assert urls == ["/sitemaps/categories-1.xml", "/sitemaps/categories-2.xml", "/sitemaps/categories-3.xml"]
    pages = [locs(xml(api_client, url)) for url in urls]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [url.rsplit("/", 2)[-2] for page in pages for url in page] == slugs  # each once, a parent included
    for page in (0, 4):
        assert api_client.get(f"/sitemaps/categories-{page}.xml").status_code == 404


def test_empty_sections_keep_their_first_page(api_client):
    assert section_urls(api_client) == ["/sitemaps/categories-1.xml", "/sitemaps/authors-1.xml"]
    for url in ("/sitemaps/categories-1.xml", "/sitemaps/authors-1.xml"):
        assert locs(xml(api_client, url)) == []
