"""POST/GET /api/v1/tasks/{id}/evaluations/: quality evaluations (Art. 57) and the selector the
subsidy and the annual review read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.cases.models import Evaluation
from marketplace.cases.selectors import quality_grades_for
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

BODY = {"kind": "follow_up_call", "grade": "good", "note": "回访受援人，对承办律师工作表示满意。"}


def url(task) -> str:
    return f"/api/v1/tasks/{task.pk}/evaluations/"


def test_the_centre_evaluates_the_handler(api_as, coordinator, provider_volunteer, case):
    response = api_as(coordinator).post(url(case), BODY, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["volunteer"] == provider_volunteer.pk and response.json()["grade"] == "good"


def test_the_justice_bureau_of_the_region_evaluates_too(api_as, regulator, justice_bureau, case):
    response = api_as(regulator).post(url(case), {**BODY, "kind": "hearing_attendance"}, format="json")

    assert response.status_code == 201 and response.json()["evaluator_organization"] == justice_bureau.pk


def test_the_handler_and_regulators_see_the_grades(api_as, coordinator, provider, regulator, case):
    api_as(coordinator).post(url(case), BODY, format="json")
    for user in (provider, regulator, coordinator):
        response = api_as(user).get(url(case))
        assert response.status_code == 200 and [e["grade"] for e in response.json()["results"]] == ["good"]


def test_quality_grades_for_reads_a_providers_year(api_as, coordinator, provider_volunteer, case):
    today = timezone.localdate()
    api_as(coordinator).post(url(case), BODY, format="json")
    api_as(coordinator).post(
        url(case), {**BODY, "grade": "pass", "evaluated_on": (today - timedelta(days=1)).isoformat()}, format="json"
    )

    grades = quality_grades_for(provider_volunteer, today.year if today.timetuple().tm_yday > 1 else today.year - 1)
    assert [g.grade for g in grades][-1] in ("good", "pass") and all(g.task_id == case.pk for g in grades)
    assert quality_grades_for(provider_volunteer, today.year - 5) == []


def test_anonymous_is_401(api, case):
    assert api.post(url(case), BODY, format="json").status_code == 401
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "other_regulator", "stranger"])
def test_other_organisations_get_404(request, api_as, case, who):
    assert api_as(request.getfixturevalue(who)).post(url(case), BODY, format="json").status_code == 404
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize("who", ["provider", "association_reviewer"])
def test_the_handler_and_a_lawyers_association_do_not_evaluate_403(request, api_as, case, who):
    response = api_as(request.getfixturevalue(who)).post(url(case), BODY, format="json")

    assert response.status_code == 403 and response.json()["code"] == "not_evaluator"
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"grade": "A+"}, "grade"),
        ({"kind": "gossip"}, "kind"),
        ({"evaluated_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "evaluated_on"),
        ({"evaluated_on": "2001-01-01"}, "evaluated_on"),
    ],
)
def test_bad_input_is_400(api_as, coordinator, case, changes, field):
    response = api_as(coordinator).post(url(case), {**BODY, **changes}, format="json")

    assert response.status_code == 400 and field in response.json()
    assert Evaluation.objects.count() == 0


def test_a_case_nobody_handles_is_409(api_as, coordinator, legal_aid_center):
    task = CaseFactory(organization=legal_aid_center)
    response = api_as(coordinator).post(url(task), BODY, format="json")

    assert response.status_code == 409 and response.json()["code"] == "no_handler"


def test_wrong_method_is_405(api_as, coordinator, case):
    assert api_as(coordinator).delete(url(case)).status_code == 405
