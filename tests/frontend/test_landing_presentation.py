"""After signing in, each person lands on their own work, unless ``next`` says where to go."""

import pytest

from organizations.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


def sign_in(client, username: str, **extra) -> str:
    response = client.post("/login/", {"username": username, "password": PASSWORD, **extra})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_a_provider_lands_on_their_tasks(client_as, provider):
    assert sign_in(client_as(None), "provider") == "/provider/tasks/"


def test_a_coordinator_lands_on_the_desk(client_as, coordinator):
    assert sign_in(client_as(None), "coordinator") == "/desk/"


def test_a_regulator_lands_on_the_compliance_dashboard(client_as, regulator):
    assert sign_in(client_as(None), "regulator") == "/regulator/compliance/"


def test_a_site_administrator_lands_on_the_admin(client_as, db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    assert sign_in(client_as(None), "root") == "/admin/"


def test_an_administrator_of_a_justice_bureau_lands_on_the_dashboard(client_as, justice_bureau):
    user = UserFactory(username="bureau_admin")
    MembershipFactory(user=user, organization=justice_bureau, role=Role.ADMIN)
    assert sign_in(client_as(None), "bureau_admin") == "/regulator/compliance/"


def test_someone_without_a_role_lands_on_the_board(client_as, stranger):
    assert sign_in(client_as(None), "stranger") == "/"


@pytest.mark.parametrize("who", ["provider", "coordinator", "regulator"])
def test_next_wins_over_the_landing_page(client_as, who, provider, coordinator, regulator):
    assert sign_in(client_as(None), who, next="/certificates/check/") == "/certificates/check/"


def test_a_next_on_another_site_is_ignored(client_as, coordinator):
    assert sign_in(client_as(None), "coordinator", next="https://evil.example/") == "/desk/"


def test_an_empty_next_from_the_form_means_the_landing_page(client_as, coordinator):
    assert sign_in(client_as(None), "coordinator", next="") == "/desk/"


def test_a_signed_in_visitor_of_the_login_page_goes_to_their_work(client_as, coordinator):
    response = client_as(coordinator).get("/login/")
    assert response.status_code == 302 and response["Location"] == "/desk/"
