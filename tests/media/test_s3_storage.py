"""The S3 path against moto's server mode: a real S3 HTTP API on 127.0.0.1, started by these tests."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest

from media.ingest import ingest_image_bytes
from media.library import delete_image
from media.serializers import ImageSerializer
from tests.media.pictures import encode, halves

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "newsroom-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_S3_REGION_NAME": "us-east-1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("moto_server exited at start-up")
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not answer within 20 s")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def s3_storage(settings, s3_endpoint, bucket):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
                "access_key": "testing", "secret_key": "testing", "querystring_auth": False,
                "default_acl": "public-read",
            },
        },
    }
    return bucket


def keys(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.django_db
def test_images_and_renditions_round_trip_through_s3(s3_storage, s3_endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ingest_image_bytes(encode(halves((1200, 800)), "JPEG"), alt="Quay")
    renditions = list(image.renditions.all())
    assert len(renditions) == 10
    assert keys(s3_storage) == {image.file.name, *(rendition.file.name for rendition in renditions)}

    data = ImageSerializer(image).data
    assert data["url"] == f"{s3_endpoint}/{BUCKET}/{image.file.name}"
    thumb = data["renditions"]["thumb_webp"]
    assert thumb["url"].startswith(f"{s3_endpoint}/{BUCKET}/renditions/")
    with urllib.request.urlopen(thumb["url"]) as response:
        body = response.read()
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    assert len(body) == image.renditions.get(spec="thumb", format="WEBP").file_size

    with django_capture_on_commit_callbacks(execute=True):
        delete_image(image)
    assert keys(s3_storage) == set()


def test_media_storage_s3_setting_selects_the_s3_backend(s3_endpoint, bucket):
    probe = (
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "name = s.save('probe/hello.txt', ContentFile(b'hello'));"
        "print(type(s._wrapped).__name__, s.url(name))"
    )
    env = {**os.environ, **CREDENTIALS, "MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET,
           "AWS_S3_ENDPOINT_URL": s3_endpoint}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["S3Storage", f"{s3_endpoint}/{BUCKET}/probe/hello.txt"]
    assert keys(bucket) == {"probe/hello.txt"}


def test_media_storage_s3_without_a_bucket_is_refused():
    env = {**os.environ, "MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in result.stderr
