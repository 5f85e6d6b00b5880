"""The OpenAPI document: valid, warning-free, covering every endpoint and parameter; docs served locally."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from openapi_spec_validator import validate

from articles.api.filters import ArticleFilter
from articles.api.urls import router

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def routed_paths():
    """Every list and detail path the router serves, in OpenAPI's {param} form."""
    paths = set()
    for prefix, viewset, _ in router.registry:
        actions = {name for name in ("list", "retrieve") if hasattr(viewset, name)}
        if "list" in actions:
            paths.add(f"/api/v1/{prefix}/")
        if "retrieve" in actions:
            paths.add(f"/api/v1/{prefix}/{{{viewset.lookup_field}}}/")
    return paths


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_covers_every_routed_endpoint(schema):
    assert routed_paths() <= set(schema["paths"])
    assert {"/api/v1/articles/", "/api/v1/articles/{code}/", "/api/v1/categories/", "/api/v1/categories/{slug}/",
            "/api/v1/tags/", "/api/v1/languages/"} <= routed_paths()


def test_schema_generation_has_no_warnings():
    # --fail-on-warn turns every untyped field, parameter or response into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", []) if p["in"] == "query"}


def test_every_list_parameter_is_documented_and_typed(schema):
    documented = parameters(schema, "/api/v1/articles/")
    assert set(documented) == set(ArticleFilter.base_filters) | {"cursor", "page_size"}
    assert all(p["schema"].get("type") for p in documented.values())
    assert set(documented["ordering"]["schema"]["enum"]) == {"published_at", "-published_at", "title", "-title"}
    assert documented["page_size"]["schema"]["maximum"] == 100
    assert set(parameters(schema, "/api/v1/articles/{code}/")) == {"preview", "fields"}


def test_every_operation_documents_its_success_and_error_bodies(schema):
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/") or path.startswith("/api/v1/imports"):
            continue
        responses = operations["get"]["responses"]
        assert responses["200"]["content"]["application/json"]["schema"], path
        for status in ("400", "429", "500", "503"):
            assert responses[status]["content"]["application/json"]["schema"]["$ref"].endswith("/Error"), path
        if "{" in path:
            assert "404" in responses, path


def test_list_schema_describes_the_cursor_page(schema):
    ref = schema["paths"]["/api/v1/articles/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"next", "previous", "results"}
    item = schema["components"]["schemas"]["ArticleList"]["properties"]
    assert {"code", "slug", "title", "category", "tags", "image", "url"} <= set(item)


def test_docs_page_uses_installed_static_files_not_a_cdn(api_client):
    response = api_client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'src="([^"]+)"', html)
    assert scripts
    # The start-up script is the docs' own URL (for the Content-Security-Policy); the rest are static files.
    start_up = [src for src in scripts if src.startswith("/api/docs/")]
    assert len(start_up) == 1
    for src in set(scripts) - set(start_up):
        assert src.startswith("/static/"), src
        assert finders.find(src.removeprefix("/static/")), src
    script = api_client.get(start_up[0])
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


# The schema is the contract: what it allows is answered, what it excludes is refused.


def test_empty_fields_and_cursor_are_allowed_as_the_schema_says(api_client, schema):
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert "minLength" not in params["fields"] and "minLength" not in params["cursor"]
    for query in ("fields=", "cursor=", "fields=&cursor="):
        assert api_client.get(f"/api/v1/articles/?{query}").status_code == 200, query
    assert api_client.get("/api/v1/tags/?cursor=").status_code == 200


def test_an_empty_ordering_is_outside_the_enum_and_refused(api_client, schema):
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert "" not in params["ordering"]["enum"]
    response = api_client.get("/api/v1/articles/?ordering=")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"ordering"}


def test_the_import_endpoint_documents_every_answer(schema):
    operation = schema["paths"]["/api/v1/imports/"]["post"]
    assert {"200", "207", "400", "401", "403", "413"} <= set(operation["responses"])
    refusal = operation["responses"]["400"]["content"]["application/json"]["schema"]
    refusal = schema["components"]["schemas"][refusal["$ref"].rsplit("/", 1)[1]]
    options = {item["$ref"].rsplit("/", 1)[1] for item in refusal["oneOf"]}
    assert options == {"ImportReport", "Error"}
    upload = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    files = schema["components"]["schemas"][upload["$ref"].rsplit("/", 1)[1]]["properties"]["files"]
    assert files["minItems"] == 1
