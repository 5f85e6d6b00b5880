"""CDN purge backends: each sends surrogate keys (or paths) the way its provider's API documents it.

Selected by settings.CDN_PURGE_BACKEND; every request is batched to the provider's per-call limit and raises
PurgeFailed on anything but success, so the task retries it.
"""

import json
import urllib.request
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

from edge.keys import ALL_KEY

TIMEOUT = 10
# Past this many keys one purge of everything is cheaper than many calls (a bulk import, a renamed tag).
MAX_KEYS = 100


class PurgeFailed(Exception):
    """The CDN did not confirm the purge; the message says what it answered."""


def purge(keys, paths):
    backend = import_string(BACKENDS[settings.CDN_PURGE_BACKEND])
    keys = list(dict.fromkeys(keys))
    if len(keys) > MAX_KEYS:
        keys = [ALL_KEY]
    backend(keys, paths)


def _send(method, url, *, headers=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={  # noqa: S310 (operator-set URL)
        **({"Content-Type": "application/json"} if data else {}), **(headers or {}),
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        raise PurgeFailed(f"{method} {url}: HTTP {exc.code} {exc.read()[:200]!r}") from None
    except OSError as exc:
        raise PurgeFailed(f"{method} {url}: {exc}") from None


def _chunks(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def varnish(keys, paths):
    """Varnish with vmod-xkey: `PURGE /` carrying `xkey-purge: <keys>` to every node (see the README's VCL)."""
    for node in settings.CDN_PURGE_URLS:
        headers = {"xkey-purge": " ".join(keys)}
        if settings.CDN_SOFT_PURGE:
            headers["xkey-softpurge"] = headers.pop("xkey-purge")
        _send("PURGE", node.rstrip("/") + "/", headers=headers)


def nginx(keys, paths):
    """nginx with ngx_cache_purge: `PURGE <path>` per path (a trailing `*` purges by prefix) to every node."""
    for node in settings.CDN_PURGE_URLS:
        for path in paths:
            _send("PURGE", node.rstrip("/") + path)


def cloudflare(keys, paths):
    """Cloudflare: POST /zones/{zone}/purge_cache {"tags": [...]}, 30 tags a call, bearer token."""
    url = f"{settings.CLOUDFLARE_API_URL.rstrip('/')}/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache"
    for batch in _chunks(keys, 30):
        status, body = _send("POST", url, headers={"Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}"},
                             body={"tags": batch})
        if not json.loads(body or b"{}").get("success"):
            raise PurgeFailed(f"Cloudflare refused the purge: {body[:200]!r}")


def fastly(keys, paths):
    """Fastly: POST /service/{id}/purge with `Surrogate-Key: <keys>` (256 a call) and the API token."""
    url = f"{settings.FASTLY_API_URL.rstrip('/')}/service/{settings.FASTLY_SERVICE_ID}/purge"
    for batch in _chunks(keys, 256):
        headers = {"Fastly-Key": settings.FASTLY_API_TOKEN, "Surrogate-Key": " ".join(batch),
                   "Accept": "application/json"}
        if settings.CDN_SOFT_PURGE:
            headers["Fastly-Soft-Purge"] = "1"
        _send("POST", url, headers=headers)


def cloudfront(keys, paths):
    """CloudFront: CreateInvalidation of the paths (it has no tags), through boto3 and its usual credentials."""
    import boto3

    # CloudFront is global; its API is signed for us-east-1 whatever region the rest of AWS uses.
    client = boto3.client("cloudfront", region_name="us-east-1", endpoint_url=settings.CLOUDFRONT_ENDPOINT_URL or None)
    for batch in _chunks(paths, 3000):
        try:
            client.create_invalidation(DistributionId=settings.CLOUDFRONT_DISTRIBUTION_ID, InvalidationBatch={
                "Paths": {"Quantity": len(batch), "Items": batch}, "CallerReference": uuid.uuid4().hex,
            })
        except Exception as exc:  # noqa: BLE001 (botocore's errors have no common base worth naming)
            raise PurgeFailed(f"CloudFront refused the invalidation: {exc}") from None


BACKENDS = {name: f"edge.purge.{name}" for name in ("varnish", "nginx", "cloudflare", "fastly", "cloudfront")}
