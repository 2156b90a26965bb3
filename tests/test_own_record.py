"""Separation of duties: nobody acts on a record that credits or certifies themselves.

The cast: the suite's coordinator of the Changzhou legal aid centre and its regulator of the
Changzhou justice bureau, each of whom has also registered a provider profile (a lawyer in 天宁区).
Every refused path answers 403 ``own_record`` (API body, page marker) and writes nothing.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from duties import services as duty_services
from duties.models import AnnualReview, DutyEntry, EntryKind, HourLogStatus, ReviewStatus
from marketplace.core.errors import OwnRecord, ensure_not_own_record
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from tests.factories import (
    AidTaskFactory,
    CaseFactory,
    ClaimFactory,
    DutyRuleFactory,
    HourLogFactory,
    VolunteerFactory,
)
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_YEAR = timezone.localdate().year - 1
SCOPE = {"year": LAST_YEAR, "region": "320400"}


# --- the cast ------------------------------------------------------------------------------


@pytest.fixture
def coordinator_profile(coordinator, regions):
    """The coordinator registered as a lawyer too (the finding)."""
    return VolunteerFactory(user=coordinator, region=regions["tianning"])


@pytest.fixture
def regulator_profile(regulator, regions):
    """The regulator registered as a lawyer too, pending verification (the finding)."""
    return VolunteerFactory(user=regulator, region=regions["tianning"], status=VolunteerStatus.PENDING)


def assert_own_record_api(response):
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "own_record"
    assert response.json()["detail"]


def assert_own_record_page(response):
    assert response.status_code == 403, response.content
    body = response.content.decode()
    assert 'data-code="own_record"' in body
    assert str(OwnRecord.default_detail) in body


def assert_api_refuses(client, path: str, data=None):
    """POST ``data`` (as JSON) to the API at ``path``: it must be refused as the actor's own record."""
    assert_own_record_api(client.post(path, data, format="json"))


def assert_page_refuses(client, url: str, data=None):
    """POST the form ``data`` to the page at ``url``: it must be refused as the actor's own record."""
    assert_own_record_page(client.post(url, data))


def ledger_rows() -> int:
    return DutyEntry.objects.count()


# --- the rule itself -----------------------------------------------------------------------


def test_the_rule_refuses_the_actor_on_their_own_profile_only(coordinator, coordinator_profile, provider_volunteer):
    with pytest.raises(OwnRecord) as refused:
        ensure_not_own_record(coordinator, coordinator_profile)
    assert refused.value.code == "own_record" and refused.value.status == 403

    ensure_not_own_record(coordinator, provider_volunteer)
    ensure_not_own_record(None, coordinator_profile)  # the system acting: no actor, no conflict


# --- claims: accept ------------------------------------------------------------------------


@pytest.fixture
def approval_task(legal_aid_center, regions):
    return AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        requires_approval=True,
        starts_at=timezone.now() + timedelta(days=7),
    )


@pytest.fixture
def own_requested_claim(approval_task, coordinator_profile):
    return ClaimFactory(task=approval_task, volunteer=coordinator_profile, status=ClaimStatus.REQUESTED)


def assert_claim_untouched(claim):
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REQUESTED and claim.decided_by_id is None
    assert AidTask.objects.get(pk=claim.task_id).seats_taken == 0


def test_a_coordinator_cannot_accept_their_own_claim_by_api(api_as, coordinator, own_requested_claim):
    assert_api_refuses(api_as(coordinator), f"/api/v1/claims/{own_requested_claim.pk}/accept/")
    assert_claim_untouched(own_requested_claim)


def test_a_coordinator_cannot_accept_their_own_claim_on_the_desk(client_as, coordinator, own_requested_claim):
    assert_page_refuses(client_as(coordinator), reverse("desk-claim-accept", args=[own_requested_claim.pk]))
    assert_claim_untouched(own_requested_claim)


def test_another_providers_claim_is_still_accepted(api_as, coordinator, approval_task, provider_volunteer):
    claim = ClaimFactory(task=approval_task, volunteer=provider_volunteer, status=ClaimStatus.REQUESTED)

    response = api_as(coordinator).post(f"/api/v1/claims/{claim.pk}/accept/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"


# --- assignment (指派) ----------------------------------------------------------------------


@pytest.fixture
def centre_task(legal_aid_center, regions):
    return AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        starts_at=timezone.now() + timedelta(days=7),
        seats=1,
    )


def test_a_coordinator_cannot_assign_a_task_to_themself_by_api(api_as, coordinator, coordinator_profile, centre_task):
    assert_api_refuses(
        api_as(coordinator), f"/api/v1/tasks/{centre_task.pk}/assign/", {"volunteer": coordinator_profile.pk}
    )
    assert not Claim.objects.exists()
    assert AidTask.objects.get(pk=centre_task.pk).seats_taken == 0


def test_a_coordinator_cannot_assign_a_task_to_themself_on_the_desk(
    client_as, coordinator, coordinator_profile, centre_task
):
    assert_page_refuses(
        client_as(coordinator),
        reverse("desk-task-assign", args=[centre_task.pk]),
        {"volunteer": coordinator_profile.pk},
    )
    assert not Claim.objects.exists()


def test_the_candidates_never_offer_the_coordinator_themself(
    api_as, client_as, coordinator, coordinator_profile, provider_volunteer, centre_task
):
    response = api_as(coordinator).get(f"/api/v1/tasks/{centre_task.pk}/candidates/")

    assert response.status_code == 200
    assert [r["volunteer"] for r in response.json()["results"]] == [provider_volunteer.pk]
    page = client_as(coordinator).get(reverse("desk-task", args=[centre_task.pk])).content.decode()
    assert f'value="{provider_volunteer.pk}"' in page
    assert f'value="{coordinator_profile.pk}"' not in page


# --- hours: confirm, decline, bulk ----------------------------------------------------------


@pytest.fixture
def own_claim(legal_aid_center, regions, coordinator_profile):
    start = datetime(LAST_YEAR, 1, 5, 9, tzinfo=SHANGHAI)
    task = AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        starts_at=start,
        ends_at=start + timedelta(days=300),
        claim_deadline=None,
    )
    return ClaimFactory(task=task, volunteer=coordinator_profile, status=ClaimStatus.ACCEPTED)


def _log(claim, hours="8.00"):
    return HourLogFactory(claim=claim, volunteer=claim.volunteer, date=date(LAST_YEAR, 3, 2), hours=Decimal(hours))


@pytest.fixture
def own_log(own_claim):
    return _log(own_claim)


@pytest.fixture
def others_log(own_claim, provider_volunteer):
    claim = ClaimFactory(task=own_claim.task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    return _log(claim, hours="2.00")


def assert_logs_pending(*logs):
    for log in logs:
        log.refresh_from_db()
        assert log.status == HourLogStatus.PENDING and log.decided_by_id is None
    assert ledger_rows() == 0


def test_a_coordinator_cannot_confirm_their_own_hours_by_api(api_as, coordinator, own_log):
    assert_api_refuses(api_as(coordinator), f"/api/v1/hours/{own_log.pk}/confirm/", {})
    assert_logs_pending(own_log)


def test_a_coordinator_cannot_confirm_their_own_hours_on_the_desk(client_as, coordinator, own_log):
    assert_page_refuses(client_as(coordinator), reverse("desk-hours-confirm", args=[own_log.pk]), {"comment": ""})
    assert_logs_pending(own_log)


def test_a_coordinator_cannot_decline_their_own_hours_by_api(api_as, coordinator, own_log):
    assert_api_refuses(api_as(coordinator), f"/api/v1/hours/{own_log.pk}/decline/", {"comment": "no"})
    assert_logs_pending(own_log)


def test_a_coordinator_cannot_decline_their_own_hours_on_the_desk(client_as, coordinator, own_log):
    assert_page_refuses(client_as(coordinator), reverse("desk-hours-decline", args=[own_log.pk]), {"comment": "no"})
    assert_logs_pending(own_log)


def test_a_bulk_confirm_with_an_own_log_is_refused_whole_by_api(api_as, coordinator, own_log, others_log):
    assert_api_refuses(api_as(coordinator), "/api/v1/hours/bulk-confirm/", {"ids": [others_log.pk, own_log.pk]})
    assert_logs_pending(own_log, others_log)


def test_a_bulk_decline_with_an_own_log_is_refused_whole_by_api(api_as, coordinator, own_log, others_log):
    assert_api_refuses(
        api_as(coordinator), "/api/v1/hours/bulk-decline/", {"ids": [others_log.pk, own_log.pk], "comment": "no"}
    )
    assert_logs_pending(own_log, others_log)


@pytest.mark.parametrize("action", ["confirm", "decline"])
def test_a_bulk_decision_with_an_own_log_is_refused_whole_on_the_desk(
    client_as, coordinator, own_log, others_log, action
):
    assert_page_refuses(
        client_as(coordinator),
        reverse("desk-hours-bulk"),
        {"ids": [others_log.pk, own_log.pk], "action": action, "comment": "no"},
    )
    assert_logs_pending(own_log, others_log)


def test_another_providers_hours_are_still_confirmed(api_as, coordinator, others_log):
    response = api_as(coordinator).post(f"/api/v1/hours/{others_log.pk}/confirm/", {}, format="json")

    assert response.status_code == 200, response.content
    assert ledger_rows() == 1


# --- accepting a case's closing credits its handler -------------------------------------------


@pytest.fixture
def own_case_task(legal_aid_center, regions, coordinator_profile):
    """A case the coordinator handles themself, its closing filed and awaiting review."""
    from marketplace.cases.models import ClosingReport

    task = CaseFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        days_ago=3,
        lasting=timedelta(days=1),
        seats_taken=1,
        status=TaskStatus.CLOSING_REVIEW,
    )
    claim = ClaimFactory(task=task, volunteer=coordinator_profile, status=ClaimStatus.ACCEPTED, is_assignment=True)
    ClosingReport.objects.create(
        task=task,
        claim=claim,
        handler=coordinator_profile,
        outcome="supported",
        summary="结案",
        filed_by=coordinator_profile.user,
        filed_at=timezone.now(),
    )
    return task


def assert_case_untouched(task):
    from marketplace.cases.models import ClosingReport, ClosingReview

    assert AidTask.objects.get(pk=task.pk).status == TaskStatus.CLOSING_REVIEW
    assert Claim.objects.get(task=task).status == ClaimStatus.ACCEPTED
    assert ClosingReport.objects.get(task=task).status == "pending"
    assert ClosingReview.objects.count() == 0
    assert ledger_rows() == 0


def test_a_coordinator_cannot_accept_the_closing_of_their_own_case_by_api(api_as, coordinator, own_case_task):
    assert_api_refuses(
        api_as(coordinator), f"/api/v1/tasks/{own_case_task.pk}/closing/review/", {"accepted": True, "quality": "good"}
    )
    assert_case_untouched(own_case_task)


def test_a_coordinator_cannot_accept_the_closing_of_their_own_case_on_the_page(client_as, coordinator, own_case_task):
    assert_page_refuses(
        client_as(coordinator),
        reverse("case-closing-review", args=[own_case_task.pk]),
        {"accepted": "1", "quality": "good"},
    )
    assert_case_untouched(own_case_task)


# --- verifying a provider -------------------------------------------------------------------


def test_a_regulator_cannot_verify_their_own_profile_by_api(api_as, regulator, regulator_profile):
    assert_api_refuses(
        api_as(regulator), f"/api/v1/volunteers/{regulator_profile.pk}/verify/", {"status": "verified", "note": ""}
    )
    regulator_profile.refresh_from_db()
    assert regulator_profile.status == VolunteerStatus.PENDING and regulator_profile.status_changed_by_id is None


def test_a_regulator_cannot_verify_their_own_profile_on_the_page(client_as, regulator, regulator_profile):
    assert_page_refuses(
        client_as(regulator),
        reverse("regulator-provider-verify", args=[regulator_profile.pk]),
        {"status": "verified", "note": ""},
    )
    regulator_profile.refresh_from_db()
    assert regulator_profile.status == VolunteerStatus.PENDING


# --- annual reviews -------------------------------------------------------------------------


@pytest.fixture
def met_last_year(legal_aid_center, coordinator, regions, provider_volunteer, regulator_profile):
    """Both the regulator's profile (verified meanwhile) and the suite's lawyer met last year's
    rule (two cases each, credited by the coordinator); their reviews are open."""
    from tests.duties.conftest import make_case_claim

    regulator_profile.status = VolunteerStatus.VERIFIED
    regulator_profile.save(update_fields=["status"])
    DutyRuleFactory(year=LAST_YEAR, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=50, min_cases=2)
    when = datetime(LAST_YEAR, 11, 1, 10, tzinfo=SHANGHAI)
    for volunteer in (provider_volunteer, regulator_profile):
        for _ in range(2):
            duty_services.duty_credit_case(claim=make_case_claim(legal_aid_center, volunteer), by=coordinator, now=when)
    return regulator_profile


@pytest.fixture
def own_review(api_as, regulator, met_last_year):
    # Opening a year for a region that includes the regulator's own profile is fine.
    response = api_as(regulator).post("/api/v1/reviews/open/", SCOPE, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["opened"] == 2
    return AnnualReview.objects.get(volunteer=met_last_year, year=LAST_YEAR)


def assert_review_open(review):
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN
    assert review.decided_by_id is None and review.certificate_code is None


def test_a_regulator_cannot_decide_their_own_review_by_api(api_as, regulator, own_review):
    assert_api_refuses(api_as(regulator), f"/api/v1/reviews/{own_review.pk}/decide/", {"decision": "compliant"})
    assert_review_open(own_review)


def test_a_regulator_cannot_decide_their_own_review_on_the_page(client_as, regulator, own_review):
    assert_page_refuses(
        client_as(regulator),
        reverse("regulator-review-decide", args=[own_review.pk]),
        {"decision": "compliant", "note": ""},
    )
    assert_review_open(own_review)


def test_deciding_compliant_in_bulk_skips_the_regulators_own_review_and_says_so_by_api(
    api_as, regulator, own_review, provider_volunteer
):
    response = api_as(regulator).post("/api/v1/reviews/decide-compliant/", SCOPE, format="json")

    assert response.status_code == 200, response.content
    others = AnnualReview.objects.get(volunteer=provider_volunteer, year=LAST_YEAR)
    body = response.json()
    assert body["decided"] == 1 and body["reviews"] == [others.pk]
    assert body["skipped"] == [{"review": own_review.pk, "code": "own_record", "detail": str(OwnRecord.default_detail)}]
    assert_review_open(own_review)


def test_deciding_compliant_in_bulk_skips_the_regulators_own_review_and_says_so_on_the_page(
    client_as, regulator, own_review, provider_volunteer
):
    response = client_as(regulator).post(reverse("regulator-reviews-bulk"), SCOPE, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "1 review decided compliant." in text
    assert f"Left open: the review of {own_review.volunteer.display_name}. {OwnRecord.default_detail}" in text
    assert AnnualReview.objects.get(volunteer=provider_volunteer, year=LAST_YEAR).status == ReviewStatus.COMPLIANT
    assert_review_open(own_review)


def test_a_self_decided_certificate_cannot_arise_so_none_verifies(api, api_as, regulator, own_review):
    api_as(regulator).post(f"/api/v1/reviews/{own_review.pk}/decide/", {"decision": "exempt"}, format="json")
    api_as(regulator).post("/api/v1/reviews/decide-compliant/", SCOPE, format="json")

    own_review.refresh_from_db()
    assert own_review.certificate_code is None
    assert not AnnualReview.objects.filter(decided_by=regulator, volunteer__user=regulator).exists()


@pytest.fixture
def own_certified_review(own_review, other_regulator_here):
    """The regulator's own review, decided compliant by a colleague (as it should be)."""
    return duty_services.review_decide(review=own_review, decision="compliant", by=other_regulator_here)


@pytest.fixture
def other_regulator_here(lawyers_association):
    from organizations.models import Role
    from tests.factories import member

    # A colleague at the lawyers' association, which assesses lawyers (ASSESSED_BY).
    return member(lawyers_association, Role.REVIEWER, username="colleague", first_name="钱同事")


def test_a_colleague_decides_the_regulators_review(own_certified_review, regulator):
    assert own_certified_review.status == ReviewStatus.COMPLIANT
    assert own_certified_review.certificate_code


def test_a_regulator_cannot_revoke_their_own_certificate_by_api(api_as, regulator, own_certified_review):
    assert_api_refuses(api_as(regulator), f"/api/v1/reviews/{own_certified_review.pk}/revoke-certificate/")
    own_certified_review.refresh_from_db()
    assert own_certified_review.certificate_revoked_at is None


# --- the ledger: reversing an entry ---------------------------------------------------------


def test_a_regulator_cannot_reverse_an_entry_of_their_own_by_api(api_as, regulator, met_last_year):
    entry = DutyEntry.objects.filter(volunteer=met_last_year, kind=EntryKind.CASE).first()
    before = ledger_rows()

    assert_api_refuses(api_as(regulator), f"/api/v1/ledger/{entry.pk}/reverse/", {"reason": "typo"})
    assert ledger_rows() == before
    assert not DutyEntry.objects.filter(reverses=entry).exists()


def test_a_regulator_still_reverses_another_providers_entry(api_as, regulator, met_last_year, provider_volunteer):
    entry = DutyEntry.objects.filter(volunteer=provider_volunteer, kind=EntryKind.CASE).first()

    response = api_as(regulator).post(f"/api/v1/ledger/{entry.pk}/reverse/", {"reason": "typo"}, format="json")

    assert response.status_code == 201, response.content
