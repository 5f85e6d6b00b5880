"""Signed, expiring preview tokens that let a frontend show one unpublished article, and nothing else."""

from django.conf import settings
from django.core import signing

SALT = "articles.preview"


def issue_preview_token(article):
    """A token for this article only, valid for PREVIEW_TOKEN_MAX_AGE seconds."""
    return signing.dumps({"code": article.code}, salt=SALT, compress=True)


def preview_token_matches(token, code):
    """True only for an untampered, unexpired token issued for `code`."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return False
    return isinstance(payload, dict) and payload.get("code") == code
