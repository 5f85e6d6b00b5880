"""Every text search configuration PostgreSQL ships is some language's (articles_search_config), and the right one."""

import pytest
from django.conf.locale import LANG_INFO
from django.db import connection
from django.utils.translation import to_locale

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="text search configurations are PostgreSQL's"),
]


def shipped_configurations():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace")
        return {name for (name,) in cursor.fetchall()}


def configurations_of(languages):
    """{language: the name of the configuration articles_search_config picks for it}."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT language, cfgname FROM unnest(%s::text[]) language "
            "JOIN pg_ts_config ON pg_ts_config.oid = articles_search_config(language)",
            [list(languages)],
        )
        return dict(cursor.fetchall())


def test_every_configuration_postgresql_ships_is_the_configuration_of_a_two_letter_language():
    # Every language PostgreSQL stems has an ISO 639-1 code: a configuration that no code reaches is one that a
    # newer PostgreSQL added and articles_search_config has not learnt yet ('simple' is the others' fallback).
    letters = "abcdefghijklmnopqrstuvwxyz"
    codes = [first + second for first in letters for second in letters]
    assert set(configurations_of(codes).values()) == shipped_configurations()


def expected_configuration(name, shipped):
    """The configuration named by a word of the language's English name ("Brazilian Portuguese"), else 'simple'."""
    named = [word for word in name.lower().split() if word in shipped]
    assert len(named) <= 1, name
    return named[0] if named else "simple"


def test_each_language_django_knows_picks_the_configuration_named_for_it():
    shipped = shipped_configurations()
    # Django's codes are lower-case (pt-br); articles are tagged as BCP 47 writes them (pt-BR).
    expected = {
        to_locale(code).replace("_", "-"): expected_configuration(info["name"], shipped)
        for code, info in LANG_INFO.items()
        if "name" in info
    }
    assert configurations_of(expected) == expected


@pytest.mark.parametrize(
    ("language", "configuration"),
    [
        ("pt-BR", "portuguese"),
        ("pt", "portuguese"),
        ("PT-br", "portuguese"),
        ("nb-NO", "norwegian"),
        ("sr-Latn", "serbian"),
        ("yi", "yiddish"),  # not in Django's list
        ("zh-Hant", "simple"),  # segmented by ICU, not stemmed
        ("km", "simple"),
        ("", "simple"),
    ],
)
def test_a_language_tag_picks_its_configuration_by_its_primary_subtag(language, configuration):
    assert configurations_of([language]) == {language: configuration}
