"""Every answer under /api/ is the one JSON error shape with the right status, whatever the request got wrong."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def error_of(response):
    assert response["Content-Type"] == "application/json", response.content[:200]
    body = response.json()
    assert body["status"] == response.status_code
    return body


@pytest.mark.parametrize("path", ["/api/v1/articles/%00/", "/api/v1/categories/a%00b/", "/api/v1/tags/%00"])
def test_a_nul_in_an_api_path_is_a_json_404_not_an_outage(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_nul_in_a_query_parameter_is_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/articles/?search=a%00b&tag=ok")
    assert response.status_code == 400
    assert error_of(response)["errors"] == {"search": ["Null characters are not allowed."]}
    assert api_client.get("/api/v1/categories/x/?%00=1").status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_api_path_is_a_json_404_not_the_csrf_page(method):
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/nothing/", {})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_schema_errors_are_json(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert error_of(response)["code"] == "not_acceptable"


@pytest.mark.parametrize("path", ["/api/v1/articles/", "/api/v1/categories/", "/api/v1/tags/", "/api/schema/"])
def test_an_empty_accept_header_is_any_type(api_client, path):
    assert api_client.get(path, HTTP_ACCEPT="").status_code == 200
    assert api_client.get(path, HTTP_ACCEPT="   ").status_code == 200


def test_a_bad_host_under_api_is_a_json_400(api_client):
    response = api_client.get("/api/v1/articles/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_a_bad_host_elsewhere_is_django_s_page(client):
    response = client.get("/admin/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/articles/?ordering=x", "/api/v1/tags/?cursor=x", "/api/v1/categories/"])
def test_an_undeclared_method_is_a_405_whatever_its_parameters(api_client, path):
    response = api_client.generic("TRACE", path)
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
