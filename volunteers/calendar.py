"""A provider's secret calendar link (``/calendar/{token}.ics``).

The token is a 128-bit random nonce stored on the provider, signed with the site's key
(``django.core.signing``, its own salt): ``<nonce hex>.<signature>``. A guessed token fails the
signature; a revoked one names a nonce no provider holds any more. Either way the feed answers a
plain 404. Resetting draws a new nonce, which revokes the old link at once. Rotating
``SECRET_KEY`` without keeping the old key in ``SECRET_KEY_FALLBACKS`` revokes every link.
"""

from django.core import signing
from django.urls import reverse

from marketplace.core.site import site_url
from volunteers.models import Volunteer, new_calendar_nonce

_SALT = "volunteers.calendar"
_SEP = "."


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT, sep=_SEP)


def calendar_token(volunteer: Volunteer) -> str:
    """The provider's current link token, issuing the first one when there is none."""
    if not volunteer.calendar_nonce:
        return reset_calendar_token(volunteer)
    return _signer().sign(volunteer.calendar_nonce)


def calendar_url(token: str, *, request=None) -> str:
    """The feed's absolute address (``marketplace.core.site.site_url``)."""
    return site_url(reverse("calendar-feed", kwargs={"token": token}), request=request)


def reset_calendar_token(volunteer: Volunteer) -> str:
    """Revoke the provider's link and issue a new one."""
    volunteer.calendar_nonce = new_calendar_nonce()
    Volunteer.objects.filter(pk=volunteer.pk).update(calendar_nonce=volunteer.calendar_nonce)
    return _signer().sign(volunteer.calendar_nonce)


def volunteer_for_calendar_token(token: str) -> Volunteer | None:
    """The provider whose current link this is; None for a guessed, altered or revoked token."""
    try:
        nonce = _signer().unsign(token)
    except signing.BadSignature:
        return None
    if len(nonce) != 32:
        return None
    return Volunteer.objects.filter(calendar_nonce=nonce).first()
