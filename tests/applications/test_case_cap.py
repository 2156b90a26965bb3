"""A centre's cap on open cases per handler (DOMAIN: a case never blocks by time; a centre may
cap the load instead): data the centre sets, respected by assignment. Candidates at the cap are
listed unavailable with the reason; assigning one is 409 ``case_cap_reached``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace import services as task_services
from marketplace.applications import caseload
from marketplace.applications.models import CaseLoadCap
from marketplace.core.errors import Conflict, Forbidden
from marketplace.models import Claim, ClaimStatus, TaskKind, TaskStatus
from organizations.models import OrganizationKind
from tests.conftest import organization
from tests.factories import AidTaskFactory, CaseFactory, ClaimFactory, member

pytestmark = pytest.mark.django_db


def new_case(centre, region, **values):
    """A case of ``centre`` in ``region`` (open unless ``values`` say otherwise), begun three days ago."""
    return CaseFactory(organization=centre, region=region, days_ago=3, **values)


def hold(case, volunteer, status=ClaimStatus.ACCEPTED):
    return ClaimFactory(task=case, volunteer=volunteer, status=status, is_assignment=True)


@pytest.fixture
def capped(legal_aid_center, coordinator):
    return caseload.case_cap_set(centre=legal_aid_center, max_open_cases=2, by=coordinator)


@pytest.fixture
def busy(legal_aid_center, regions, provider_volunteer, other_centre):
    """The provider carries two open cases: one of this centre, one of another centre."""
    hold(new_case(legal_aid_center, regions["tianning"]), provider_volunteer)
    hold(new_case(other_centre, regions["tianning"]), provider_volunteer)
    return provider_volunteer


other_centre = organization("常州市第二法律援助中心", OrganizationKind.LEGAL_AID_CENTER, "changzhou")


def url(centre):
    return f"/api/v1/centres/{centre.pk}/case-cap/"


# --- the load counted ------------------------------------------------------------------------


def test_open_cases_are_accepted_claims_on_cases_from_any_centre(
    legal_aid_center, regions, provider_volunteer, other_centre
):
    hold(new_case(legal_aid_center, regions["tianning"]), provider_volunteer)
    hold(new_case(other_centre, regions["tianning"]), provider_volunteer)
    hold(new_case(legal_aid_center, regions["tianning"], status=TaskStatus.CLOSING_REVIEW), provider_volunteer)
    # Not open: a closed case, a withdrawn claim, a session.
    hold(new_case(legal_aid_center, regions["tianning"], status=TaskStatus.COMPLETED), provider_volunteer, "completed")
    hold(new_case(legal_aid_center, regions["tianning"]), provider_volunteer, ClaimStatus.WITHDRAWN)
    hold(new_case(legal_aid_center, regions["tianning"], kind=TaskKind.CONSULTATION), provider_volunteer)

    assert caseload.open_cases_of([provider_volunteer.pk]) == {provider_volunteer.pk: 3}


# --- assignment respects it --------------------------------------------------------------------


def test_assigning_a_handler_at_the_cap_is_409_and_changes_nothing(
    api_as, coordinator, legal_aid_center, regions, capped, busy
):
    case = new_case(legal_aid_center, regions["tianning"])

    response = api_as(coordinator).post(f"/api/v1/tasks/{case.pk}/assign/", {"volunteer": busy.pk}, format="json")

    assert response.status_code == 409, response.data
    assert response.data["code"] == "case_cap_reached"
    assert "2" in response.data["detail"]
    assert not Claim.objects.filter(task=case).exists()
    case.refresh_from_db()
    assert case.seats_taken == 0 and case.status == TaskStatus.OPEN


def test_below_the_cap_or_without_one_the_handler_is_assigned(
    coordinator, legal_aid_center, regions, provider_volunteer, busy
):
    case = new_case(legal_aid_center, regions["tianning"])
    task_services.task_assign(task=case, volunteer=busy, by=coordinator)  # no cap set

    caseload.case_cap_set(centre=legal_aid_center, max_open_cases=4, by=coordinator)
    another = new_case(legal_aid_center, regions["tianning"])
    claim = task_services.task_assign(task=another, volunteer=busy, by=coordinator)

    assert claim.status == ClaimStatus.ACCEPTED
    assert caseload.open_cases_of([busy.pk]) == {busy.pk: 4}


def test_the_cap_is_the_centre_whose_case_it_is(coordinator, legal_aid_center, other_centre, regions, busy):
    caseload.case_cap_set(centre=legal_aid_center, max_open_cases=1, by=coordinator)
    other_coordinator = member(other_centre)

    claim = task_services.task_assign(
        task=new_case(other_centre, regions["tianning"]), volunteer=busy, by=other_coordinator
    )

    assert claim.status == ClaimStatus.ACCEPTED


def test_sessions_and_shifts_are_not_capped(coordinator, legal_aid_center, regions, capped, busy):
    start = timezone.now() + timedelta(days=3)
    session = AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        kind=TaskKind.CONSULTATION,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=TaskStatus.OPEN,
    )

    assert task_services.task_assign(task=session, volunteer=busy, by=coordinator).status == ClaimStatus.ACCEPTED


# --- candidates at the cap ---------------------------------------------------------------------


def test_candidates_at_the_cap_are_listed_unavailable_with_the_reason_and_last(
    api_as, coordinator, legal_aid_center, regions, capped, busy, make_lawyer
):
    free = make_lawyer()
    case = new_case(legal_aid_center, regions["tianning"])

    response = api_as(coordinator).get(f"/api/v1/tasks/{case.pk}/candidates/")

    assert response.status_code == 200
    rows = {r["volunteer"]: r for r in response.json()["results"]}
    assert [r["volunteer"] for r in response.json()["results"]] == [free.pk, busy.pk]
    assert rows[busy.pk]["unavailable"] == "case_cap_reached"
    assert (rows[busy.pk]["open_cases"], rows[busy.pk]["case_cap"]) == (2, 2)
    assert rows[busy.pk]["reasons"][0]["code"] == "case_cap_reached"
    assert rows[free.pk]["unavailable"] is None and rows[free.pk]["open_cases"] == 0


def test_the_desk_shows_the_handler_at_the_cap_without_an_assign_button(
    client_as, coordinator, legal_aid_center, regions, capped, busy
):
    case = new_case(legal_aid_center, regions["tianning"])

    page = client_as(coordinator).get(f"/desk/tasks/{case.pk}/").content.decode()

    assert busy.display_name in page
    assert "Unavailable: at the case cap" in page
    assert f'aria-label="Assign {busy.display_name}"' not in page


# --- the setting -------------------------------------------------------------------------------


def test_the_centre_sets_reads_and_lifts_its_cap(api_as, coordinator, legal_aid_center):
    client = api_as(coordinator)

    assert client.get(url(legal_aid_center)).json()["max_open_cases"] is None
    response = client.put(url(legal_aid_center), {"max_open_cases": 8}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["max_open_cases"] == 8 and response.json()["set_by"] == coordinator.pk
    assert client.get(url(legal_aid_center)).json()["max_open_cases"] == 8

    lifted = client.put(url(legal_aid_center), {"max_open_cases": None}, format="json")
    assert lifted.status_code == 200 and lifted.json()["max_open_cases"] is None
    assert not CaseLoadCap.objects.exists()


@pytest.mark.parametrize("value", [0, -1, 1001, "many", 2.5])
def test_a_bad_cap_is_400_and_nothing_is_written(api_as, coordinator, legal_aid_center, value):
    response = api_as(coordinator).put(url(legal_aid_center), {"max_open_cases": value}, format="json")

    assert response.status_code == 400
    assert "max_open_cases" in response.data
    assert not CaseLoadCap.objects.exists()


def test_only_the_centres_coordinators_see_or_set_it(
    api, api_as, outsider, provider, regulator, other_org, legal_aid_center, coordinator
):
    for user in (outsider, provider, regulator):
        assert api_as(user).get(url(legal_aid_center)).status_code == 404
        assert api_as(user).put(url(legal_aid_center), {"max_open_cases": 3}, format="json").status_code == 404
    assert api.get(url(legal_aid_center)).status_code == 401
    # A trade union is not a legal aid centre: it assigns nothing, so it has no cap.
    assert api_as(outsider).get(url(other_org)).status_code == 404
    assert api_as(coordinator).post(url(legal_aid_center), {"max_open_cases": 3}, format="json").status_code == 405
    assert api_as(coordinator).get("/api/v1/centres/99999999999999999999/case-cap/").status_code == 404
    assert not CaseLoadCap.objects.exists()


def test_the_service_refuses_a_coordinator_of_another_organisation(outsider, legal_aid_center):
    with pytest.raises(Forbidden):
        caseload.case_cap_set(centre=legal_aid_center, max_open_cases=3, by=outsider)


def test_a_conflict_is_raised_by_the_service_itself(coordinator, legal_aid_center, regions, capped, busy):
    with pytest.raises(Conflict) as refused:
        caseload.refuse_over_cap(new_case(legal_aid_center, regions["tianning"]), busy.pk)
    assert refused.value.code == "case_cap_reached"


# --- the page ----------------------------------------------------------------------------------


def test_the_centre_sets_its_cap_on_a_page(client_as, coordinator, legal_aid_center):
    client = client_as(coordinator)

    assert "sets no cap" in client.get("/desk/case-cap/").content.decode()
    response = client.post("/desk/case-cap/", {"max_open_cases": "6"})

    assert response.status_code == 302
    assert caseload.case_cap_of(legal_aid_center.pk) == 6
    assert "at most 6 open cases per handler" in client.get(response["Location"]).content.decode()
    client.post("/desk/case-cap/", {"max_open_cases": ""})
    assert caseload.case_cap_of(legal_aid_center.pk) is None


def test_the_page_refuses_a_bad_cap_beside_the_field_and_others(client_as, coordinator, outsider, provider):
    response = client_as(coordinator).post("/desk/case-cap/", {"max_open_cases": "0"})

    assert response.status_code == 400
    assert not CaseLoadCap.objects.exists()
    assert client_as(outsider).get("/desk/case-cap/").status_code == 403
    assert client_as(provider).get("/desk/case-cap/").status_code == 403


def test_the_cap_reason_counts_one_case_in_the_singular():
    from django.utils import translation

    with translation.override("en"):
        assert caseload.cap_reason(1, 1) == "At the centre's cap: 1 open case, the cap is 1 per handler."
        assert caseload.cap_reason(3, 3) == "At the centre's cap: 3 open cases, the cap is 3 per handler."
