"""Rate limits of the public complaint form and of the tracking-code lookup, per client address
(``marketplace.core.client_ip``): the API and the pages count together."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from marketplace.core.client_ip import client_ip


class _PerAddressThrottle(SimpleRateThrottle):
    """The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``, read at each request."""

    default_rate = "30/min"

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class ComplaintFilingThrottle(_PerAddressThrottle):
    """Complaints filed from one address (``THROTTLE_COMPLAINT``): a person files a few; a flood
    is spam."""

    scope = "complaint"
    default_rate = "10/hour"


class ComplaintLookupThrottle(_PerAddressThrottle):
    """Tracking-code lookups from one address (``THROTTLE_COMPLAINT_LOOKUP``). Codes are 80
    random bits: the limit is against scraping, not guessing."""

    scope = "complaint_lookup"
    default_rate = "30/min"
