"""A station records a shift served once: the help given, the people helped; its hours are
credited through a confirmed hour log and a subsidy line is created. A second call is 409."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.models import DutyEntry, EntryKind, HourLog, HourLogStatus
from duties.subsidies.models import SubsidyKind, SubsidyLine
from marketplace.models import Claim, ClaimStatus, TaskStatus
from marketplace.rosters.models import ServedShift
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

REPORT = {"help_given": ["advice", "plea_present"], "people_helped": 3, "note": "认罪认罚具结书签署在场两次"}


@pytest.fixture
def served_claim(make_shift, provider_volunteer):
    shift = make_shift(timezone.localdate() - timedelta(days=1), "morning")
    claim = ClaimFactory(task=shift.task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    shift.task.seats_taken = 1
    shift.task.save()
    return claim


def record(api_as, user, claim, report=REPORT):
    return api_as(user).post(f"/api/v1/claims/{claim.pk}/served/", report, format="json")


def counts():
    return (
        ServedShift.objects.count(),
        HourLog.objects.count(),
        DutyEntry.objects.count(),
        SubsidyLine.objects.count(),
    )


def test_the_station_records_it_and_the_hours_are_credited_once(api_as, coordinator, served_claim):
    answer = record(api_as, coordinator, served_claim)

    assert answer.status_code == 201, answer.json()
    assert answer.json()["help_given"] == ["advice", "plea_present"]
    assert answer.json()["hours"] == "3.50"
    log = HourLog.objects.get(claim=served_claim)
    assert (log.status, log.confirmed_hours, log.decided_by) == (HourLogStatus.CONFIRMED, log.hours, coordinator)
    entry = DutyEntry.objects.get(hour_log=log)
    assert (entry.kind, str(entry.hours)) == (EntryKind.HOURS, "3.50")
    line = SubsidyLine.objects.get(kind=SubsidyKind.DUTY_SHIFT)
    assert (line.volunteer_id, line.half_days, line.task_id) == (served_claim.volunteer_id, 1, served_claim.task_id)
    served_claim.refresh_from_db()
    assert served_claim.status == ClaimStatus.COMPLETED
    served_claim.task.refresh_from_db()
    assert served_claim.task.status == TaskStatus.COMPLETED

    before = counts()
    again = record(api_as, coordinator, served_claim)
    assert again.status_code == 409
    assert again.json()["code"] == "already_served"
    assert counts() == before


def test_fewer_hours_may_be_credited_never_more(api_as, coordinator, served_claim):
    too_many = record(api_as, coordinator, served_claim, REPORT | {"hours": "4.00"})
    assert too_many.status_code == 400
    assert "hours" in too_many.json()

    answer = record(api_as, coordinator, served_claim, REPORT | {"hours": "2.00"})
    assert answer.json()["hours"] == "2.00"


@pytest.mark.parametrize(
    ("report", "field"),
    [
        ({"help_given": ["chat"], "people_helped": 1}, "help_given"),
        ({"help_given": [], "people_helped": 2}, "help_given"),
        ({"help_given": ["other"], "people_helped": 1}, "note"),
        ({"help_given": ["advice"], "people_helped": -1}, "people_helped"),
    ],
)
def test_bad_reports_are_field_errors_and_write_nothing(api_as, coordinator, served_claim, report, field):
    answer = record(api_as, coordinator, served_claim, report)
    assert answer.status_code == 400
    assert field in answer.json()
    assert counts() == (0, 0, 0, 0)


def test_nobody_helped_is_still_a_shift_served(api_as, coordinator, served_claim):
    answer = record(api_as, coordinator, served_claim, {"help_given": [], "people_helped": 0})
    assert answer.status_code == 201


def test_the_lawyer_may_not_record_their_own_shift(api_as, provider, served_claim):
    answer = record(api_as, provider, served_claim)
    assert answer.status_code == 403
    assert counts() == (0, 0, 0, 0)


def test_a_coordinator_who_is_the_lawyer_gets_own_record(api_as, coordinator, make_shift, regions):
    from tests.factories import VolunteerFactory

    me = VolunteerFactory(user=coordinator, region=regions["tianning"])
    shift = make_shift(timezone.localdate() - timedelta(days=2))
    claim = ClaimFactory(task=shift.task, volunteer=me)

    answer = record(api_as, coordinator, claim)

    assert answer.status_code == 403
    assert answer.json()["code"] == "own_record"


def test_another_organisation_gets_404_and_anonymous_401(api, api_as, outsider, served_claim):
    assert record(api_as, outsider, served_claim).status_code == 404
    assert api.post(f"/api/v1/claims/{served_claim.pk}/served/", REPORT, format="json").status_code == 401


def test_a_shift_not_yet_started_is_409(api_as, coordinator, make_shift, provider_volunteer):
    shift = make_shift(timezone.localdate() + timedelta(days=2))
    claim = ClaimFactory(task=shift.task, volunteer=provider_volunteer)

    answer = record(api_as, coordinator, claim)

    assert answer.status_code == 409
    assert answer.json()["code"] == "shift_not_started"


def test_a_claim_on_another_task_is_not_a_shift(api_as, coordinator, legal_aid_center, provider_volunteer):
    claim = ClaimFactory(task__organization=legal_aid_center, volunteer=provider_volunteer)
    answer = record(api_as, coordinator, claim)
    assert answer.status_code == 409
    assert answer.json()["code"] == "not_a_shift"
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACCEPTED
