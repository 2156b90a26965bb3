"""DRF's rate throttles, identifying the client by ``marketplace.core.client_ip`` (one rule with axes)."""

from rest_framework import throttling

from marketplace.core.client_ip import client_ip


class _ClientIpMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(_ClientIpMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ClientIpMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_ClientIpMixin, throttling.ScopedRateThrottle):
    pass
