"""The API's orjson renderer answers DRF's JSONRenderer's bytes: every shape, and what orjson writes otherwise."""

import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils.functional import lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from articles.api.renderers import JSONRenderer
from tests.articles.api_factories import add_inline_image, make_article, make_category, stored_image

TRICKY = 'Quote " back\\slash \x01\x1f\x7f tab\t line\u2028para\u2029 \U0001f4f0 ខ្មែរ 湄公河 \u00e9'


def test_every_api_response_is_drfs_bytes(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cover = stored_image("blue", alt=TRICKY, caption="Caption")
    article = make_article(
        TRICKY, description=TRICKY, body_markdown=f"# {TRICKY}\n\n{TRICKY}", category=make_category("world"),
        tags=["trade"], cover_image=cover,
    )
    add_inline_image(article, cover, 1, caption=TRICKY)
    make_article("Traduction", language="fr", translation_group=article.translation_group)
    for path in (
        "/api/v1/articles/", f"/api/v1/articles/{article.code}/", "/api/v1/articles/?search=quote",
        "/api/v1/articles/?category=world&language=en", "/api/v1/categories/", "/api/v1/tags/", "/api/v1/languages/",
        "/api/v1/articles/?page_size=0", f"/api/v1/articles/?{TRICKY[:5]}=1", "/api/v1/articles/nope/",
    ):
        response = api_client.get(path)
        assert response.content == DRFJSONRenderer().render(response.data), path
    assert "\\u2028" in api_client.get(f"/api/v1/articles/{article.code}/").content.decode()


@pytest.mark.parametrize("data", [
    {"tiny": [1e-5, 2.5e-7, -3.3e-100, 5e-324, 0.0001, 1e16, 1.5, -0.0, 0.1 + 0.2]},
    {"big": [2**63 - 1, -(2**63), 2**64, -(2**63) - 1, 10**30]},
    {1: "a non-string key", None: "another"},
    {"at": [datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC), datetime(2024, 5, 6, 7, 8, 9),
            datetime(2024, 5, 6, 7, 8, tzinfo=timezone(timedelta(hours=5, minutes=30))), date(2024, 5, 6),
            time(7, 8, 9, 1000), timedelta(seconds=90)]},
    {"types": [Decimal("1.10"), uuid.UUID(int=7), lazy(lambda: "lazy", str)(), b"bytes", (1, 2), {3}]},
    [TRICKY, {"nested": [[[{"deep": TRICKY}]]]}, True, False, None, 0],
])
def test_what_orjson_writes_its_own_way_is_drfs_bytes(data):
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_an_indent_is_drfs_to_render():
    data = {"a": [1, {"b": "c"}]}
    accepted = "application/json; indent=4"
    assert JSONRenderer().render(data, accepted) == DRFJSONRenderer().render(data, accepted)
    assert b"\n    " in JSONRenderer().render(data, accepted)
