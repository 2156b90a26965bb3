"""A station's coordinators post dated half-day shifts in bulk, weeks ahead, for lawyers only."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from marketplace.models import AidTask, TaskKind, TaskStatus
from marketplace.rosters.models import DutyShift
from tests.rosters.conftest import days_ahead

pytestmark = pytest.mark.django_db
URL = "/api/v1/rosters/shifts/bulk/"


def body(station, **overrides):
    first = days_ahead(1)
    return {
        "station": station.pk,
        "first_day": first.isoformat(),
        "last_day": (first + timedelta(days=13)).isoformat(),
        "weekdays": [0, 2, 4],
        "half_days": ["morning", "afternoon"],
        "seats": 2,
    } | overrides


def test_the_coordinator_posts_two_weeks_of_half_day_shifts_for_lawyers(api_as, coordinator, station):
    answer = api_as(coordinator).post(URL, body(station), format="json")

    assert answer.status_code == 201, answer.json()
    created = answer.json()["created"]
    assert len(created) == 3 * 2 * 2  # three weekdays a week, two weeks, two half-days
    shifts = DutyShift.objects.select_related("task")
    assert {s.date.weekday() for s in shifts} == {0, 2, 4}
    for shift in shifts:
        task = shift.task
        assert (task.kind, task.status, task.seats, task.eligible_kinds) == (
            TaskKind.DUTY_SHIFT,
            TaskStatus.OPEN,
            2,
            ["lawyer"],
        )
        starts = timezone.localtime(task.starts_at).time()
        ends = timezone.localtime(task.ends_at).time()
        assert (starts, ends) == (
            (time(8, 30), time(12)) if shift.half_day == "morning" else (time(13, 30), time(17, 30))
        )
        assert task.region_id == station.region_id


def test_the_shifts_are_named_in_the_products_language_whatever_the_request_speaks(api_as, coordinator, station):
    assert api_as(coordinator).post(URL, body(station, half_days=["morning"]), format="json").status_code == 201

    task = DutyShift.objects.select_related("task").first().task
    assert task.title.startswith(f"值班律师（{station.name}）") and task.title.endswith(" 上午")
    assert task.summary == "在工作站提供值班律师法律帮助（《法律援助法》第三十条）。"


def test_posting_the_same_range_again_adds_nothing(api_as, coordinator, station):
    api_as(coordinator).post(URL, body(station), format="json")
    again = api_as(coordinator).post(URL, body(station), format="json")

    assert again.status_code == 201
    assert again.json()["created"] == []
    assert len(again.json()["skipped"]) == 12
    assert DutyShift.objects.count() == 12


def test_the_half_day_hours_are_settings(api_as, coordinator, station, settings):
    settings.DUTY_MORNING = ("09:00", "11:30")
    api_as(coordinator).post(URL, body(station, half_days=["morning"], weekdays=[0]), format="json")

    task = DutyShift.objects.select_related("task").first().task
    assert timezone.localtime(task.starts_at).time() == time(9)
    assert timezone.localtime(task.ends_at).time() == time(11, 30)


def test_a_shift_for_notaries_is_refused_and_nothing_is_written(api_as, coordinator, station):
    answer = api_as(coordinator).post(URL, body(station, eligible_kinds=["lawyer", "notary"]), format="json")

    assert answer.status_code == 400
    assert answer.json()["code"] == "lawyers_only"
    assert "eligible_kinds" in answer.json()
    assert not AidTask.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_day": (timezone.localdate() - timedelta(days=1)).isoformat()}, "first_day"),
        ({"last_day": (timezone.localdate() + timedelta(weeks=13)).isoformat()}, "last_day"),
        ({"weekdays": []}, "weekdays"),
        ({"half_days": ["evening"]}, "half_days"),
        ({"seats": 0}, "seats"),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(api_as, coordinator, station, overrides, field):
    answer = api_as(coordinator).post(URL, body(station, **overrides), format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert not DutyShift.objects.exists()


def test_anonymous_is_401(api, station):
    assert api.post(URL, body(station), format="json").status_code == 401


def test_a_provider_is_403(api_as, provider, station):
    answer = api_as(provider).post(URL, body(station), format="json")
    assert answer.status_code == 403
    assert not DutyShift.objects.exists()


def test_another_organisations_coordinator_is_404(api_as, outsider, station):
    answer = api_as(outsider).post(URL, body(station), format="json")
    assert answer.status_code == 404
    assert not DutyShift.objects.exists()


def test_get_on_bulk_is_405(api_as, coordinator):
    assert api_as(coordinator).get(URL).status_code == 405


def test_the_shift_list_filters_by_station_and_uncovered(api, api_as, coordinator, station):
    api_as(coordinator).post(URL, body(station, last_day=days_ahead(20).isoformat()), format="json")

    listed = api.get("/api/v1/rosters/shifts/", {"station": station.pk, "page_size": 100}).json()
    flagged = api.get("/api/v1/rosters/shifts/", {"uncovered": "true", "page_size": 100}).json()

    assert listed["count"] == DutyShift.objects.count()
    soon = DutyShift.objects.filter(task__starts_at__lt=timezone.now() + timedelta(days=7)).count()
    assert flagged["count"] == soon > 0
    assert api.get("/api/v1/rosters/shifts/", {"uncovered": "maybe"}).status_code == 400


def test_posting_too_far_ahead_names_the_limit_in_the_singular(api_as, coordinator, station, settings):
    settings.ROSTER_MAX_WEEKS = 1
    answer = api_as(coordinator).post(URL, body(station, last_day=days_ahead(20).isoformat()), format="json")

    assert answer.status_code == 400 and answer.json()["code"] == "too_far_ahead"
    assert "at most 1 week ahead" in str(answer.json()["last_day"])
    assert not DutyShift.objects.exists()
