import time

import pytest

from articles.preview import issue_preview_token, preview_token_matches

pytestmark = pytest.mark.django_db


def test_token_opens_only_its_own_article(article, category):
    token = issue_preview_token(article)
    assert preview_token_matches(token, article.code)
    other = type(article).objects.create(title="Other", category=category)
    assert not preview_token_matches(token, other.code)


def test_tampered_or_empty_token_is_refused(article):
    token = issue_preview_token(article)
    # Change the second-to-last character (the last one may carry only padding bits of the signature).
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert tampered != token
    assert not preview_token_matches(tampered, article.code)
    assert not preview_token_matches("", article.code)
    assert not preview_token_matches(None, article.code)


def test_expired_token_is_refused(article, settings):
    token = issue_preview_token(article)
    settings.PREVIEW_TOKEN_MAX_AGE = 0
    time.sleep(1.1)
    assert not preview_token_matches(token, article.code)
