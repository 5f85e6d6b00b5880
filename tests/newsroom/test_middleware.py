"""A NUL byte in a path or a query never reaches a view (PostgreSQL refuses to compare one)."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_path_outside_the_api_is_a_404(client):
    assert client.get("/renditions/%00/thumb.webp").status_code == 404
    assert client.get("/admin/articles/article/a%00/change/").status_code == 404


@pytest.mark.parametrize("model, field", [("article", "category"), ("article", "tags"), ("article", "cover_image")])
def test_admin_autocomplete_with_a_nul_search_is_a_400(editor_client, model, field):
    params = {"app_label": "articles", "model_name": model, "field_name": field}
    assert editor_client.get("/admin/autocomplete/", {**params, "term": "harbour"}).status_code == 200
    response = editor_client.get("/admin/autocomplete/", {**params, "term": "a\x00b"})
    assert response.status_code == 400


def test_admin_changelist_search_with_a_nul_is_a_400(editor_client):
    assert editor_client.get("/admin/articles/article/", {"q": "\x00"}).status_code == 400
