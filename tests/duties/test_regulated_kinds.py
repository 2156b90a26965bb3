"""Regulators' lists show the kinds of provider their organisation assesses (volunteers.ASSESSED_BY):
the lawyers' association lawyers, the justice bureau notaries and grassroots workers; verification
follows the same split (the bureau also verifies the kinds nobody assesses)."""

from datetime import datetime

import pytest

from duties.models import AnnualReview
from tests.duties.conftest import SHANGHAI, YEAR, duty_rule
from tests.factories import VolunteerFactory
from volunteers.models import VolunteerKind, VolunteerStatus

pytestmark = pytest.mark.django_db

LAST_YEAR = YEAR - 1


@pytest.fixture
def cast(regions):
    """One verified provider of each kind in 天宁区, a pending lawyer and a pending notary."""
    people = {
        kind: VolunteerFactory(kind=kind, region=regions["tianning"], user__first_name=f"{kind}-verified")
        for kind in VolunteerKind.values
    }
    people["pending_lawyer"] = VolunteerFactory(
        kind=VolunteerKind.LAWYER, status=VolunteerStatus.PENDING, region=regions["tianning"]
    )
    people["pending_notary"] = VolunteerFactory(
        kind=VolunteerKind.NOTARY, status=VolunteerStatus.PENDING, region=regions["tianning"]
    )
    for kind in (VolunteerKind.LAWYER, VolunteerKind.NOTARY, VolunteerKind.GRASSROOTS_WORKER):
        duty_rule(regions, YEAR, kind=kind, min_hours=10, min_cases=0)
    return people


def compliance_kinds(api_as, user):
    response = api_as(user).get("/api/v1/reports/compliance/", {"year": YEAR, "region": "320400"})
    assert response.status_code == 200, response.data
    return {row["volunteer_kind"] for row in response.json()["by_kind"]}


def test_the_compliance_report_counts_the_kinds_each_body_assesses(
    api_as, cast, association_reviewer, bureau_reviewer, regulator
):
    assert compliance_kinds(api_as, association_reviewer) == {"lawyer"}
    assert compliance_kinds(api_as, bureau_reviewer) == {"notary", "grassroots_worker"}
    assert compliance_kinds(api_as, regulator) == {"lawyer", "notary", "grassroots_worker"}


def test_the_compliance_export_lists_only_those_kinds(api_as, cast, association_reviewer):
    response = api_as(association_reviewer).get(
        "/api/v1/reports/compliance/", {"year": YEAR, "region": "320400", "format": "csv"}
    )

    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert cast[VolunteerKind.LAWYER].display_name in body
    assert cast[VolunteerKind.NOTARY].display_name not in body
    assert cast[VolunteerKind.LAW_STUDENT].display_name not in body


def test_the_compliance_page_lists_only_those_kinds(client_as, cast, association_reviewer):
    html = client_as(association_reviewer).get("/regulator/compliance/", {"year": YEAR}).content.decode()

    assert cast[VolunteerKind.LAWYER].display_name in html
    assert cast[VolunteerKind.NOTARY].display_name not in html
    assert cast[VolunteerKind.CITIZEN_VOLUNTEER].display_name not in html


def test_the_verification_queue_follows_the_split(client_as, cast, association_reviewer, bureau_reviewer):
    lawyers = client_as(association_reviewer).get("/regulator/providers/").content.decode()
    bureau = client_as(bureau_reviewer).get("/regulator/providers/").content.decode()

    assert cast["pending_lawyer"].display_name in lawyers and cast["pending_notary"].display_name not in lawyers
    assert cast["pending_notary"].display_name in bureau and cast["pending_lawyer"].display_name not in bureau


def test_the_review_list_shows_the_reviews_of_the_kinds_assessed(
    client_as, cast, regions, association_reviewer, bureau_reviewer
):
    opened = datetime(YEAR, 3, 1, tzinfo=SHANGHAI)
    for kind in (VolunteerKind.LAWYER, VolunteerKind.NOTARY):
        rule = duty_rule(regions, LAST_YEAR, kind=kind, min_hours=10)
        AnnualReview.objects.create(
            volunteer=cast[kind], year=LAST_YEAR, region=regions["tianning"], rule=rule, opened_at=opened
        )

    lawyers = client_as(association_reviewer).get("/regulator/reviews/", {"year": LAST_YEAR}).content.decode()
    bureau = client_as(bureau_reviewer).get("/regulator/reviews/", {"year": LAST_YEAR}).content.decode()

    assert cast[VolunteerKind.LAWYER].display_name in lawyers
    assert cast[VolunteerKind.NOTARY].display_name not in lawyers
    assert cast[VolunteerKind.NOTARY].display_name in bureau
    assert cast[VolunteerKind.LAWYER].display_name not in bureau
