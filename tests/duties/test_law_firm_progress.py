"""Art. 16: a law firm sees its lawyers' duty progress and the firm's totals."""

from datetime import datetime

import pytest

from duties import services
from organizations.models import OrganizationKind, Role
from tests.duties.conftest import SHANGHAI, YEAR, duty_rule, make_case_claim
from tests.factories import MembershipFactory, OrganizationFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(regions):
    return OrganizationFactory(name="江苏天宁律师事务所", kind=OrganizationKind.LAW_FIRM, region=regions["tianning"])


@pytest.fixture
def firm_admin(firm):
    membership = MembershipFactory(
        user__username="firm_admin", user__first_name="赵主任", organization=firm, role=Role.ADMIN
    )
    return membership.user


@pytest.fixture
def lawyers(firm, regions, legal_aid_center, coordinator):
    duty_rule(regions, YEAR, min_hours=0, min_cases=2)
    busy = VolunteerFactory(region=regions["tianning"], practice_org=firm, user__first_name="钱忙碌")
    idle = VolunteerFactory(region=regions["tianning"], practice_org=firm, user__first_name="孙空闲")
    VolunteerFactory(region=regions["tianning"], user__first_name="别家律师")  # another firm's
    when = datetime(YEAR, 3, 1, 10, tzinfo=SHANGHAI)
    for _ in range(2):
        services.duty_credit_case(claim=make_case_claim(legal_aid_center, busy), by=coordinator, now=when)
    return busy, idle


def url(firm, year=YEAR):
    return f"/api/v1/law-firms/{firm.pk}/progress/?year={year}"


def test_the_firm_sees_its_lawyers_and_totals(api_as, firm, firm_admin, lawyers):
    busy, idle = lawyers

    response = api_as(firm_admin).get(url(firm))

    assert response.status_code == 200, response.data
    rows = {row["volunteer"]: row for row in response.data["lawyers"]}
    assert set(rows) == {busy.pk, idle.pk}
    assert rows[busy.pk]["cases"] == 2 and rows[busy.pk]["status"] == "met"
    assert rows[idle.pk]["cases"] == 0
    assert response.data["totals"]["lawyers"] == 2
    assert response.data["totals"]["cases"] == 2
    assert response.data["totals"]["met"] == 1


def test_others_get_404_anonymous_401(api, api_as, firm, lawyers, coordinator, provider, regulator):
    for user in (coordinator, provider, regulator):
        response = api_as(user).get(url(firm))
        assert response.status_code == 404
        assert response.data["code"] == "not_found"
    assert api.get(url(firm)).status_code == 401


def test_an_organisation_that_is_not_a_law_firm_is_404(api_as, coordinator, legal_aid_center):
    assert api_as(coordinator).get(url(legal_aid_center)).status_code == 404


def test_a_bad_year_is_400_and_post_405(api_as, firm, firm_admin):
    response = api_as(firm_admin).get(url(firm, year="soon"))

    assert response.status_code == 400
    assert "year" in response.data
    assert api_as(firm_admin).post(url(firm)).status_code == 405


# --- the firm's page ---------------------------------------------------------------------------


def page(client_as, user, year=YEAR, **params):
    return client_as(user).get("/firm/progress/", {"year": year, **params})


def test_the_firms_director_sees_its_lawyers_and_totals_on_a_page(client_as, firm, firm_admin, lawyers):
    busy, idle = lawyers

    response = page(client_as, firm_admin)

    assert response.status_code == 200
    html = response.content.decode()
    assert "钱忙碌" in html and "孙空闲" in html and "别家律师" not in html
    assert f'data-volunteer="{busy.pk}"' in html and f'data-volunteer="{idle.pk}"' in html
    assert "Lawyers: 2" in html and "Cases: 2" in html


def test_an_ended_year_reads_not_met_never_behind(client_as, firm, firm_admin, lawyers):
    html = page(client_as, firm_admin, year=YEAR - 1).content.decode()

    assert "Not met" in html and "Behind" not in html
    assert "On track" not in html


def test_the_current_year_reads_behind(client_as, firm, firm_admin, lawyers):
    from django.utils import timezone

    html = page(client_as, firm_admin, year=timezone.localdate().year).content.decode()

    assert "Behind" in html and "Not met" not in html


def test_others_are_refused_the_page(client_as, client, firm, lawyers, coordinator, provider, regulator):
    for user in (coordinator, provider, regulator):
        assert page(client_as, user).status_code == 403
    assert client.get("/firm/progress/").status_code == 302  # to sign in


def test_a_firm_the_user_does_not_direct_is_404(client_as, firm_admin, regions):
    other = OrganizationFactory(name="别家律师事务所", kind=OrganizationKind.LAW_FIRM, region=regions["tianning"])

    assert page(client_as, firm_admin, firm=other.pk).status_code == 404


def test_the_firms_totals_leave_public_legal_service_out(
    api_as, firm, firm_admin, lawyers, legal_aid_center, coordinator
):
    from marketplace.models import TaskKind
    from tests.duties.test_credit_kinds import claim_on, confirm

    busy, _idle = lawyers
    confirm(claim_on(legal_aid_center, busy, TaskKind.OUTREACH), coordinator, hours="6.00")
    confirm(claim_on(legal_aid_center, busy, TaskKind.DUTY_SHIFT), coordinator, hours="4.00")

    totals = api_as(firm_admin).get(url(firm)).data["totals"]

    assert totals["hours"] == "4.00"
