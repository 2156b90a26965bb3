"""Complaints (Art. 57-59): anyone files one and tracks it by its code; the justice bureau of the
region investigates and records its finding within the due time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.complaints import services
from duties.complaints.models import Complaint, ComplaintEvent, ComplaintStatus
from duties.complaints.services import contact_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"
CODE_SHAPE = r"^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$"


def body(case, **changes):
    data = {
        "subject": "承办律师不回电话",
        "task": case.pk,
        "text": "开庭前一周联系不上承办律师，也没有告知案件进展。",
        "contact": "13900001111",
    }
    data.update(changes)
    return data


def state(pk=None):
    """What a failed request must leave unchanged."""
    complaints = Complaint.objects.order_by("id")
    if pk is not None:
        complaints = complaints.filter(pk=pk)
    rows = list(complaints.values_list("id", "status", "finding", "action", "resolved_at", "investigation_started_at"))
    return rows, ComplaintEvent.objects.count()


class TestFiling:
    def test_anyone_files_a_complaint_and_gets_a_tracking_code(self, api, case):
        response = api.post(LIST, body(case), format="json")

        assert response.status_code == 201
        data = response.json()
        assert data["code"] and len(data["code"]) == 19
        import re

        assert re.match(CODE_SHAPE, data["code"])
        assert any(ch.isalpha() for ch in data["code"])
        assert data["status"] == "received"
        assert data["about"] == "task"
        assert data["due"] == (timezone.localdate() + timedelta(days=30)).isoformat()
        assert data["overdue"] is False
        # The public answer never carries the contact nor the complaint's text.
        assert "contact" not in data and "13900001111" not in str(data)
        assert "text" not in data
        complaint = Complaint.objects.get(code=data["code"])
        assert complaint.region == case.region
        assert complaint.filed_by is None
        assert contact_of(complaint) == "13900001111"
        # The contact is encrypted at rest.
        assert "13900001111" not in complaint.contact_ciphertext

    def test_a_signed_in_complainant_may_leave_no_contact(self, api_as, stranger, case):
        response = api_as(stranger).post(LIST, body(case, contact=""), format="json")
        assert response.status_code == 201
        assert Complaint.objects.get(code=response.json()["code"]).filed_by == stranger

    def test_someone_not_signed_in_must_leave_a_contact(self, api, case):
        before = state()
        response = api.post(LIST, body(case, contact=""), format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "contact_required" and "contact" in response.json()
        assert state() == before

    def test_a_complaint_about_a_provider_belongs_to_the_providers_region(self, api, provider_volunteer, case):
        response = api.post(LIST, body(case, task=None, volunteer=provider_volunteer.pk), format="json")
        assert response.status_code == 201
        assert response.json()["about"] == "provider"
        # The public answer does not name the provider: anyone may file about any id.
        assert provider_volunteer.display_name not in str(response.json())
        assert Complaint.objects.get().region == provider_volunteer.region

    def test_a_complaint_is_about_a_task_or_a_provider(self, api, case):
        before = state()
        response = api.post(LIST, body(case, task=None), format="json")
        assert response.status_code == 400 and response.json()["code"] == "no_subject" and "task" in response.json()
        assert state() == before

    def test_a_draft_task_cannot_be_complained_about_by_the_public(self, api, draft_case):
        response = api.post(LIST, body(draft_case), format="json")
        assert response.status_code == 400 and "task" in response.json()
        assert state() == ([], 0)

    @pytest.mark.parametrize(
        "field, value",
        [
            ("text", "请看<script>alert(1)</script>"),
            ("text", "<b>加粗</b>"),
            ("text", '<a href="http://spam.example">cheap</a>'),
            ("text", "<!-- hidden -->"),
            ("subject", "<img src=x onerror=alert(1)>"),
            ("contact", "<p>13900001111</p>"),
        ],
    )
    def test_html_is_refused_with_a_field_error(self, api, case, field, value):
        before = state()
        response = api.post(LIST, body(case, **{field: value}), format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "markup_not_allowed" and field in response.json()
        assert state() == before

    def test_text_that_only_uses_angle_brackets_is_accepted(self, api, case):
        response = api.post(LIST, body(case, text="赔偿金额 < 10000 元，工期 > 3 个月 <3"), format="json")
        assert response.status_code == 201

    def test_a_megabyte_of_text_is_refused(self, api, case):
        before = state()
        response = api.post(LIST, body(case, text="x" * 1_000_000), format="json")
        assert response.status_code == 400 and "text" in response.json()
        assert state() == before

    def test_a_body_over_the_upload_limit_is_413(self, api, case):
        before = state()
        response = api.post(LIST, body(case, text="x" * 3_000_000), format="json")
        assert response.status_code == 413 and response.json()["code"] == "request_too_large"
        assert state() == before

    def test_wrong_methods_are_405(self, api, case):
        assert api.put(LIST, body(case), format="json").status_code == 405
        assert api.delete(LIST).status_code == 405

    def test_the_due_day_is_a_setting(self, api, case, settings):
        settings.COMPLAINT_DUE_DAYS = 10
        response = api.post(LIST, body(case), format="json")
        assert response.json()["due"] == (timezone.localdate() + timedelta(days=10)).isoformat()


class TestSpam:
    def test_filing_is_rate_limited_per_address(self, api, case, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "complaint": "2/hour"},
        }
        assert api.post(LIST, body(case), format="json").status_code == 201
        assert api.post(LIST, body(case), format="json").status_code == 201
        before = state()
        response = api.post(LIST, body(case), format="json")
        assert response.status_code == 429 and response.json()["code"] == "throttled"
        assert state() == before

    def test_the_limit_counts_the_client_address_behind_trusted_proxies(self, api, case, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "complaint": "1/hour"},
        }
        first = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
        second = {"HTTP_X_FORWARDED_FOR": "203.0.113.8"}
        assert api.post(LIST, body(case), format="json", **first).status_code == 201
        assert api.post(LIST, body(case), format="json", **first).status_code == 429
        assert api.post(LIST, body(case), format="json", **second).status_code == 201


class TestTracking:
    def test_the_complainant_reads_the_status_by_code_in_any_spelling(self, api, complaint):
        for spelling in (
            complaint.code,
            complaint.code.lower(),
            complaint.code.replace("-", ""),
            f" {complaint.code} ",
        ):
            response = api.get(f"{LIST}{spelling.strip()}/")
            assert response.status_code == 200, spelling
            assert response.json()["code"] == complaint.code
            assert response.json()["status"] == "received"

    def test_the_lookup_shows_the_finding_but_never_the_contact_or_the_text(self, api, api_as, regulator, complaint):
        services.complaint_resolve(
            complaint=complaint, finding="经查，承办律师未及时告知。", action="责令改正，约谈律师。", by=regulator
        )
        data = api.get(f"{LIST}{complaint.code}/").json()
        assert data["status"] == "resolved"
        assert data["finding"] == "经查，承办律师未及时告知。" and data["action"] == "责令改正，约谈律师。"
        assert data["handled_by"] == "常州市司法局"
        text = str(data)
        assert "13900001111" not in text and "联系不上" not in text and "王律师" not in text

    @pytest.mark.parametrize("code", ["AAAA-AAAA-AAAA-AAAA", "123", "2222222222222222", "not-a-code", "%E6%8A%95"])
    def test_an_unknown_code_is_404(self, api, complaint, code):
        response = api.get(f"{LIST}{code}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_the_lookup_is_rate_limited(self, api, complaint, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "complaint_lookup": "2/min",
            },
        }
        assert api.get(f"{LIST}{complaint.code}/").status_code == 200
        assert api.get(f"{LIST}AAAA-AAAA-AAAA-AAAA/").status_code == 404
        assert api.get(f"{LIST}{complaint.code}/").status_code == 429

    def test_the_lookup_takes_only_get(self, api, complaint):
        assert api.post(f"{LIST}{complaint.code}/", {}, format="json").status_code == 405
        assert api.delete(f"{LIST}{complaint.code}/").status_code == 405

    def test_codes_always_hold_a_letter(self, monkeypatch):
        draws = iter([b"\xd6\xb5\xad\x6b\x5a\xd6\xb5\xad\x6b\x5a", b"\x00" * 10])
        # The first draw encodes to sixteen digits only (2-7); it is drawn again.
        import base64

        first = base64.b32encode(b"\xd6\xb5\xad\x6b\x5a\xd6\xb5\xad\x6b\x5a").decode()
        assert first.isdigit() or not any(ch.isalpha() for ch in first)
        monkeypatch.setattr(services.secrets, "token_bytes", lambda n: next(draws))
        assert services.new_tracking_code() == "AAAA-AAAA-AAAA-AAAA"


class TestDesk:
    def test_the_bureau_lists_its_regions_complaints_with_the_contact(self, api_as, regulator, complaint):
        response = api_as(regulator).get(LIST)
        assert response.status_code == 200
        [row] = response.json()["results"]
        assert row["id"] == complaint.pk and row["contact"] == "13900001111"
        assert row["text"].startswith("开庭前") and row["volunteer_name"] == "王律师"
        assert row["due"] and row["overdue"] is False and row["region"] == "320402"

    def test_a_district_bureau_sees_its_district_only(
        self, api_as, district_regulator, complaint, other_org, provider_volunteer
    ):
        from tests.factories import AidTaskFactory

        elsewhere = AidTaskFactory(organization=other_org)
        services.complaint_file(subject="钟楼", text="x", contact="1", task=elsewhere)
        codes = [row["code"] for row in api_as(district_regulator).get(LIST).json()["results"]]
        assert codes == [complaint.code]

    def test_another_regions_bureau_sees_none(self, api_as, other_regulator, complaint):
        response = api_as(other_regulator).get(LIST)
        assert response.status_code == 200 and response.json()["results"] == []

    @pytest.mark.parametrize("who", ["stranger", "provider", "coordinator", "association_reviewer"])
    def test_the_desk_is_the_justice_bureaus(self, request, api_as, complaint, who):
        response = api_as(request.getfixturevalue(who)).get(LIST)
        assert response.status_code == 403 and response.json()["code"] == "not_justice_bureau"

    def test_the_desk_needs_a_signed_in_user(self, api, complaint):
        assert api.get(LIST).status_code == 401

    def test_overdue_complaints_are_flagged_and_filtered(self, api_as, regulator, case):
        old = services.complaint_file(
            subject="旧", text="x", contact="1", task=case, now=timezone.now() - timedelta(days=31)
        )
        fresh = services.complaint_file(subject="新", text="x", contact="1", task=case)
        client = api_as(regulator)
        rows = {row["id"]: row["overdue"] for row in client.get(LIST).json()["results"]}
        assert rows == {old.pk: True, fresh.pk: False}
        assert [r["id"] for r in client.get(f"{LIST}?overdue=true").json()["results"]] == [old.pk]
        assert [r["id"] for r in client.get(f"{LIST}?overdue=false").json()["results"]] == [fresh.pk]
        assert client.get(f"{LIST}?overdue=maybe").status_code == 400
        # A finding ends the clock.
        services.complaint_resolve(complaint=old, finding="查明", action="无", by=regulator)
        assert client.get(f"{LIST}?overdue=true").json()["results"] == []

    def test_the_list_runs_a_fixed_number_of_queries(self, api_as, regulator, case, provider_volunteer, page_queries):
        for n in range(12):
            services.complaint_file(subject=f"投诉{n}", text="x", contact="1", task=case, volunteer=provider_volunteer)
        client = api_as(regulator)
        client.get(LIST)  # the caller's roles are read once, then kept for the user
        counts = page_queries(client, LIST)
        assert counts[0] == counts[1] <= 10


def resolve(client, pk, **data):
    return client.post(f"{LIST}{pk}/resolve/", data or {"finding": "经查属实。", "action": "责令改正。"}, format="json")


class TestResolve:
    def test_the_bureau_records_its_finding_and_action(self, api_as, regulator, complaint):
        response = resolve(api_as(regulator), complaint.pk)

        assert response.status_code == 200
        data = response.json()
        assert data["status"] == "resolved" and data["finding"] == "经查属实。" and data["action"] == "责令改正。"
        assert data["handled_by"] == "常州市司法局" and data["resolved_by"] == "郑审核"
        assert data["overdue"] is False
        kinds = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))
        assert kinds == ["filed", "resolved"]

    def test_a_district_bureau_resolves_in_its_own_name(self, api_as, district_regulator, complaint):
        assert resolve(api_as(district_regulator), complaint.pk).json()["handled_by"] == "常州市天宁区司法局"

    def test_the_matrix(self, api, api_as, regulator, other_regulator, association_reviewer, complaint):
        before = state(complaint.pk)
        assert resolve(api, complaint.pk).status_code == 401
        assert resolve(api_as(other_regulator), complaint.pk).json()["code"] == "not_found"
        assert resolve(api_as(association_reviewer), complaint.pk).status_code == 404
        assert resolve(api_as(regulator), 999_999).status_code == 404
        assert api_as(regulator).get(f"{LIST}{complaint.pk}/resolve/").status_code == 405
        assert state(complaint.pk) == before

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"finding": "", "action": "无"}, "finding"),
            ({"action": "无"}, "finding"),
            ({"finding": "查明", "action": ""}, "action"),
            ({"finding": "<b>查明</b>", "action": "无"}, "finding"),
            ({"finding": "x" * 5001, "action": "无"}, "finding"),
        ],
    )
    def test_bad_input_is_400(self, api_as, regulator, complaint, data, field):
        before = state(complaint.pk)
        response = resolve(api_as(regulator), complaint.pk, **data)
        assert response.status_code == 400 and field in response.json()
        assert state(complaint.pk) == before

    def test_resolving_twice_is_409(self, api_as, regulator, complaint):
        resolve(api_as(regulator), complaint.pk)
        before = state(complaint.pk)
        response = resolve(api_as(regulator), complaint.pk, finding="另一结论", action="另一处理")
        assert response.status_code == 409 and response.json()["code"] == "complaint_resolved"
        assert state(complaint.pk) == before

    def test_a_stale_copy_loses_the_race(self, regulator, district_regulator, complaint):
        stale = Complaint.objects.get(pk=complaint.pk)
        services.complaint_resolve(complaint=complaint, finding="先", action="先", by=regulator)
        from marketplace.core.errors import Conflict

        with pytest.raises(Conflict) as caught:
            services.complaint_resolve(complaint=stale, finding="后", action="后", by=district_regulator)
        assert caught.value.code == "complaint_changed"
        assert Complaint.objects.get(pk=complaint.pk).finding == "先"

    def test_a_reviewer_complained_about_cannot_resolve(self, api_as, justice_bureau, provider, complaint):
        from organizations.models import Role
        from tests.factories import MembershipFactory

        MembershipFactory(user=provider, organization=justice_bureau, role=Role.REVIEWER)
        before = state(complaint.pk)
        response = resolve(api_as(provider), complaint.pk)
        assert response.status_code == 403 and response.json()["code"] == "own_record"
        assert state(complaint.pk) == before

    def test_a_reviewer_who_filed_the_complaint_cannot_resolve(self, api_as, regulator, case):
        filed = services.complaint_file(subject="自己的投诉", text="x", task=case, by=regulator)
        response = resolve(api_as(regulator), filed.pk)
        assert response.status_code == 403 and response.json()["code"] == "own_record"
        assert Complaint.objects.get(pk=filed.pk).status == ComplaintStatus.RECEIVED


class TestStart:
    def test_the_bureau_starts_the_investigation_and_the_complainant_sees_it(self, api, api_as, regulator, complaint):
        response = api_as(regulator).post(f"{LIST}{complaint.pk}/start/")
        assert response.status_code == 200 and response.json()["status"] == "investigating"
        public = api.get(f"{LIST}{complaint.code}/").json()
        assert public["status"] == "investigating" and public["investigation_started_at"]

    def test_starting_twice_is_409_and_a_resolved_one_cannot_start(self, api_as, regulator, complaint):
        client = api_as(regulator)
        client.post(f"{LIST}{complaint.pk}/start/")
        before = state(complaint.pk)
        response = client.post(f"{LIST}{complaint.pk}/start/")
        assert response.status_code == 409 and response.json()["code"] == "complaint_not_received"
        assert state(complaint.pk) == before
        assert resolve(client, complaint.pk).status_code == 200
        assert client.post(f"{LIST}{complaint.pk}/start/").status_code == 409

    def test_the_matrix(self, api, api_as, other_regulator, stranger, complaint):
        before = state(complaint.pk)
        assert api.post(f"{LIST}{complaint.pk}/start/").status_code == 401
        assert api_as(other_regulator).post(f"{LIST}{complaint.pk}/start/").status_code == 404
        assert api_as(stranger).post(f"{LIST}{complaint.pk}/start/").status_code == 404
        assert api_as(other_regulator).get(f"{LIST}{complaint.pk}/start/").status_code == 405
        assert state(complaint.pk) == before


class TestEvents:
    def test_the_bureaus_reviewers_are_told_after_commit(
        self, regulator, district_regulator, other_regulator, case, django_capture_on_commit_callbacks, monkeypatch
    ):
        sent = []
        monkeypatch.setattr("marketplace.core.events.to_users", lambda ids, event: sent.append((set(ids), event)))
        with django_capture_on_commit_callbacks(execute=True):
            filed = services.complaint_file(subject="s", text="t", contact="c", task=case)
        [(users, event)] = sent
        assert users == {regulator.pk, district_regulator.pk}
        assert event == {"type": "complaint.changed", "complaint": {"id": filed.pk, "status": "received"}}


@pytest.mark.parametrize(
    "query", ["task=-1.5e140", "volunteer=99999999999999999999999", "task=abc", "due_before=9999-12-31", "status=x"]
)
def test_the_desk_filters_never_fail_on_odd_values(api_as, regulator, complaint, query):
    response = api_as(regulator).get(f"{LIST}?{query}")
    assert response.status_code in (200, 400)
