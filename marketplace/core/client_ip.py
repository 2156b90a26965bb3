"""The client's address, for rate limits and lockouts: one answer for DRF throttles and axes.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only as far as
the deployment says: ``TRUSTED_PROXY_COUNT`` reverse proxies each append the address they saw.
With 0 (the default) the header is ignored and ``REMOTE_ADDR`` is the client; with N, the client
is the Nth address from the right (what the outermost trusted proxy saw). Anything to its left
was sent by the client and is never read.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request`` (``REMOTE_ADDR`` unless proxies are trusted)."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in forwarded.split(",")]
    # Same pick as DRF's NUM_PROXIES: fewer entries than proxies means the request skipped the
    # outer ones, and the leftmost entry is then what the first proxy it reached saw.
    candidate = addresses[-min(proxies, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a proxy that wrote garbage: fall back to the peer rather than count garbage
        return remote_addr
