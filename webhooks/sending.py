"""One HTTP attempt at a delivery: Standard Webhooks signing, the SSRF guard of media/fetch.py, no redirects."""

import base64
import hashlib
import hmac
import http.client
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.utils import timezone

from media.fetch import FetchError, pinned_connection, vet_url


@dataclass
class Answer:
    status: int
    body: str
    retry_after: float | None  # seconds, from a Retry-After header


class SendError(Exception):
    """No HTTP answer: refused address, DNS, connection, timeout; the message says which."""


def signature_header(secrets, msg_id, timestamp, body):
    """`v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret, space-separated (Standard Webhooks)."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    signatures = []
    for secret in secrets:
        key = base64.b64decode(secret.removeprefix("whsec_"))
        digest = hmac.new(key, signed, hashlib.sha256).digest()
        signatures.append("v1," + base64.b64encode(digest).decode())
    return " ".join(signatures)


def post(url, body, headers):
    """POST `body` to `url`, checked and pinned to a public address; 3xx answers are returned, never followed."""
    try:
        parts, address = vet_url(url)
    except FetchError as exc:
        raise SendError(str(exc)) from None
    connection = pinned_connection(parts, address, settings.WEBHOOK_TIMEOUT)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(settings.WEBHOOK_RESPONSE_BODY_LIMIT).decode("utf-8", "replace")
        return Answer(response.status, text, retry_after_seconds(response.getheader("Retry-After")))
    except (OSError, http.client.HTTPException) as exc:
        raise SendError("timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}") from None
    finally:
        connection.close()


def retry_after_seconds(value):
    """Retry-After as seconds: a number, or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max((parsedate_to_datetime(value) - timezone.now()).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None


def headers_for(endpoint, msg_id, body, now):
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": "Newsroom webhooks",
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature_header(endpoint.secrets_in_force(now), msg_id, timestamp, body),
    }


def elapsed_ms(started):
    return int((time.monotonic() - started) * 1000)
