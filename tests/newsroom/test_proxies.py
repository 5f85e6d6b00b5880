"""Forwarding headers count only from a configured proxy: the throttle cannot be walked around with one."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from newsroom.proxies import client_address, parse_networks

pytestmark = pytest.mark.django_db
LANGUAGES = "/api/v1/languages/"


def address(settings, remote, forwarded=None, count=0, networks=()):
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(n) for n in networks]
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_a_proxy_the_peer_is_the_client(settings):
    assert address(settings, "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_proxy_count_reads_that_many_entries_from_the_right(settings):
    assert address(settings, "10.0.0.2", "198.51.100.1", count=1) == "198.51.100.1"
    # A client's own claim is left of what our proxy appended.
    assert address(settings, "10.0.0.2", "1.2.3.4, 198.51.100.1", count=1) == "198.51.100.1"
    assert address(settings, "10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.2", count=2) == "198.51.100.1"
    assert address(settings, "10.0.0.2", "", count=1) == "10.0.0.2"


def test_trusted_networks_walk_past_our_proxies(settings):
    networks = ["10.0.0.0/8"]
    assert address(settings, "10.0.0.5", "6.6.6.6, 5.5.5.5, 10.0.0.7", networks=networks) == "5.5.5.5"
    # A peer outside the networks is not our proxy: its header is a claim.
    assert address(settings, "203.0.113.9", "5.5.5.5", networks=networks) == "203.0.113.9"


def test_malformed_networks_name_the_variable():
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_NETWORKS"):
        parse_networks("TRUSTED_PROXY_NETWORKS", ["10.0.0.0/33"])


def test_once_throttled_a_new_forwarded_for_does_not_get_through(api_client, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    assert api_client.get(LANGUAGES, REMOTE_ADDR="203.0.113.9").status_code == 200
    assert api_client.get(LANGUAGES, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    for n in range(5):
        response = api_client.get(LANGUAGES, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}")
        assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_count(api_client, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    settings.TRUSTED_PROXY_COUNT = 1
    assert api_client.get(LANGUAGES, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert api_client.get(LANGUAGES, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    spoofed = api_client.get(LANGUAGES, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.1")
    assert spoofed.status_code == 429


def test_the_throttle_counts_in_the_configured_cache(api_client, settings):
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                      "LOCATION": "throttle-test"}}
    settings.API_THROTTLE_CACHE = "throttle"
    settings.API_THROTTLE_RATE = "1/minute"
    assert api_client.get(LANGUAGES).status_code == 200
    assert api_client.get(LANGUAGES).status_code == 429
    caches["throttle"].clear()
    assert api_client.get(LANGUAGES).status_code == 200


@pytest.mark.parametrize("proxied, secure", [(False, False), (True, True)])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(client, settings, proxied, secure):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    remote = "10.0.0.2" if proxied else "203.0.113.9"
    response = client.get(LANGUAGES, REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    # Seen as HTTPS, the request is answered; as plain HTTP, it is redirected to HTTPS.
    assert (response.status_code != 301) is secure


def test_concurrent_requests_never_pass_more_than_the_rate(settings):
    """Counts are raised atomically: threads hammering one counter let exactly the rate through."""
    from concurrent.futures import ThreadPoolExecutor

    from django.core.cache import cache

    from articles.api.throttles import PublicRateThrottle

    cache.clear()
    settings.API_THROTTLE_RATE = "100/minute"
    request = RequestFactory().get(LANGUAGES, REMOTE_ADDR="203.0.113.9")
    request.user = type("Anonymous", (), {"is_authenticated": False})()

    def attempt(_):
        from rest_framework.request import Request

        return PublicRateThrottle().allow_request(Request(request), None)

    with ThreadPoolExecutor(8) as pool:
        passed = sum(pool.map(attempt, range(300)))
    assert passed == 100
