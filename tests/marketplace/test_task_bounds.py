"""Bounds of a task's times and texts, checked once in the services for the API and the pages."""

from datetime import timedelta

import pytest
from django.test import override_settings

from frontend.forms import TaskForm
from marketplace.api.serializers import TaskWriteSerializer
from marketplace.core.errors import Invalid
from marketplace.models import AidTask
from marketplace.services import task_create, task_update
from tests.factories import AidTaskFactory

pytestmark = pytest.mark.django_db


def _refused(values, *, organization, by, now, field, code):
    with pytest.raises(Invalid) as caught:
        task_create(organization=organization, values=values, by=by, now=now)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert not AidTask.objects.exists()


# --- times -------------------------------------------------------------------------------------


def test_a_task_starting_in_1900_is_refused_on_starts_at(legal_aid_center, coordinator, values, now):
    start = now.replace(year=1900)
    values |= {"starts_at": start, "ends_at": start + timedelta(hours=2), "claim_deadline": None}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="starts_at", code="starts_too_early")


def test_a_session_held_a_few_hours_ago_may_still_be_entered(legal_aid_center, coordinator, values, now):
    start = now - timedelta(hours=5)
    values |= {"starts_at": start, "ends_at": start + timedelta(hours=2), "claim_deadline": None}
    assert task_create(organization=legal_aid_center, values=values, by=coordinator, now=now).pk


def test_a_session_two_days_ago_is_outside_the_grace(legal_aid_center, coordinator, values, now):
    start = now - timedelta(days=2)
    values |= {"starts_at": start, "ends_at": start + timedelta(hours=2), "claim_deadline": None}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="starts_at", code="starts_too_early")


def test_a_task_more_than_two_years_ahead_is_refused(legal_aid_center, coordinator, values, now):
    start = now + timedelta(days=731)
    values |= {"starts_at": start, "ends_at": start + timedelta(hours=2), "claim_deadline": None}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="starts_at", code="starts_too_late")


@override_settings(TASK_MAX_LEAD_DAYS=10, TASK_START_GRACE_HOURS=0)
def test_the_bounds_are_settings(legal_aid_center, coordinator, values, now):
    start = now + timedelta(days=11)
    values |= {"starts_at": start, "ends_at": start + timedelta(hours=2), "claim_deadline": None}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="starts_at", code="starts_too_late")
    start = now - timedelta(minutes=5)
    values |= {"starts_at": start, "ends_at": start + timedelta(hours=2)}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="starts_at", code="starts_too_early")


def test_a_task_may_not_last_longer_than_the_span(legal_aid_center, coordinator, values, now):
    values |= {"ends_at": values["starts_at"] + timedelta(days=731)}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="ends_at", code="too_long")


def test_the_end_must_follow_the_start(legal_aid_center, coordinator, values, now):
    values |= {"ends_at": values["starts_at"]}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="ends_at", code="ends_before_start")


def test_the_claim_deadline_may_not_follow_the_start(legal_aid_center, coordinator, values, now):
    values |= {"claim_deadline": values["starts_at"] + timedelta(minutes=1)}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="claim_deadline", code="after_start")


def test_a_claim_deadline_long_past_is_refused(legal_aid_center, coordinator, values, now):
    values |= {"claim_deadline": now.replace(year=1900)}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field="claim_deadline", code="too_early")


def test_an_ongoing_task_is_edited_without_moving_its_past_start(open_task, coordinator, now):
    AidTask.objects.filter(pk=open_task.pk).update(
        starts_at=now - timedelta(days=30), ends_at=now + timedelta(days=30), claim_deadline=None
    )
    open_task.refresh_from_db()
    task = task_update(task=open_task, changes={"title": "改名", "starts_at": open_task.starts_at}, by=coordinator)
    assert task.title == "改名"


def test_an_edit_moving_the_start_into_the_past_is_refused(open_task, coordinator, now):
    before = list(AidTask.objects.values())
    with pytest.raises(Invalid) as caught:
        task_update(task=open_task, changes={"starts_at": now.replace(year=1900)}, by=coordinator, now=now)
    assert (caught.value.field, caught.value.code) == ("starts_at", "starts_too_early")
    assert list(AidTask.objects.values()) == before


def test_an_edit_stretching_the_end_beyond_the_span_is_refused(open_task, coordinator, now):
    with pytest.raises(Invalid) as caught:
        task_update(task=open_task, changes={"ends_at": open_task.starts_at + timedelta(days=800)}, by=coordinator)
    assert (caught.value.field, caught.value.code) == ("ends_at", "too_long")


# --- texts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("title", "题" * 201, "max_length"),
        ("title", "   ", "required"),
        ("summary", "x" * 2001, "max_length"),
        ("summary", "x" * 1_000_000, "max_length"),
        ("location", "地" * 256, "max_length"),
    ],
)
def test_texts_beyond_their_limits_are_refused(legal_aid_center, coordinator, values, now, field, text, code):
    values |= {field: text}
    _refused(values, organization=legal_aid_center, by=coordinator, now=now, field=field, code=code)


def test_a_summary_of_2000_characters_is_accepted(legal_aid_center, coordinator, values, now):
    values |= {"summary": "援" * 2000}
    assert len(task_create(organization=legal_aid_center, values=values, by=coordinator, now=now).summary) == 2000


def test_an_edit_with_a_huge_summary_is_refused(open_task, coordinator):
    with pytest.raises(Invalid) as caught:
        task_update(task=open_task, changes={"summary": "x" * 2001}, by=coordinator)
    assert caught.value.field == "summary"


def test_the_model_the_api_and_the_form_agree_on_the_limits():
    form = TaskForm(organizations=None)
    api = TaskWriteSerializer().fields
    for name in ("title", "summary", "location"):
        limit = AidTask._meta.get_field(name).max_length
        assert limit and form.fields[name].max_length == limit and api[name].max_length == limit
    assert AidTask._meta.get_field("summary").max_length == 2000


# --- through the API and the pages --------------------------------------------------------------


@pytest.fixture
def body(task_payload):
    return task_payload()


def test_the_api_answers_a_task_in_1900_with_400_on_starts_at(api_as, coordinator, body):
    body |= {"starts_at": "1900-01-01T09:00:00+08:00", "ends_at": "1900-01-01T11:00:00+08:00"}
    response = api_as(coordinator).post("/api/v1/tasks/", body, format="json")
    assert response.status_code == 400 and "starts_at" in response.json()
    assert response.json()["code"] == "starts_too_early"
    assert not AidTask.objects.exists()


def test_the_api_answers_a_megabyte_summary_with_400_on_summary(api_as, coordinator, body):
    response = api_as(coordinator).post("/api/v1/tasks/", {**body, "summary": "x" * 1_000_000}, format="json")
    assert response.status_code == 400 and "summary" in response.json()
    assert not AidTask.objects.exists()


def test_the_api_refuses_an_edit_into_the_past_and_changes_nothing(api_as, coordinator, open_task):
    before = list(AidTask.objects.values())
    response = api_as(coordinator).patch(
        f"/api/v1/tasks/{open_task.pk}/", {"starts_at": "1900-01-01T09:00:00+08:00"}, format="json"
    )
    assert response.status_code == 400 and "starts_at" in response.json()
    assert list(AidTask.objects.values()) == before


def test_a_factory_task_is_within_the_bounds_with_the_search_words_task_create_stores(
    legal_aid_center, coordinator, now
):
    made = AidTaskFactory.build(organization=legal_aid_center, region=legal_aid_center.region)
    values = {name: getattr(made, name) for name in ("title", "summary", "kind", "category", "beneficiary_group")}
    values |= {
        "region": made.region,
        "location": made.location,
        "starts_at": made.starts_at,
        "ends_at": made.ends_at,
        "claim_deadline": made.claim_deadline,
        "seats": made.seats,
        "estimated_hours": made.estimated_hours,
        "eligible_kinds": made.eligible_kinds,
    }
    posted = task_create(organization=legal_aid_center, values=values, by=coordinator, now=now)
    assert posted.pk and posted.search_text == made.search_text != ""
