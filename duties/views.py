"""Public pages of the duties app: checking a certificate by its code."""

import math
import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from duties.models import CERTIFIED_REVIEW_STATUSES, AnnualReview, VolunteerServiceRecord
from marketplace.core.client_ip import client_ip

_NOT_CODE = re.compile(r"[^A-Z2-7]")


def normalise_code(raw: str) -> str:
    """Codes are printed as ABCD-EFGH-IJKL-MNOP; accept any case, spacing or dashes."""
    letters = _NOT_CODE.sub("", raw.upper())
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def certificate_facts(review: AnnualReview) -> dict:
    volunteer = review.volunteer
    org = review.decided_by_org
    return {
        "document": "duty_certificate",
        "code": review.certificate_code,
        "number": review.certificate_number or "",
        "provider": volunteer.display_name,
        "volunteer_kind": volunteer.kind,
        "licence_number": volunteer.licence_number,
        "year": review.year,
        "result": review.status,
        "hours": f"{review.hours or 0:.2f}",
        "cases": review.cases or 0,
        "issued_by": org.name if org else "",
        "issued_by_en": org.name_en if org else "",
        "decided_at": timezone.localtime(review.decided_at).isoformat() if review.decided_at else None,
        "revoked_at": (
            timezone.localtime(review.certificate_revoked_at).isoformat() if review.certificate_revoked_at else None
        ),
        "revoke_reason": review.certificate_revoke_reason if review.certificate_revoked_at else "",
        # The ledger's chain head when the review was decided: the certificate does not print it.
        "ledger_head": review.ledger_head_hash,
    }


def service_record_facts(record: VolunteerServiceRecord) -> dict:
    volunteer = record.volunteer
    return {
        "document": "volunteer_service_record",
        "code": record.code,
        "provider": volunteer.display_name,
        "volunteer_kind": volunteer.kind,
        "year": record.year,
        "hours": f"{record.hours:.2f}",
        "months": [{"month": month, "hours": hours} for month, hours in record.months],
        "organizations": list(record.organizations),
        "issued_at": timezone.localtime(record.issued_at).isoformat(),
    }


class VerifyThrottle(SimpleRateThrottle):
    """Certificate checks per client address, page and JSON counted together.

    The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["verify"]`` (``THROTTLE_VERIFY``,
    30 a minute by default), read at each request; the address is ``marketplace.core.client_ip``.
    Codes are 80 random bits, so the limit is against scraping rather than guessing.
    """

    scope = "verify"

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or "30/min"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def _throttled(request, wait: float | None):
    seconds = max(math.ceil(wait or 1), 1)
    detail = _("Too many certificate checks from your address. Try again in %(seconds)d seconds.") % {
        "seconds": seconds
    }
    if _wants_json(request):
        response = JsonResponse(
            {"detail": detail, "code": "throttled"}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = render(request, "duties/verify.html", {"state": "throttled", "detail": detail}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


@require_GET
def verify_certificate(request, code: str):
    """``/verify/{code}/``: anyone checks a certificate: valid, revoked, or unknown (404).
    Too many checks from one address: 429 ``throttled``."""
    throttle = VerifyThrottle()
    if not throttle.allow_request(request, None):
        return _throttled(request, throttle.wait())
    normalised = normalise_code(code)
    review = (
        AnnualReview.objects.select_related("volunteer__user", "decided_by_org")
        .filter(
            certificate_code=normalised,
            status__in=CERTIFIED_REVIEW_STATUSES,
        )
        .first()
        if len(normalised) == 19
        else None
    )
    record = (
        VolunteerServiceRecord.objects.select_related("volunteer__user").filter(code=normalised).first()
        if review is None and len(normalised) == 19
        else None
    )
    if record is not None:
        state, status, facts = "valid", 200, service_record_facts(record)
    elif review is None:
        state, status, facts = "unknown", 404, None
    elif review.certificate_revoked_at:
        state, status, facts = "revoked", 200, certificate_facts(review)
    else:
        state, status, facts = "valid", 200, certificate_facts(review)
    if _wants_json(request):
        return JsonResponse(
            {"code": normalised or code, "status": state, "valid": state == "valid", "certificate": facts},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "duties/verify.html",
        {"code": normalised or code, "state": state, "facts": facts, "review": review, "record": record},
        status=status,
    )
