"""The coordinator's task form and the provider's hours form: ISO values in every language, one
schema of confidential details, edits that change only what they show."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from frontend.forms import TaskForm
from marketplace import confidential as schema
from marketplace import services as market
from marketplace.core.crypto import decrypt_json, encrypt_json
from marketplace.models import AidTask, ClaimStatus
from tests.factories import AidTaskFactory, ClaimFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
FULL = {
    "name": "李四",
    "phone": "13800000000",
    "id_number": "320402199001011234",
    "address": "天宁区某路1号",
    "hardship_notes": "低保户",
}


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name}"
    return match.group(0)


@pytest.fixture
def task(legal_aid_center):
    start = datetime(2027, 1, 10, 14, 0, tzinfo=SHANGHAI)
    return AidTaskFactory(
        organization=legal_aid_center,
        region=legal_aid_center.region,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        claim_deadline=start - timedelta(days=1, hours=2),
        confidential_ciphertext=encrypt_json(FULL),
    )


def _post_data(task, **overrides):
    local = timezone.localtime
    data = {
        "organization": task.organization_id,
        "title": task.title,
        "summary": task.summary,
        "kind": task.kind,
        "category": task.category,
        "beneficiary_group": task.beneficiary_group,
        "region": task.region_id,
        "location": task.location,
        "starts_at": local(task.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(task.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "claim_deadline": local(task.claim_deadline).strftime("%Y-%m-%dT%H:%M") if task.claim_deadline else "",
        "seats": str(task.seats),
        "estimated_hours": str(task.estimated_hours),
        "eligible_kinds": list(task.eligible_kinds),
    }
    data.update(overrides)
    return data


# --- ISO values whatever the language -----------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_edit_form_carries_iso_datetimes_in_every_language(client_as, coordinator, task, language):
    page = client_as(coordinator, language=language).get(reverse("desk-task-edit", args=[task.pk])).content.decode()
    assert 'value="2027-01-10T14:00"' in _input(page, "starts_at")
    assert 'value="2027-01-10T17:00"' in _input(page, "ends_at")
    assert 'value="2027-01-09T12:00"' in _input(page, "claim_deadline")


def test_an_edit_posted_in_chinese_keeps_the_dates(client_as, coordinator, task):
    response = client_as(coordinator, language="zh-hans").post(
        reverse("desk-task-edit", args=[task.pk]), _post_data(task, title="改名")
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, timezone.localtime(task.starts_at).isoformat()) == ("改名", "2027-01-10T14:00:00+08:00")


def test_the_hours_form_defaults_to_todays_iso_date_in_chinese(client_as, legal_aid_center, provider_volunteer):
    claim = ClaimFactory(task__organization=legal_aid_center, volunteer=provider_volunteer)
    page = client_as(provider_volunteer.user, language="zh-hans").get(reverse("provider-claim", args=[claim.pk]))
    assert f'value="{timezone.localdate().isoformat()}"' in _input(page.content.decode(), "date")


# --- one schema of confidential details ------------------------------------------------------------


def test_the_form_offers_every_confidential_field_of_the_schema_with_its_label():
    form = TaskForm(organizations=None)
    for field in schema.FIELDS:
        form_field = form.fields[f"aided_{field.key}"]
        assert (form_field.label, form_field.max_length) == (field.label, field.max_length)
    assert "aided_contact" not in form.fields and "aided_notes" not in form.fields


def test_an_edit_changes_only_the_confidential_fields_it_fills(client_as, coordinator, task):
    response = client_as(coordinator).post(
        reverse("desk-task-edit", args=[task.pk]), _post_data(task, aided_phone="13911112222")
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert decrypt_json(task.confidential_ciphertext) == FULL | {"phone": "13911112222"}


def test_an_edit_with_the_confidential_fields_empty_keeps_them_all(client_as, coordinator, task):
    client_as(coordinator).post(reverse("desk-task-edit", args=[task.pk]), _post_data(task, title="Renamed"))
    task.refresh_from_db()
    assert task.title == "Renamed" and decrypt_json(task.confidential_ciphertext) == FULL


def test_an_api_patch_merges_into_the_stored_details(api_as, coordinator, task):
    response = api_as(coordinator).patch(
        f"/api/v1/tasks/{task.pk}/", {"confidential": {"address": "", "name": "李五"}}, format="json"
    )
    assert response.status_code == 200
    task.refresh_from_db()
    expected = {k: v for k, v in FULL.items() if k != "address"} | {"name": "李五"}
    assert decrypt_json(task.confidential_ciphertext) == expected


def test_a_new_task_from_the_page_stores_the_api_keys(client_as, coordinator, task):
    data = _post_data(task, title="New", aided_name="王五", aided_hardship_notes="农民工欠薪", publish="0")
    data["starts_at"] = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = (timezone.localtime() + timedelta(days=3, hours=2)).strftime("%Y-%m-%dT%H:%M")
    data["claim_deadline"] = ""
    assert client_as(coordinator).post(reverse("desk-task-new"), data).status_code == 302
    new = AidTask.objects.get(title="New")
    assert decrypt_json(new.confidential_ciphertext) == {"name": "王五", "hardship_notes": "农民工欠薪"}


@pytest.fixture
def legacy_task(task):
    """Details as the first page form stored them."""
    AidTask.objects.filter(pk=task.pk).update(
        confidential_ciphertext=encrypt_json({"name": "李四", "contact": "微信 lisi", "notes": "低保户"})
    )
    task.refresh_from_db()
    return task


def test_details_stored_under_the_old_page_keys_read_as_the_schemas(api_as, coordinator, legacy_task):
    data = api_as(coordinator).get(f"/api/v1/tasks/{legacy_task.pk}/").json()
    assert data["confidential"] == {"name": "李四", "phone": "微信 lisi", "hardship_notes": "低保户"}


def test_an_edit_of_old_details_rewrites_them_under_the_schemas_keys(client_as, coordinator, legacy_task):
    client_as(coordinator).post(
        reverse("desk-task-edit", args=[legacy_task.pk]), _post_data(legacy_task, aided_id_number="X1")
    )
    legacy_task.refresh_from_db()
    assert decrypt_json(legacy_task.confidential_ciphertext) == {
        "name": "李四",
        "phone": "微信 lisi",
        "id_number": "X1",
        "hardship_notes": "低保户",
    }


def test_the_provider_reads_the_details_under_translated_labels(client_as, legacy_task, provider_volunteer):
    claim = ClaimFactory(task=legacy_task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    response = client_as(provider_volunteer.user).post(reverse("provider-claim-no-conflict", args=[claim.pk]))
    page = response.content.decode()
    details = page.split('id="confidential-details"', 1)[1].split("</dl>", 1)[0]
    assert "<dt>Contact phone</dt><dd>微信 lisi</dd>" in details
    assert "<dt>Hardship and case notes</dt>" in details and "<dt>Name of the aided person</dt>" in details
    assert "<dt>contact</dt>" not in details and "<dt>notes</dt>" not in details


def test_unknown_confidential_keys_are_refused_by_the_service(coordinator, task):
    with pytest.raises(market.Invalid) as caught:
        market.task_update(task=task, changes={}, confidential={"religion": "x"}, by=coordinator)
    assert (caught.value.field, caught.value.code) == ("confidential", "unknown_key")
    task.refresh_from_db()
    assert decrypt_json(task.confidential_ciphertext) == FULL


# --- an edit of a task that already began ----------------------------------------------------------


def test_an_ongoing_task_is_edited_on_the_page_without_moving_its_start(client_as, coordinator, legal_aid_center):
    start = timezone.now().replace(microsecond=0) - timedelta(days=3, seconds=-17)
    task = AidTaskFactory(
        organization=legal_aid_center,
        region=legal_aid_center.region,
        starts_at=start,
        ends_at=start + timedelta(days=30),
        claim_deadline=None,
    )
    response = client_as(coordinator).post(reverse("desk-task-edit", args=[task.pk]), _post_data(task, title="Again"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.starts_at) == ("Again", start)


def test_the_page_shows_the_start_error_beside_the_start(client_as, coordinator, legal_aid_center):
    data = {
        "organization": legal_aid_center.pk,
        "title": "Clinic",
        "kind": "consultation",
        "category": "labor_wages",
        "beneficiary_group": "migrant_workers",
        "region": "320400",
        "starts_at": "1900-01-10T09:00",
        "ends_at": "1900-01-10T11:00",
        "seats": "1",
        "estimated_hours": "2",
        "publish": "1",
    }
    response = client_as(coordinator).post("/desk/tasks/new/", data)
    assert response.status_code == 400
    assert 'id="id_starts_at_error"' in response.content.decode()
    assert not AidTask.objects.exists()
