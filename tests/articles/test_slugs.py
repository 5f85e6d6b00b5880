"""Slugs in every script: combining marks kept, punctuation dropped, the same rule for articles and taxonomy."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from articles.importing.bylines import author_refs
from articles.importing.fields import taxonomy_slug
from articles.models import Article, Tag, slug_base
from articles.slugs import slugify, validate_slug
from authors.models import Author

CASES = [
    ("km", "កំពង់ផែស្វយ័ត ភ្នំពេញ", "កំពង់ផែស្វយ័ត-ភ្នំពេញ"),  # vowel signs and the coeng kept
    ("km", "ព័ត៌មាន\u200bថ្មី", "ព័ត៌មាន-ថ្មី"),  # a zero-width space separates words
    ("th", "เรือข้ามฟาก ที่ท่าเรือ", "เรือข้ามฟาก-ที่ท่าเรือ"),
    ("hi", "बंदरगाह पर जहाज़!", "बंदरगाह-पर-जहाज़"),  # NFKC composes nukta forms; the virama stays
    ("ar", "مِيناء بيروت؟", "مِيناء-بيروت"),  # harakat kept, Arabic question mark dropped
    ("zh", "港口 吞吐量：创新高", "港口-吞吐量创新高"),
    ("en", "Ferries, Ports & Trade!", "ferries-ports-trade"),
    ("fr", "L'été à Phnom Penh", "lété-à-phnom-penh"),
]


@pytest.mark.parametrize(("language", "title", "slug"), CASES, ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_slugs_keep_every_script_whole(language, title, slug):
    assert slugify(title) == slug
    assert slug_base(title) == slug
    validate_slug(slug)


TRANSLITERATED = [
    ("km", "កំពង់ផែស្វយ័ត ភ្នំពេញ", "កំពង់ផែស្វយ័ត-ភ្នំពេញ"),  # ICU has no Khmer transliteration: kept whole
    ("th", "เรือข้ามฟาก ที่ท่าเรือ", "reux-kham-fak-thi-thareux"),
    ("hi", "बंदरगाह पर जहाज़!", "bandaragaha-para-jahaza"),
    ("ar", "مِيناء بيروت؟", "minaʾ-byrwt"),  # ICU writes the hamza as a modifier letter, which is a letter
    ("zh", "港口 吞吐量：创新高", "gang-kou-tun-tu-liang-chuang-xin-gao"),
    ("fr", "L'été à Phnom Penh", "lete-a-phnom-penh"),
]


@pytest.mark.parametrize(("language", "title", "slug"), TRANSLITERATED,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(TRANSLITERATED)])
def test_with_an_icu_transliterator_slugs_are_in_latin_letters(settings, language, title, slug):
    settings.SLUG_TRANSLITERATOR = "Any-Latin; Latin-ASCII"
    assert slugify(title) == slug
    assert slug_base(title) == slug
    assert taxonomy_slug(title, "tag", 100) == slug
    validate_slug(slug)


def test_a_slug_given_by_hand_in_its_own_script_stays_valid_when_slugs_are_transliterated(settings):
    settings.SLUG_TRANSLITERATOR = "Any-Latin; Latin-ASCII"
    refs = author_refs({"authors": [{"name": "สมชาย ใจดี", "slug": "สมชาย"}, "สมชาย ใจดี"]}, None)
    assert [ref.slug for ref in refs] == ["สมชาย", "smchay-cidi"]


def test_an_unknown_transliterator_is_a_configuration_error():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], capture_output=True, text=True, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "SLUG_TRANSLITERATOR": "Khmer-Klingon"},
    )
    assert result.returncode != 0 and "SLUG_TRANSLITERATOR is not an ICU transform ID" in result.stderr


def test_a_title_without_letters_gets_the_default_slug():
    assert slug_base("!!! ???") == "article"


@pytest.mark.parametrize("bad", ["a b", "a/b", "a.b", "?"])
def test_the_slug_validator_refuses_punctuation_and_spaces(bad):
    with pytest.raises(ValidationError):
        validate_slug(bad)


def test_taxonomy_slugs_follow_the_same_rule():
    assert taxonomy_slug("ព័ត៌មានជាតិ", "tag", 100) == "ព័ត៌មានជាតិ"


@pytest.mark.django_db
def test_a_khmer_article_saves_with_a_whole_slug_and_validates():
    article = Article.objects.create(title="កំពង់ផែស្វយ័ត ភ្នំពេញ", language="km")
    assert article.slug == "កំពង់ផែស្វយ័ត-ភ្នំពេញ"
    article.full_clean()  # what the admin's form runs: the model's slug validator accepts the marks
    tag = Tag(name="ភ្នំពេញ", slug="ភ្នំពេញ")
    tag.full_clean()


def test_an_author_slug_keeps_its_marks():
    Author._meta.get_field("slug").run_validators(slugify("សុខ ហេង"))  # the slug the importer makes for the byline
