"""The demo's annual review follows who assesses whom (volunteers.models.ASSESSED_BY)."""

import io

import pytest
from django.core.management import call_command

from duties.models import AnnualReview


@pytest.mark.django_db
def test_the_association_assessed_lawyers_the_bureau_notaries_and_nobody_students():
    call_command("seed_demo", stdout=io.StringIO())

    reviews = AnnualReview.objects.select_related("volunteer", "decided_by_org")
    assert reviews.exists()
    kinds = set(reviews.values_list("volunteer__kind", flat=True))
    assert not kinds & {"law_student", "citizen_volunteer", "legal_aid_staff"}
    issuers = {(r.volunteer.kind, r.decided_by_org.kind) for r in reviews if r.decided_by_org}
    assert ("lawyer", "lawyers_association") in issuers
    assert all(issuer == ("lawyers_association" if kind == "lawyer" else "justice_bureau") for kind, issuer in issuers)
    certified = reviews.exclude(certificate_code=None)
    assert certified.exists()
    assert all(r.certificate_number for r in certified)
