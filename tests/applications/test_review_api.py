"""Forwarding, the materials pause, and the decision: each endpoint's matrix."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications import clock
from marketplace.applications.models import Application, MaterialsRequest
from marketplace.models import AidTask
from tests.applications.conftest import APPLICANT, URL, post_changing_nothing, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_station(register, station_coordinator, station):
    return register(station_coordinator, organization=station.pk).json()["id"]


class TestForward:
    def test_the_station_forwards_to_the_centre_of_its_region(
        self, api_as, station_coordinator, coordinator, at_station, legal_aid_center
    ):
        response = api_as(station_coordinator).post(URL.format(at_station, "forward"))

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "under_review"
        assert body["centre"] == legal_aid_center.pk
        assert body["number"].startswith("常援申〔") and body["number"].endswith("第0001号")
        assert body["forwarded_at"] is not None
        assert api_as(coordinator).get(f"/api/v1/applications/{at_station}/").status_code == 200

    def test_a_district_station_forwards_to_the_nearest_centre_above(self, api_as, register, regions, legal_aid_center):
        from organizations.models import OrganizationKind
        from tests.factories import OrganizationFactory, member

        district = OrganizationFactory(
            name="天宁区妇联工作站", kind=OrganizationKind.WOMENS_FEDERATION, region=regions["tianning"]
        )
        user = member(district, username="district_station")
        pk = register(user, organization=district.pk).json()["id"]

        assert api_as(user).post(URL.format(pk, "forward")).json()["centre"] == legal_aid_center.pk

    def test_an_urgent_matter_gets_its_case_when_forwarded(self, api_as, register, station_coordinator, station):
        pk = register(station_coordinator, organization=station.pk, urgent=True).json()["id"]
        assert Application.objects.get(pk=pk).case is None

        body = api_as(station_coordinator).post(URL.format(pk, "forward")).json()

        task = AidTask.objects.get(pk=body["case"])
        assert task.organization_id == body["centre"] and task.status == "draft"
        assert body["status"] == "under_review" and body["assign_due"] is not None

    def test_no_centre_in_the_region_is_409(self, api_as, register, regions, station):
        from organizations.models import Organization

        Organization.objects.filter(kind="legal_aid_center").delete()
        from tests.factories import UserFactory

        user = UserFactory(username="lonely")
        from organizations.models import Membership

        Membership.objects.create(user=user, organization=station, role="coordinator")
        pk = register(user, organization=station.pk).json()["id"]
        response = post_changing_nothing(api_as(user), pk, "forward")

        assert response.status_code == 409 and response.json()["code"] == "no_centre"

    def test_forwarding_twice_is_409(self, api_as, station_coordinator, at_station):
        api_as(station_coordinator).post(URL.format(at_station, "forward"))
        response = post_changing_nothing(api_as(station_coordinator), at_station, "forward")

        assert response.status_code == 409 and response.json()["code"] == "already_forwarded"

    def test_the_centre_does_not_forward_its_own(self, api_as, coordinator, registered):
        response = post_changing_nothing(api_as(coordinator), registered, "forward")
        assert response.status_code == 403 and response.json()["code"] == "not_station"

    def test_a_regulator_sees_it_but_may_not_forward(self, api_as, regulator, at_station):
        response = post_changing_nothing(api_as(regulator), at_station, "forward")
        assert response.status_code == 403 and response.json()["code"] == "not_station"

    def test_others_get_404_and_anonymous_401(self, api, api_as, coordinator, outsider, at_station):
        before = state(at_station)
        # The centre does not see a station's application before it is forwarded.
        for user in (coordinator, outsider):
            response = api_as(user).post(URL.format(at_station, "forward"))
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert api.post(URL.format(at_station, "forward")).status_code == 401
        assert state(at_station) == before

    def test_get_is_405(self, api_as, station_coordinator, at_station):
        response = api_as(station_coordinator).get(URL.format(at_station, "forward"))
        assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


class TestMaterials:
    def test_asking_for_materials_stops_the_clock_and_their_arrival_moves_the_due_date(
        self, api_as, coordinator, registered
    ):
        client = api_as(coordinator)
        due = Application.objects.get(pk=registered).decision_due
        asked = client.post(
            URL.format(registered, "request-materials"), {"items": ["收入证明", "户口簿"]}, format="json"
        )

        assert asked.status_code == 200
        assert asked.json()["status"] == "materials_pending"
        assert asked.json()["materials"]["items"] == ["收入证明", "户口簿"]
        assert asked.json()["overdue"] is False
        # Three days later the materials arrive: the due date moves by three days.
        request = MaterialsRequest.objects.get()
        MaterialsRequest.objects.filter(pk=request.pk).update(requested_at=request.requested_at - timedelta(days=3))
        arrived = client.post(URL.format(registered, "materials-received"), {}, format="json")

        assert arrived.status_code == 200
        body = arrived.json()
        assert body["status"] == "under_review"
        assert body["paused_days"] == 3
        assert body["decision_due"] == (due + timedelta(days=3)).isoformat()
        assert body["materials"]["received_items"] == ["收入证明", "户口簿"]
        assert body["materials"]["paused_days"] == 3

    def test_a_paused_application_is_not_overdue(self, api_as, register, coordinator):
        pk = register(coordinator, received_at=(timezone.now() - timedelta(days=20)).isoformat()).json()["id"]
        client = api_as(coordinator)
        assert client.get(f"/api/v1/applications/{pk}/").json()["overdue"] is True
        client.post(URL.format(pk, "request-materials"), {"items": ["收入证明"]}, format="json")
        assert client.get(f"/api/v1/applications/{pk}/").json()["overdue"] is False

    def test_materials_are_asked_for_once_in_one_list(self, api_as, coordinator, registered):
        client = api_as(coordinator)
        client.post(URL.format(registered, "request-materials"), {"items": ["收入证明"]}, format="json")
        client.post(URL.format(registered, "materials-received"), {"items": ["收入证明"]}, format="json")
        response = post_changing_nothing(client, registered, "request-materials", {"items": ["户口簿"]})

        assert response.status_code == 409 and response.json()["code"] == "materials_already_requested"

    def test_nothing_awaited_is_409_and_asking_while_waiting_is_409(self, api_as, coordinator, registered):
        client = api_as(coordinator)
        response = client.post(URL.format(registered, "materials-received"), {}, format="json")
        assert response.status_code == 409 and response.json()["code"] == "materials_not_pending"
        client.post(URL.format(registered, "request-materials"), {"items": ["收入证明"]}, format="json")
        response = post_changing_nothing(client, registered, "request-materials", {"items": ["户口簿"]})
        assert response.status_code == 409 and response.json()["code"] == "application_not_under_review"

    @pytest.mark.parametrize("items", [[], [""], ["x" * 201], "收入证明", None, ["x"] * 51])
    def test_a_bad_list_is_400(self, api_as, coordinator, registered, items):
        response = post_changing_nothing(api_as(coordinator), registered, "request-materials", {"items": items})
        assert response.status_code == 400 and "items" in response.json()

    @pytest.mark.parametrize("path", ["request-materials", "materials-received"])
    def test_the_matrix(
        self,
        api,
        api_as,
        coordinator,
        station_coordinator,
        regulator,
        other_centre_coordinator,
        register,
        station,
        path,
    ):
        pk = register(station_coordinator, organization=station.pk).json()["id"]
        api_as(station_coordinator).post(URL.format(pk, "forward"))
        if path == "materials-received":
            api_as(coordinator).post(URL.format(pk, "request-materials"), {"items": ["收入证明"]}, format="json")
        before = state(pk)
        body = {"items": ["收入证明"]}

        assert api.post(URL.format(pk, path), body, format="json").status_code == 401
        response = api_as(other_centre_coordinator).post(URL.format(pk, path), body, format="json")
        assert response.status_code == 404
        for user in (station_coordinator, regulator):
            response = api_as(user).post(URL.format(pk, path), body, format="json")
            assert response.status_code == 403 and response.json()["code"] == "not_legal_aid_center"
        assert api_as(coordinator).get(URL.format(pk, path)).status_code == 405
        assert state(pk) == before


class TestDecide:
    def test_approval_creates_the_case_task_and_starts_the_assignment_clock(
        self, api_as, coordinator, registered, legal_aid_center
    ):
        response = api_as(coordinator).post(
            URL.format(registered, "decide"),
            {"decision": "approve", "reasons": "农民工追索劳动报酬，免予审查经济困难。"},
            format="json",
        )

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "approved"
        assert body["decision"]["outcome"] == "approved"
        assert body["assign_due"] == clock.add_days(timezone.localdate(), 3, counting="calendar").isoformat()
        task = AidTask.objects.get(pk=body["case"])
        assert (task.organization, task.kind, task.seats, task.requires_approval, task.status) == (
            legal_aid_center,
            "civil_representation",
            1,
            True,
            "draft",
        )
        assert (task.category, task.beneficiary_group, task.region_id) == ("labor_wages", "migrant_workers", "320402")
        assert body["number"] in task.title and "张秘密" not in task.title

    def test_the_case_task_holds_the_applicant_as_its_confidential_details(self, api_as, coordinator, registered):
        body = api_as(coordinator).post(URL.format(registered, "decide"), {"decision": "approve"}, format="json").json()

        task = api_as(coordinator).get(f"/api/v1/tasks/{body['case']}/").json()

        assert task["application"] == registered
        assert task["assign_due"] == body["assign_due"]
        confidential = task["confidential"]
        assert {k: confidential[k] for k in ("name", "phone", "id_number", "address")} == APPLICANT
        # Stored text is in the product's language (zh-hans), whatever language the request spoke.
        assert confidential["hardship_notes"] == "免予核查：农民工请求支付劳动报酬（第四十二条）"
        assert task["title"].endswith(" 民事案件代理")

    def test_a_task_without_an_application_says_so(self, api_as, coordinator, legal_aid_center):
        from tests.factories import AidTaskFactory

        task = AidTaskFactory(organization=legal_aid_center)
        body = api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/").json()
        assert body["application"] is None and body["assign_due"] is None

    def test_a_refusal_needs_reasons(self, api_as, coordinator, registered):
        response = post_changing_nothing(api_as(coordinator), registered, "decide", {"decision": "refuse"})
        assert response.status_code == 400 and "reasons" in response.json()

    def test_a_refusal_has_no_assignment_and_awaits_any_objection(self, api_as, coordinator, refused):
        body = api_as(coordinator).get(f"/api/v1/applications/{refused}/").json()
        assert body["status"] == "refused" and body["case"] is None
        assert body["assign_due"] is None and body["objection_due"] is None and body["overdue"] is False
        assert body["decision"]["reasons"] == "申请人家庭收入高于本市经济困难标准。"

    @pytest.mark.parametrize("decision", ["approve", "refuse"])
    def test_deciding_a_decided_application_is_409(self, api_as, coordinator, refused, decision):
        response = post_changing_nothing(
            api_as(coordinator), refused, "decide", {"decision": decision, "reasons": "再议"}
        )
        assert response.status_code == 409 and response.json()["code"] == "application_decided"

    def test_deciding_while_materials_are_awaited_is_409(self, api_as, coordinator, registered):
        client = api_as(coordinator)
        client.post(URL.format(registered, "request-materials"), {"items": ["收入证明"]}, format="json")
        response = post_changing_nothing(client, registered, "decide", {"decision": "approve"})
        assert response.status_code == 409 and response.json()["code"] == "materials_pending"

    def test_a_station_may_not_decide(self, api_as, station_coordinator, coordinator, register, station):
        pk = register(station_coordinator, organization=station.pk).json()["id"]
        api_as(station_coordinator).post(URL.format(pk, "forward"))
        response = post_changing_nothing(api_as(station_coordinator), pk, "decide", {"decision": "approve"})
        assert response.status_code == 403 and response.json()["code"] == "not_legal_aid_center"

    def test_nor_a_regulator_and_others_get_404(self, api, api_as, regulator, other_centre_coordinator, registered):
        before = state(registered)
        response = api_as(regulator).post(URL.format(registered, "decide"), {"decision": "approve"}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "not_legal_aid_center"
        response = api_as(other_centre_coordinator).post(
            URL.format(registered, "decide"), {"decision": "approve"}, format="json"
        )
        assert response.status_code == 404
        assert api.post(URL.format(registered, "decide"), {"decision": "approve"}, format="json").status_code == 401
        assert state(registered) == before

    @pytest.mark.parametrize(
        "data", [{}, {"decision": "maybe"}, {"decision": "approved"}, {"decision": "refuse", "reasons": "x" * 2001}]
    )
    def test_bad_input_is_400(self, api_as, coordinator, registered, data):
        response = post_changing_nothing(api_as(coordinator), registered, "decide", data)
        assert response.status_code == 400
        assert set(response.json()) & {"decision", "reasons"}

    def test_get_is_405(self, api_as, coordinator, registered):
        assert api_as(coordinator).get(URL.format(registered, "decide")).status_code == 405

    def test_refusing_an_urgent_matter_cancels_its_case(self, api_as, register, coordinator):
        body = register(coordinator, urgent=True).json()
        response = api_as(coordinator).post(
            URL.format(body["id"], "decide"), {"decision": "refuse", "reasons": "不符合条件"}, format="json"
        )
        assert response.status_code == 200
        assert AidTask.objects.get(pk=body["case"]).status == "cancelled"

    def test_approving_an_urgent_matter_keeps_its_case(self, api_as, register, coordinator):
        body = register(coordinator, urgent=True).json()
        decided = api_as(coordinator).post(URL.format(body["id"], "decide"), {"decision": "approve"}, format="json")
        assert decided.json()["case"] == body["case"]
        assert decided.json()["assign_due"] == body["assign_due"]
        assert AidTask.objects.count() == 1
