"""Evidence requests (the 2004 Changzhou opinion; Art. 53): the handler of a case asks a
government department for materials; the department answers by the due date, free of charge."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.core.errors import Conflict
from marketplace.evidence import services
from marketplace.evidence.models import EvidenceRequest
from marketplace.models import Claim, ClaimStatus, TaskKind, TaskStatus
from organizations.models import OrganizationKind
from tests.factories import AidTaskFactory, ClaimFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/evidence-requests/"


def body(case, dept, **changes):
    data = {
        "task": case.pk,
        "department": dept.pk,
        "items": ["2025年6月至12月的出警记录"],
        "purpose": "证明用人单位拖欠工资期间劳动者曾报警求助。",
    }
    data.update(changes)
    return data


def state():
    return list(
        EvidenceRequest.objects.order_by("id").values_list(
            "id", "status", "note", "fee_waived", "answered_at", "answered_by"
        )
    )


class TestAsk:
    def test_the_handler_asks_a_department_and_gets_a_numbered_letter(self, api_as, provider, case, police_department):
        response = api_as(provider).post(LIST, body(case, police_department), format="json")

        assert response.status_code == 201
        data = response.json()
        year = timezone.localdate().year
        assert data["number"] == f"常援调〔{year}〕第0001号"
        assert data["status"] == "pending" and data["overdue"] is False
        assert data["due"] == (timezone.localdate() + timedelta(days=15)).isoformat()
        assert data["department_name"] == "常州市公安局天宁分局" and data["issuer_name"] == "常州市法律援助中心"
        assert data["handler_name"] == "王律师"
        assert data["letter_url"] == f"{LIST}{data['id']}/letter/"

    def test_letters_are_numbered_in_the_centres_yearly_sequence(self, api_as, provider, case, police_department):
        client = api_as(provider)
        numbers = [client.post(LIST, body(case, police_department), format="json").json()["number"] for _ in range(3)]
        assert [n[-6:] for n in numbers] == ["第0001号", "第0002号", "第0003号"]

    def test_the_due_day_is_a_setting(self, api_as, provider, case, police_department, settings):
        settings.EVIDENCE_DUE_DAYS = 5
        response = api_as(provider).post(LIST, body(case, police_department), format="json")
        assert response.json()["due"] == (timezone.localdate() + timedelta(days=5)).isoformat()

    @pytest.mark.parametrize("who", ["other_provider", "coordinator", "police", "stranger"])
    def test_only_the_handler_asks(self, request, api_as, case, police_department, who):
        response = api_as(request.getfixturevalue(who)).post(LIST, body(case, police_department), format="json")
        assert response.status_code == 403 and response.json()["code"] == "not_handler"
        assert state() == []

    def test_anonymous_is_401(self, api, case, police_department):
        assert api.post(LIST, body(case, police_department), format="json").status_code == 401
        assert state() == []

    def test_a_closed_case_takes_no_request(self, api_as, provider, case, police_department):
        Claim.objects.filter(task=case).update(status=ClaimStatus.COMPLETED)
        AidTaskFactory._meta.model.objects.filter(pk=case.pk).update(status=TaskStatus.COMPLETED)
        response = api_as(provider).post(LIST, body(case, police_department), format="json")
        assert response.status_code == 409 and response.json()["code"] == "case_closed"
        assert state() == []

    def test_a_task_that_is_not_a_case_is_400(self, api_as, provider, legal_aid_center, police_department):
        consultation = AidTaskFactory(organization=legal_aid_center, kind=TaskKind.CONSULTATION)
        ClaimFactory(task=consultation, volunteer=provider.volunteer)
        response = api_as(provider).post(LIST, body(consultation, police_department), format="json")
        assert response.status_code == 400 and response.json()["code"] == "not_a_case" and "task" in response.json()

    def test_the_department_must_be_a_government_department(self, api_as, provider, case, other_org):
        response = api_as(provider).post(LIST, body(case, other_org), format="json")
        assert response.status_code == 400 and response.json()["code"] == "not_a_department"
        assert state() == []

    @pytest.mark.parametrize(
        "changes, field",
        [
            ({"items": []}, "items"),
            ({"items": [""]}, "items"),
            ({"items": ["x"] * 21}, "items"),
            ({"items": ["x" * 201]}, "items"),
            ({"items": "出警记录"}, "items"),
            ({"purpose": ""}, "purpose"),
            ({"purpose": "x" * 1001}, "purpose"),
            ({"task": 999_999}, "task"),
            ({"task": "abc"}, "task"),
            ({"department": 2**70}, "department"),
        ],
    )
    def test_bad_input_is_400(self, api_as, provider, case, police_department, changes, field):
        response = api_as(provider).post(LIST, body(case, police_department, **changes), format="json")
        assert response.status_code == 400 and field in response.json()
        assert state() == []

    def test_a_draft_case_of_the_centre_is_not_found_by_the_provider(
        self, api_as, provider, legal_aid_center, police_department
    ):
        draft = AidTaskFactory(organization=legal_aid_center, kind=TaskKind.CIVIL_REPRESENTATION, status="draft")
        response = api_as(provider).post(LIST, body(draft, police_department), format="json")
        assert response.status_code == 400 and "task" in response.json()

    def test_wrong_methods_are_405(self, api_as, provider, evidence):
        client = api_as(provider)
        assert client.put(LIST, {}, format="json").status_code == 405
        assert client.delete(f"{LIST}{evidence.pk}/").status_code == 405
        assert client.patch(f"{LIST}{evidence.pk}/", {}, format="json").status_code == 405


class TestRead:
    def test_the_handler_the_department_and_the_centre_see_the_request(
        self, api_as, provider, police, coordinator, evidence
    ):
        for user in (provider, police, coordinator):
            response = api_as(user).get(LIST)
            assert [row["id"] for row in response.json()["results"]] == [evidence.pk], user
            assert api_as(user).get(f"{LIST}{evidence.pk}/").status_code == 200

    def test_another_department_and_outsiders_do_not(self, api_as, archives, outsider, other_provider, evidence):
        for user in (archives, outsider, other_provider):
            assert api_as(user).get(LIST).json()["results"] == []
            response = api_as(user).get(f"{LIST}{evidence.pk}/")
            assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_the_list_needs_a_role(self, api, api_as, stranger, regulator, evidence):
        assert api.get(LIST).status_code == 401
        for user in (stranger, regulator):
            response = api_as(user).get(LIST)
            assert response.status_code == 403 and response.json()["code"] == "not_evidence_reader"

    def test_filters(self, api_as, provider, police, case, archives_department, evidence):
        other = services.evidence_request_create(
            task=case, department=archives_department, items=["劳动合同备案"], purpose="证明劳动关系", by=provider
        )
        services.evidence_request_respond(request=evidence, provided=True, fee_waived=True, by=police)
        client = api_as(provider)
        ids = lambda query: [row["id"] for row in client.get(f"{LIST}?{query}").json()["results"]]  # noqa: E731
        assert ids("status=pending") == [other.pk]
        assert ids(f"department={archives_department.pk}") == [other.pk]
        assert ids(f"task={case.pk}") == [other.pk, evidence.pk]
        assert ids("role=handler") == [other.pk, evidence.pk]
        assert ids("role=department") == []
        assert api_as(police).get(f"{LIST}?role=department").json()["count"] == 1
        assert client.get(f"{LIST}?overdue=perhaps").status_code == 400
        assert client.get(f"{LIST}?status=lost").status_code == 400

    def test_overdue_requests_are_flagged(self, api_as, provider, police, case, police_department):
        late = services.evidence_request_create(
            task=case,
            department=police_department,
            items=["出警记录"],
            purpose="p",
            by=provider,
            now=timezone.now() - timedelta(days=16),
        )
        fresh = services.evidence_request_create(
            task=case, department=police_department, items=["出警记录"], purpose="p", by=provider
        )
        client = api_as(police)
        assert {r["id"]: r["overdue"] for r in client.get(LIST).json()["results"]} == {late.pk: True, fresh.pk: False}
        assert [r["id"] for r in client.get(f"{LIST}?overdue=true").json()["results"]] == [late.pk]
        services.evidence_request_respond(request=late, provided=True, fee_waived=True, by=police)
        row = client.get(f"{LIST}{late.pk}/").json()
        assert row["overdue"] is False and row["answered_late"] is True

    def test_the_list_runs_a_fixed_number_of_queries(
        self, api_as, provider, police, case, police_department, page_queries
    ):
        for _ in range(12):
            services.evidence_request_create(
                task=case, department=police_department, items=["出警记录"], purpose="p", by=provider
            )
        for user in (provider, police):
            client = api_as(user)
            client.get(LIST)
            counts = page_queries(client, LIST)
            assert counts[0] == counts[1] <= 10


def respond(client, pk, **data):
    return client.post(f"{LIST}{pk}/respond/", data, format="json")


class TestRespond:
    def test_the_department_provides_the_materials_free_of_charge(self, api_as, police, evidence):
        response = respond(api_as(police), evidence.pk, provided=True, fee_waived=True, note="已调取出警记录两份。")
        assert response.status_code == 200
        data = response.json()
        assert data["status"] == "provided" and data["fee_waived"] is True and data["note"] == "已调取出警记录两份。"
        assert data["answered_at"] and data["answered_late"] is False

    def test_the_department_refuses_with_a_reason(self, api_as, police, evidence):
        response = respond(api_as(police), evidence.pk, provided=False, note="该时段无出警记录。")
        assert response.status_code == 200
        assert response.json()["status"] == "refused" and response.json()["fee_waived"] is None

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"provided": False}, "note"),
            ({"provided": False, "note": "  "}, "note"),
            ({"provided": True}, "fee_waived"),
            ({"note": "x"}, "provided"),
            ({"provided": "perhaps", "fee_waived": True}, "provided"),
            ({"provided": True, "fee_waived": True, "note": "x" * 2001}, "note"),
        ],
    )
    def test_bad_input_is_400(self, api_as, police, evidence, data, field):
        before = state()
        response = respond(api_as(police), evidence.pk, **data)
        assert response.status_code == 400 and field in response.json()
        assert state() == before

    @pytest.mark.parametrize("who", ["provider", "coordinator"])
    def test_the_handler_and_the_centre_cannot_answer(self, request, api_as, evidence, who):
        before = state()
        response = respond(api_as(request.getfixturevalue(who)), evidence.pk, provided=True, fee_waived=True)
        assert response.status_code == 403 and response.json()["code"] == "not_department"
        assert state() == before

    def test_another_department_gets_404(self, api_as, archives, evidence):
        before = state()
        response = respond(api_as(archives), evidence.pk, provided=True, fee_waived=True)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert state() == before

    def test_answering_twice_is_409(self, api_as, police, evidence):
        respond(api_as(police), evidence.pk, provided=True, fee_waived=True)
        before = state()
        response = respond(api_as(police), evidence.pk, provided=False, note="改变主意")
        assert response.status_code == 409 and response.json()["code"] == "already_answered"
        assert state() == before

    def test_a_stale_copy_loses_the_race(self, police, evidence):
        stale = EvidenceRequest.objects.get(pk=evidence.pk)
        services.evidence_request_respond(request=evidence, provided=True, fee_waived=True, by=police)
        with pytest.raises(Conflict) as caught:
            services.evidence_request_respond(request=stale, provided=False, note="晚了", by=police)
        assert caught.value.code == "already_answered"
        assert EvidenceRequest.objects.get(pk=evidence.pk).status == "provided"

    def test_the_matrix(self, api, api_as, police, evidence):
        before = state()
        assert respond(api, evidence.pk, provided=True, fee_waived=True).status_code == 401
        assert respond(api_as(police), 999_999, provided=True, fee_waived=True).status_code == 404
        assert api_as(police).get(f"{LIST}{evidence.pk}/respond/").status_code == 405
        assert state() == before


class TestEvents:
    def test_the_department_the_handler_and_the_centre_are_told_after_commit(
        self, provider, police, coordinator, case, police_department, django_capture_on_commit_callbacks, monkeypatch
    ):
        sent = []
        monkeypatch.setattr("marketplace.events.to_users", lambda ids, event: sent.append((set(ids), event)))
        with django_capture_on_commit_callbacks(execute=True):
            created = services.evidence_request_create(
                task=case, department=police_department, items=["x"], purpose="p", by=provider
            )
        [(users, event)] = sent
        assert users == {provider.pk, police.pk, coordinator.pk}
        assert event == {"type": "evidence.changed", "evidence_request": {"id": created.pk, "status": "pending"}}


def test_a_department_of_another_kind_is_refused_by_the_service(provider, case, regions):
    bureau = OrganizationFactory(kind=OrganizationKind.JUSTICE_BUREAU, region=regions["changzhou"])
    from marketplace.core.errors import Invalid

    with pytest.raises(Invalid):
        services.evidence_request_create(task=case, department=bureau, items=["x"], purpose="p", by=provider)


@pytest.mark.parametrize("query", ["task=-1.5e140", "department=99999999999999999999999", "role=nobody"])
def test_the_list_filters_never_fail_on_odd_values(api_as, provider, evidence, query):
    assert api_as(provider).get(f"{LIST}?{query}").status_code in (200, 400)
