"""The OpenAPI document: valid, warning-free, covering every endpoint and parameter; docs served locally."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
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
    assert files["minItems"] == 1 and files["maxItems"] == settings.IMPORT_API_MAX_FILES
    assert files["items"] == {"type": "string", "format": "binary"}  # a file part, not a text value


def query_schemas(schema, path):
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}


@pytest.mark.parametrize("value", [
    "", "  ", "title", " code , title ", "code,,title", ",title,", "image,url", "title title", ",", " , ",
    "titles", "title,nope", "co\x00de", "TITLE",
])
def test_fields_pattern_matches_exactly_what_the_list_and_detail_accept(api_client, schema, published_article, value):
    for path, url in (("/api/v1/articles/", "/api/v1/articles/"),
                      ("/api/v1/articles/{code}/", f"/api/v1/articles/{published_article.code}/")):
        declared = re.fullmatch(query_schemas(schema, path)["fields"]["pattern"], value) is not None
        assert api_client.get(url, {"fields": value}).status_code == (200 if declared else 400), (path, value)


@pytest.mark.parametrize("value", ["", "en", "zh_HANT", "zh-hant-tw", "xx", "qq-zz", "en us", " en", "en*", "-en",
                                   "e\x00n", "abcdefghi"])
def test_language_pattern_matches_exactly_what_the_list_accepts(api_client, schema, value):
    declared = re.fullmatch(query_schemas(schema, "/api/v1/articles/")["language"]["pattern"], value) is not None
    response = api_client.get("/api/v1/articles/", {"language": value, "tag": "any"})
    assert response.status_code == (200 if declared else 400), value


def test_a_well_formed_language_no_registry_knows_matches_no_article(api_client, published_article):
    response = api_client.get("/api/v1/articles/", {"language": "xx"})
    assert response.status_code == 200 and response.json()["results"] == []


def test_cursors_and_sync_tokens_declare_their_alphabet(api_client, schema):
    for path in ("/api/v1/articles/", "/api/v1/tags/", "/api/v1/authors/"):
        pattern = query_schemas(schema, path)["cursor"]["pattern"]
        issued = api_client.get(path, {"page_size": 1}).json()["next"]
        if issued:
            assert re.fullmatch(pattern, parse_qs(urlsplit(issued).query)["cursor"][0])
        assert not re.fullmatch(pattern, "a%b") and re.fullmatch(pattern, "")
    since = api_client.get("/api/v1/changes/").json()["next"]
    assert re.fullmatch(query_schemas(schema, "/api/v1/changes/")["since"]["pattern"], since)


def test_text_filters_declare_the_length_and_the_nul_their_fields_refuse(api_client, schema):
    params = query_schemas(schema, "/api/v1/articles/")
    for name in ("category", "tag", "author", "origin_url", "search"):
        limit = params[name]["maxLength"]
        assert api_client.get("/api/v1/articles/", {name: "a" * limit}).status_code == 200, name
        assert api_client.get("/api/v1/articles/", {name: "a" * (limit + 1)}).status_code == 400, name
        assert not re.fullmatch(params[name]["pattern"], "a\x00")
        assert api_client.get("/api/v1/articles/", {name: "a\x00"}).status_code == 400, name


def test_trimmed_article_shapes_require_no_field(api_client, schema, published_article):
    for name in ("ArticleList", "ArticleDetail"):
        assert "required" not in schema["components"]["schemas"][name]
    body = api_client.get(f"/api/v1/articles/{published_article.code}/", {"fields": "title"}).json()
    assert body == {"title": published_article.title}


def test_translators_are_declared_beside_the_authors_with_a_url_that_may_be_null(schema):
    shapes = schema["components"]["schemas"]
    for name in ("ArticleList", "ArticleDetail"):
        properties = list(shapes[name]["properties"])
        assert properties[properties.index("authors") + 1] == "translators"
        assert shapes[name]["properties"]["translators"]["items"] == {"$ref": "#/components/schemas/Translator"}
    translator = shapes["Translator"]["properties"]
    assert list(translator) == ["slug", "name", "url"]
    assert (translator["url"]["format"], translator["url"]["nullable"]) == ("uri", True)
    assert "nullable" not in shapes["Byline"]["properties"]["url"]  # an author of a public article has a page
