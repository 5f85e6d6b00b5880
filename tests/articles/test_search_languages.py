"""Search in every language: words of unspaced scripts found by ICU's segmentation, stemming by article language."""

import pytest
from django.db import connection

from articles.importing import import_paths
from articles.models import Article
from articles.search.queries import search_articles
from articles.search.segmentation import segment
from tests.articles.api_factories import make_article

LIST = "/api/v1/articles/"
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="ranked search is PostgreSQL's")

# (language, title, body): each body is one sentence written without spaces between its words; the titles hold no
# word that a search below looks for.
CORPUS = [
    ("km", "km1", "ទិដ្ឋភាពកំពង់ផែស្វយ័តភ្នំពេញ"),  # the view of Phnom Penh Autonomous Port
    ("km", "km2", "ភ្នំពេញជារាជធានីនៃកម្ពុជា"),  # Phnom Penh is the capital of Cambodia
    ("zh-hans", "zh1", "工人在港口装卸货物"),  # workers load and unload goods at the port
    ("zh-hans", "zh2", "机场的工人很忙"),  # the airport's workers are busy
    ("ja", "ja1", "東京の港で船が到着しました"),  # a ship arrived at Tokyo's port
    ("ja", "ja2", "大阪の空港で飛行機が到着しました"),  # a plane arrived at Osaka's airport
    ("th", "th1", "เรือข้ามฟากจอดที่ท่าเรือ"),  # the ferry docks at the pier
    ("th", "th2", "รถไฟจอดที่สถานี"),  # the train stops at the station
    ("lo", "lo1", "ເຮືອຈອດຢູ່ທ່າເຮືອວຽງຈັນ"),  # the boat docks at the Vientiane pier
    ("lo", "lo2", "ນັກຮຽນໄປໂຮງຮຽນທຸກມື້"),  # pupils go to school every day
    ("my", "my1", "သင်္ဘောသည်ဆိပ်ကမ်းသို့ရောက်ရှိသည်"),  # the ship arrives at the port
    ("my", "my2", "ရန်ကုန်မြို့တွင်မိုးရွာသည်"),  # it rains in the city of Yangon
    ("en", "en1", "Ferries return to the harbour at dawn."),
    ("fr", "fr1", "Le ferry arrive au port de Sihanoukville."),
]
SEARCHES = [
    ("កំពង់ផែ", ["km1"]),
    ("ភ្នំពេញ", ["km1", "km2"]),
    ("កម្ពុជា", ["km2"]),
    ("កំពង់ផែស្វយ័ត", ["km1"]),  # two words typed as one run: both must be there
    ("港口", ["zh1"]),
    ("工人", ["zh1", "zh2"]),
    ("机场", ["zh2"]),
    ("港", ["ja1"]),  # the word 港 (port), not the 港 inside 空港 (airport)
    ("到着", ["ja1", "ja2"]),
    ("空港", ["ja2"]),
    ("เรือข้ามฟาก", ["th1"]),
    ("สถานี", ["th2"]),
    ("ທ່າເຮືອ", ["lo1"]),
    ("ໂຮງຮຽນ", ["lo2"]),
    ("ເຮືອຈອດ", ["lo1"]),  # two words typed as one run
    ("ဆိပ်ကမ်း", ["my1"]),
    ("မြို့", ["my2"]),
    ("ferry", ["en1", "fr1"]),  # English stems ferries to ferri; French keeps ferry
    ("ferries", ["en1"]),
    ("harbours", ["en1"]),
]


@pytest.fixture
def corpus(db):
    return [make_article(title, body_markdown=body, language=language) for language, title, body in CORPUS]


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


@postgresql_only
@pytest.mark.parametrize(("text", "expected"), SEARCHES)
def test_a_word_of_a_sentence_finds_exactly_the_articles_with_it(corpus, api_client, text, expected):
    public = Article.objects.published()
    assert titles(search_articles(public, text, narrowed=False)) == expected  # the window
    assert titles(search_articles(public.filter(pk__gt=0), text)) == expected  # a narrowed window
    assert titles(search_articles(public, text, ranked=False)) == expected  # every match
    response = api_client.get(LIST, {"search": text})
    assert sorted(item["title"] for item in response.json()["results"]) == expected


@postgresql_only
def test_a_language_filter_reads_the_query_in_that_language_only(corpus, api_client):
    def found(**params):
        return sorted(item["title"] for item in api_client.get(LIST, params).json()["results"])

    assert found(search="ferry", language="en") == ["en1"]
    assert found(search="ferry", language="fr") == ["fr1"]
    assert found(search="港口", language="zh-Hans") == ["zh1"]


@postgresql_only
def test_a_query_is_read_in_the_configurations_of_the_languages_in_use(db, api_client):
    def reading(text):
        with connection.cursor() as cursor:
            cursor.execute("SELECT articles_search_query(%s, NULL)::text", [text])
            return cursor.fetchone()[0]

    assert reading("Rivelo Takasu") == "'rivelo' & 'takasu'"  # no article: the simple reading
    make_article("Harbour", body_markdown="Ferries at dawn.", language="en")
    assert reading("Rivelo Takasu") == "'rivelo' & 'takasu'"  # English reads these words as simple does
    make_article("Borrador", status=Article.Status.DRAFT, language="es")
    assert reading("Rivelo Takasu") == "'rivel' & 'takasu' | 'rivelo' & 'takasu'"  # and Spanish stems rivelo
    german = make_article("Hafen", body_markdown="Die Fähren fahren wieder.", language="de")
    found = api_client.get(LIST, {"search": "Fähre"}).json()["results"]
    assert [item["code"] for item in found] == [german.code]  # German stems Fähren and Fähre alike


@postgresql_only
def test_english_stop_words_and_stems_rank_title_over_description_over_body(db):
    make_article("Body", body_markdown="The ferries sailed.", language="en")
    make_article("Description", description="The ferries sailed.", language="en")
    make_article("Ferries sailed", language="en")
    ranked = search_articles(Article.objects.published(), "the ferry", narrowed=False)
    assert list(ranked.values_list("title", flat=True)) == ["Ferries sailed", "Description", "Body"]


@postgresql_only
@pytest.mark.django_db
def test_imported_khmer_and_chinese_posts_are_found_by_one_word_of_their_text(tmp_path, api_client):
    posts = {
        "2024-03-01-boats.md": "---\ntitle: Boats\nlanguage: km\n---\nទូកនេសាទចូលកំពង់ផែនៅពេលព្រឹក\n",
        "2024-03-02-typhoon.md": "---\ntitle: Typhoon\nlanguage: zh-Hant\n---\n颱風使渡輪停航\n",  # ferries halted
    }
    for name, text in posts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert import_paths([tmp_path]).counts["created"] == 2  # new rows arrive by COPY, with their search words
    assert dict(Article.objects.values_list("title", "language")) == {"Boats": "km", "Typhoon": "zh-hant"}

    def found(text):
        return [item["title"] for item in api_client.get(LIST, {"search": text}).json()["results"]]

    assert found("នេសាទ") == ["Boats"]  # fishing
    assert found("渡輪") == ["Typhoon"]  # ferries
    assert found("停航") == ["Typhoon"]  # halted


@pytest.mark.django_db
def test_saving_an_article_stores_its_segmented_words_only_where_a_script_needs_them():
    article = make_article("Port news", description="港口新闻", body_markdown="Cranes at the quay.")
    assert (article.search_title, article.search_description, article.search_body) == ("", " 港口 新闻 ", "")
    article.title = "ភ្នំពេញ"
    article.save(update_fields=["title"])
    article.refresh_from_db()
    assert article.search_title == " ភ្នំពេញ "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ferries at dawn", None),
        ("", None),
        ("工人在港口", " 工人 在 港口 "),
        ("港口city 3.5", " 港口 city 3.5"),
        ("ព័ត៌មាន\u200bថ្មី", " ព័ត៌មាន ថ្មី "),  # the zero-width space between words goes
        ("𠀀港口", " 𠀀 港口 "),  # a character beyond the BMP (two UTF-16 units) keeps the words in place
        ("เรือข้ามฟาก, ท่าเรือ", " เรือ ข้าม ฟาก ,  ท่าเรือ "),
    ],
)
def test_segmentation_spaces_the_words_of_unspaced_scripts_and_leaves_other_text(text, expected):
    assert segment(text) == expected
