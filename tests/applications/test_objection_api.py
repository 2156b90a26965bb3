"""Objections to a refusal (Art. 49): the centre registers, the justice bureau decides within 5 days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications import clock
from marketplace.applications.models import Application, Objection
from tests.applications.conftest import URL, post_changing_nothing, state

pytestmark = pytest.mark.django_db


class TestRegister:
    def test_the_centre_registers_an_objection_and_the_bureaus_five_days_start(self, api_as, coordinator, refused):
        response = api_as(coordinator).post(
            URL.format(refused, "objection"), {"grounds": "收入计算有误。"}, format="json"
        )

        assert response.status_code == 201
        body = response.json()
        due = clock.add_days(timezone.localdate(), 5, counting="calendar").isoformat()
        assert body["status"] == "objection_pending"
        assert body["objection_due"] == due
        assert body["objection"]["due"] == due and body["objection"]["upheld"] is None
        assert body["overdue"] is False

    def test_only_a_refusal_can_be_objected_to(self, api_as, coordinator, registered):
        response = post_changing_nothing(api_as(coordinator), registered, "objection", {"grounds": "x"})
        assert response.status_code == 409 and response.json()["code"] == "application_not_refused"

    def test_a_second_objection_is_409(self, api_as, coordinator, objected):
        response = post_changing_nothing(api_as(coordinator), objected, "objection", {"grounds": "x"})
        assert response.status_code == 409 and response.json()["code"] == "objection_already_registered"

    def test_no_second_objection_once_the_bureau_rejected_the_first(self, api_as, coordinator, regulator, objected):
        api_as(regulator).post(
            URL.format(objected, "objection/decide"), {"upheld": False, "reasons": "维持"}, format="json"
        )
        response = post_changing_nothing(api_as(coordinator), objected, "objection", {"grounds": "再次异议"})
        assert response.status_code == 409 and response.json()["code"] == "objection_already_registered"

    @pytest.mark.parametrize("data", [{}, {"grounds": ""}, {"grounds": "x" * 2001}])
    def test_grounds_are_required(self, api_as, coordinator, refused, data):
        response = post_changing_nothing(api_as(coordinator), refused, "objection", data)
        assert response.status_code == 400 and "grounds" in response.json()

    def test_the_matrix(self, api, api_as, regulator, other_centre_coordinator, refused):
        before = state(refused)
        data = {"grounds": "收入计算有误。"}
        assert api.post(URL.format(refused, "objection"), data, format="json").status_code == 401
        assert api_as(other_centre_coordinator).post(URL.format(refused, "objection"), data).status_code == 404
        response = api_as(regulator).post(URL.format(refused, "objection"), data, format="json")
        assert response.status_code == 403 and response.json()["code"] == "not_legal_aid_center"
        assert api_as(regulator).get(URL.format(refused, "objection")).status_code == 405
        assert state(refused) == before


class TestDecide:
    def test_an_upheld_objection_reopens_the_review_with_a_new_due_date(self, api_as, regulator, coordinator, objected):
        response = api_as(regulator).post(
            URL.format(objected, "objection/decide"),
            {"upheld": True, "reasons": "收入证明计算有误，责令改正。"},
            format="json",
        )

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "under_review"
        assert body["decision_due"] == clock.add_days(timezone.localdate(), 7, counting="calendar").isoformat()
        assert body["objection"]["upheld"] is True
        # The centre decides again.
        again = api_as(coordinator).post(URL.format(objected, "decide"), {"decision": "approve"}, format="json")
        assert again.json()["status"] == "approved" and again.json()["case"] is not None

    def test_a_rejected_objection_leaves_the_refusal_standing(self, api_as, regulator, objected):
        response = api_as(regulator).post(
            URL.format(objected, "objection/decide"), {"upheld": False, "reasons": "维持原决定。"}, format="json"
        )
        body = response.json()
        assert body["status"] == "refused" and body["objection"]["upheld"] is False
        assert body["overdue"] is False
        objection = Objection.objects.get()
        assert objection.decided_by == regulator and objection.decided_by_org.kind == "justice_bureau"

    def test_an_objection_past_its_five_days_is_overdue(self, api_as, regulator, objected):
        Application.objects.filter(pk=objected).update(objection_due=timezone.localdate() - timedelta(days=1))
        body = api_as(regulator).get(f"/api/v1/applications/{objected}/").json()
        assert body["overdue"] is True
        assert [r["id"] for r in api_as(regulator).get("/api/v1/applications/?overdue=true").json()["results"]] == [
            objected
        ]

    def test_the_centre_may_not_decide_the_objection(self, api_as, coordinator, objected):
        response = post_changing_nothing(
            api_as(coordinator), objected, "objection/decide", {"upheld": True, "reasons": "x"}
        )
        assert response.status_code == 403 and response.json()["code"] == "not_justice_bureau"

    def test_a_lawyers_association_may_not_decide_it(self, api_as, association_reviewer, objected):
        response = post_changing_nothing(
            api_as(association_reviewer), objected, "objection/decide", {"upheld": True, "reasons": "x"}
        )
        assert response.status_code == 403 and response.json()["code"] == "not_justice_bureau"

    def test_whoever_refused_does_not_decide_the_objection(self, api_as, coordinator, justice_bureau, objected):
        from organizations.models import Role
        from tests.factories import MembershipFactory

        MembershipFactory(user=coordinator, organization=justice_bureau, role=Role.REVIEWER)
        response = post_changing_nothing(
            api_as(coordinator), objected, "objection/decide", {"upheld": True, "reasons": "x"}
        )
        assert response.status_code == 403 and response.json()["code"] == "own_decision"

    def test_another_regions_bureau_gets_404_and_anonymous_401(self, api, api_as, other_regulator, objected):
        before = state(objected)
        data = {"upheld": True, "reasons": "x"}
        assert (
            api_as(other_regulator).post(URL.format(objected, "objection/decide"), data, format="json").status_code
            == 404
        )
        assert api.post(URL.format(objected, "objection/decide"), data, format="json").status_code == 401
        assert state(objected) == before

    def test_nothing_pending_is_409(self, api_as, regulator, refused):
        response = post_changing_nothing(
            api_as(regulator), refused, "objection/decide", {"upheld": True, "reasons": "x"}
        )
        assert response.status_code == 409 and response.json()["code"] == "objection_not_pending"

    def test_deciding_twice_is_409(self, api_as, regulator, objected):
        client = api_as(regulator)
        client.post(URL.format(objected, "objection/decide"), {"upheld": False, "reasons": "维持"}, format="json")
        response = post_changing_nothing(client, objected, "objection/decide", {"upheld": True, "reasons": "x"})
        assert response.status_code == 409 and response.json()["code"] == "objection_not_pending"

    @pytest.mark.parametrize(
        "data", [{}, {"upheld": "perhaps", "reasons": "x"}, {"upheld": True}, {"upheld": True, "reasons": ""}]
    )
    def test_bad_input_is_400(self, api_as, regulator, objected, data):
        response = post_changing_nothing(api_as(regulator), objected, "objection/decide", data)
        assert response.status_code == 400 and set(response.json()) & {"upheld", "reasons"}

    def test_get_is_405(self, api_as, regulator, objected):
        assert api_as(regulator).get(URL.format(objected, "objection/decide")).status_code == 405
