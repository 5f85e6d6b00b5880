"""POST /api/v1/imports/: token-authenticated editors (or holders of the import permission) upload Markdown files."""

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"


def upload(name, text):
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/markdown")


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def staff_client(editor):
    return client_for(editor)


@pytest.fixture
def plain_user():
    return User.objects.create_user("reader", password="x")


GOOD = "---\ntitle: Good\ncode: ART2411111106IYO003\ndate: 2024-11-11T11:15:24.197Z\ncategory: BUSINESS\n---\nText.\n"
BAD = "---\ntitle: Bad\ndate: nonsense\n---\n"


def test_anonymous_and_session_requests_are_refused(plain_user):
    assert APIClient().post(URL, {"files": [upload("a.md", GOOD)]}, format="multipart").status_code == 401
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    session = APIClient()
    session.force_login(staff)
    assert session.post(URL, {"files": [upload("a.md", GOOD)]}, format="multipart").status_code == 401
    assert not Article.objects.exists()


def test_authenticated_users_without_the_permission_are_forbidden(plain_user):
    response = client_for(plain_user).post(URL, {"files": [upload("a.md", GOOD)]}, format="multipart")
    assert response.status_code == 403 and not Article.objects.exists()


def test_writers_may_not_import_although_they_are_staff(writer):
    # An import can publish, and writers may not publish.
    response = client_for(writer).post(URL, {"files": [upload("a.md", GOOD)]}, format="multipart")
    assert response.status_code == 403 and not Article.objects.exists()


def test_the_dedicated_permission_is_enough(plain_user):
    permission = Permission.objects.get(
        codename="import_articles", content_type=ContentType.objects.get_for_model(Article)
    )
    plain_user.user_permissions.add(permission)
    response = client_for(plain_user).post(URL, {"files": [upload("a.md", GOOD)]}, format="multipart")
    assert response.status_code == 200


def test_editor_upload_answers_per_file_results(staff_client, editor):
    response = staff_client.post(URL, {"files": [upload("a.md", GOOD), upload("b.md", BAD)]}, format="multipart")
    assert response.status_code == 207
    body = response.json()
    assert body["summary"] == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert body["results"][0] == {"file": "a.md", "result": "created", "code": "ART2411111106IYO003"}
    assert body["results"][1]["result"] == "failed"
    assert body["results"][1]["error"].startswith("b.md:3: unparsable date")
    article = Article.objects.get()
    assert article.category.slug == "business"
    assert AuditEntry.objects.get(action="import").actor == editor

    again = staff_client.post(URL, {"files": [upload("a.md", GOOD)]}, format="multipart")
    assert again.status_code == 200 and again.json()["results"][0]["result"] == "unchanged"


def test_all_failed_is_400_and_nothing_is_written(staff_client):
    response = staff_client.post(URL, {"files": [upload("b.md", BAD), upload("c.md", b"\xff\xfe")]}, format="multipart")
    assert response.status_code == 400
    assert [r["result"] for r in response.json()["results"]] == ["failed", "failed"]
    assert not Article.objects.exists()


def test_dry_run_and_status_fields(staff_client):
    response = staff_client.post(URL, {"files": [upload("a.md", GOOD)], "dry_run": "true"}, format="multipart")
    assert response.status_code == 200 and response.json()["results"][0]["result"] == "created"
    assert not Article.objects.exists()
    response = staff_client.post(URL, {"files": [upload("a.md", GOOD)], "status": "draft"}, format="multipart")
    assert Article.objects.get().status == "draft"


def test_a_base_url_resolves_root_relative_links_and_fills_origin_url(staff_client):
    post = "---\ntitle: Port\ndate: 2024-01-02\n---\nSee [the quay](/en/quay.html).\n"
    response = staff_client.post(URL, {"files": [upload("2024-01-02-port.md", post)], "base_url": "https://old.example"},
                                 format="multipart")
    assert response.status_code == 200, response.json()
    article = Article.objects.get()
    assert article.origin_url == "https://old.example/2024/01/02/port.html"
    assert 'href="https://old.example/en/quay.html"' in article.body_html


@pytest.mark.parametrize(
    "data", [{}, {"status": "archived", "files": None}, {"base_url": "ftp://old.example", "files": None}],
    ids=["no files", "bad status", "bad base URL"],
)
def test_usage_errors_are_400_json(staff_client, data):
    if "files" in data:
        data["files"] = [upload("a.md", GOOD)]
    response = staff_client.post(URL, data, format="multipart")
    assert response.status_code == 400 and isinstance(response.json(), dict)


def test_oversize_upload_fails_that_file(staff_client, settings):
    settings.IMPORT_MAX_FILE_BYTES = 50
    response = staff_client.post(URL, {"files": [upload("big.md", GOOD)]}, format="multipart")
    assert response.status_code == 400
    assert response.json()["results"][0]["error"] == "big.md:1: the file is larger than the 50-byte limit"


# Django's own request limits fire while the view reads the body: each is the API's JSON error, never a 500.


def test_more_files_than_the_limit_is_a_400_naming_files(staff_client, settings):
    uploads = [upload(f"a{n}.md", GOOD) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = staff_client.post(URL, {"files": uploads}, format="multipart")
    assert response.status_code == 400
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    assert response.json()["errors"] == {"files": [f"At most {limit} files per request."]}
    assert not Article.objects.exists()


def test_too_many_form_fields_is_a_400(staff_client, settings):
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = staff_client.post(URL, {"files": [upload("a.md", GOOD)], **fields}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Article.objects.exists()


def test_an_oversize_text_field_is_a_413(staff_client, settings):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = staff_client.post(URL, {"files": [upload("a.md", GOOD)], "status": big}, format="multipart")
    assert response.status_code == 413
    assert response.json() == {"status": 413, "code": "too_large", "detail": response.json()["detail"]}
