"""Download a remote image for the library without becoming an SSRF proxy: public http(s) addresses only."""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from media.ingest import ingest_image_bytes
from media.validation import ImageRejected

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


class FetchError(Exception):
    """The image could not be fetched or was refused; the message says why."""


def fetch_image(url):
    """Fetch `url` (following vetted redirects) and hand the bytes to the media library; returns the Image."""
    data = fetch_bytes(url)
    try:
        return ingest_image_bytes(data, source_url=url)
    except ImageRejected as exc:
        raise FetchError("; ".join(exc.messages)) from None


def check_url(url):
    """Raise FetchError unless `url` is http(s) and its host resolves only to public addresses, now.

    A quick answer for the person asking; fetch_bytes checks every hop again when it connects.
    """
    vet_url(url)


def fetch_bytes(url):
    """GET `url` with a deadline and a size cap; every hop's address is checked before we connect to it."""
    deadline = time.monotonic() + settings.IMPORT_FETCH_TIMEOUT
    current = url
    for _ in range(settings.IMPORT_FETCH_MAX_REDIRECTS + 1):
        parts, address = vet_url(current)
        response, connection = _request(parts, address, deadline)
        try:
            if response.status in REDIRECT_STATUSES:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"HTTP {response.status} redirect without a Location")
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} from {current}")
            return _read_capped(response, deadline)
        finally:
            connection.close()
    raise FetchError(f"more than {settings.IMPORT_FETCH_MAX_REDIRECTS} redirects")


def vet_url(url):
    """Check the scheme and resolve the host; return (parts, one address every resolution agrees is public).

    The SSRF guard of every outgoing request (image fetching, webhook deliveries): connect only to that address,
    through `pinned_connection`.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"only http and https URLs are fetched, not {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"invalid port in {url!r}") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {parts.hostname!r}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        refusal = refusal_reason(address)
        if refusal:
            # Refuse if any answer is internal: a mixed answer is a classic DNS-rebinding set-up.
            raise FetchError(f"{parts.hostname} resolves to {address}, {refusal}")
    return parts, addresses[0]


def refusal_reason(address):
    """Why an IP address may not be fetched from, or None when it is a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if settings.IMPORT_FETCH_ALLOW_LOOPBACK else "a loopback address"
    for name in ("link_local", "private", "reserved", "multicast", "unspecified"):
        if getattr(ip, f"is_{name}"):
            return f"a {name.replace('_', '-')} address"
    if not ip.is_global:
        return "not a public address"
    return None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted address, never re-resolving the name (no DNS rebinding between check and use)."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def pinned_connection(parts, address, timeout):
    """An HTTP(S) connection for a URL vetted by `vet_url`, to its vetted address (TLS still checks the name)."""
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return cls(parts.hostname, port, address, timeout=timeout)


def _request(parts, address, deadline):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("timed out")
    connection = pinned_connection(parts, address, remaining)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.request("GET", target, headers={"User-Agent": "Newsroom importer", "Accept": "image/*"})
        return connection.getresponse(), connection
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        raise FetchError(_describe(exc)) from None


def _read_capped(response, deadline):
    limit = settings.IMPORT_FETCH_MAX_BYTES
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"the image is {int(declared):,} bytes; the limit is {limit:,} bytes")
    chunks, total = [], 0
    try:
        while chunk := response.read1(CHUNK):
            total += len(chunk)
            if total > limit:
                raise FetchError(f"the image is over the {limit:,}-byte limit")
            if time.monotonic() > deadline:
                raise FetchError("timed out")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(_describe(exc)) from None
    return b"".join(chunks)


def _describe(exc):
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"
