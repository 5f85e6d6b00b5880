"""The client's address and scheme behind the proxies a deployment declares. `X-Forwarded-For` and
`X-Forwarded-Proto` are headers any client can send: they count only when a trusted proxy set them."""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_networks(name, values):
    """TRUSTED_PROXY_NETWORKS: CIDR blocks (or single addresses); a malformed one names the variable."""
    try:
        return [ipaddress.ip_network(value, strict=False) for value in values]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must list IP networks such as 10.0.0.0/8, got {exc}") from None


def in_networks(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def proxy_configured():
    return bool(settings.TRUSTED_PROXY_COUNT or settings.TRUSTED_PROXY_NETWORKS)


def from_trusted_proxy(request):
    """Whether the peer is one of our proxies: in TRUSTED_PROXY_NETWORKS when those are given, else whenever
    TRUSTED_PROXY_COUNT says the app is only reachable through proxies."""
    if settings.TRUSTED_PROXY_NETWORKS:
        return in_networks(request.META.get("REMOTE_ADDR", ""), settings.TRUSTED_PROXY_NETWORKS)
    return settings.TRUSTED_PROXY_COUNT > 0


def client_address(request):
    """The address the outermost trusted proxy saw the request come from; the peer's own without a proxy.

    Each proxy appends the address it received from, so the client is read from the right: past the addresses
    of TRUSTED_PROXY_NETWORKS, or TRUSTED_PROXY_COUNT entries in. Entries further left are the client's own claims.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not from_trusted_proxy(request):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    if settings.TRUSTED_PROXY_NETWORKS:
        for hop in reversed(hops):
            if not in_networks(hop, settings.TRUSTED_PROXY_NETWORKS):
                return hop
        return hops[0]
    return hops[-min(settings.TRUSTED_PROXY_COUNT, len(hops))]


def resolved_address(request):
    """The client's address once TrustedProxyMiddleware has run (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR", "")
