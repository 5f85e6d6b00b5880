"""media.fetch: SSRF-safe downloads, against a real HTTP server on 127.0.0.1 (never the internet)."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image as PILImage

from articles.importing import import_paths
from articles.models import Article
from media.fetch import FetchError, fetch_bytes, fetch_image, refusal_reason
from media.models import Image

pytestmark = pytest.mark.django_db


def png_bytes(size=(8, 6)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "blue").save(buffer, "PNG")
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    routes = {}

    def do_GET(self):  # noqa: N802 (http.server's naming)
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        if callable(body):
            body(self)
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers and body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def stream_without_length(size):
    def send(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.end_headers()
        for _ in range(size // 1024):
            handler.wfile.write(b"x" * 1024)
    return send


def slow(handler):
    time.sleep(3)
    handler.send_response(200)
    handler.end_headers()


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.routes = {
        "/image.png": (200, {"Content-Type": "image/png"}, png_bytes()),
        "/page.html": (200, {"Content-Type": "text/html"}, b"<html>hello</html>"),
        "/redirect": (302, {"Location": "/image.png"}, b""),
        "/to-private": (302, {"Location": "http://10.0.0.1/image.png"}, b""),
        "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "/to-localhost-name": (302, {"Location": f"http://localhost:{httpd.server_address[1]}/image.png"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/declared-big": (200, {"Content-Length": str(10**9)}, None),
        "/streamed-big": (200, {}, stream_without_length(64 * 1024)),
        "/slow": (200, {}, slow),
    }
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_allowed(settings, tmp_path):
    settings.IMPORT_FETCH_ALLOW_LOOPBACK = True
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "240.0.0.1",  # noqa: S104
     "224.0.0.1", "127.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::"],
)
def test_internal_addresses_are_refused(address):
    assert refusal_reason(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_allowed(address):
    assert refusal_reason(address) is None


def test_loopback_is_refused_unless_the_test_setting_allows_it(server, settings):
    with pytest.raises(FetchError, match="loopback"):
        fetch_bytes(f"{server}/image.png")
    with pytest.raises(FetchError, match="loopback"):
        fetch_bytes(server.replace("127.0.0.1", "localhost") + "/image.png")  # refused after DNS resolution
    settings.IMPORT_FETCH_ALLOW_LOOPBACK = True
    assert fetch_bytes(f"{server}/image.png") == png_bytes()


@pytest.mark.parametrize("url", ["ftp://example.com/a.png", "file:///etc/passwd", "gopher://x/", "javascript:x"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="only http and https"):
        fetch_bytes(url)


@pytest.mark.parametrize(("path", "reason"), [("/to-private", "private"), ("/to-metadata", "link-local"),
                                              ("/to-file", "only http and https")])
def test_redirects_to_internal_addresses_are_refused(server, loopback_allowed, path, reason):
    with pytest.raises(FetchError, match=reason):
        fetch_bytes(f"{server}{path}")


def test_redirect_to_a_loopback_name_is_refused_once_loopback_is_off(server, settings):
    settings.IMPORT_FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(FetchError, match="loopback"):
        fetch_bytes(f"{server}/to-localhost-name")


def test_redirects_are_followed_and_limited(server, loopback_allowed):
    assert fetch_bytes(f"{server}/redirect") == png_bytes()
    with pytest.raises(FetchError, match="redirects"):
        fetch_bytes(f"{server}/loop")


def test_size_limit_is_enforced_before_and_while_streaming(server, loopback_allowed, settings):
    settings.IMPORT_FETCH_MAX_BYTES = 16 * 1024
    with pytest.raises(FetchError, match="limit"):
        fetch_bytes(f"{server}/declared-big")
    with pytest.raises(FetchError, match="limit"):
        fetch_bytes(f"{server}/streamed-big")


def test_a_slow_server_times_out(server, loopback_allowed, settings):
    settings.IMPORT_FETCH_TIMEOUT = 1
    with pytest.raises(FetchError, match="timed out"):
        fetch_bytes(f"{server}/slow")


def test_fetched_image_is_validated_and_stored_once_by_content_hash(server, loopback_allowed, tmp_path):
    image = fetch_image(f"{server}/image.png")
    assert (image.format, image.width, image.height) == ("PNG", 8, 6)
    assert image.source_url == f"{server}/image.png" and image.file.name.endswith(f"{image.sha256}.png")
    with pytest.raises(FetchError, match="not an image"):
        fetch_image(f"{server}/page.html")
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_image(f"{server}/missing.png")


def test_import_with_fetch_images_stores_images_and_reports_failures_without_losing_the_article(
    server, loopback_allowed, tmp_path
):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "p.md").write_text(
        f"---\ntitle: T\nimage: {server}/image.png\n---\nIntro.\n\n![a]({server}/missing.png)\n\nGone. AFP\n"
    )
    report = import_paths([folder], fetch_images=True)
    assert report.summary() == "created 1, updated 0, unchanged 0, failed 0"
    assert report.warnings == [f"{folder / 'p.md'}: image {server}/missing.png was not fetched: HTTP 404 from "
                               f"{server}/missing.png"]
    article = Article.objects.get()
    assert article.cover_image.file and article.cover_image.width == 8
    assert not Image.objects.get(source_url=f"{server}/missing.png").file
    # Unchanged files still get their missing images on a later run.
    Handler.routes["/missing.png"] = (200, {}, png_bytes((4, 4)))
    report = import_paths([folder], fetch_images=True)
    assert report.summary() == "created 0, updated 0, unchanged 1, failed 0" and report.warnings == []
    assert Image.objects.get(source_url=f"{server}/missing.png").width == 4
