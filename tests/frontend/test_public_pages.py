import pytest
from django.urls import reverse

from marketplace.models import TaskKind
from tests.factories import AidTaskFactory

pytestmark = pytest.mark.django_db


def test_the_board_lists_open_tasks_for_anyone(client_as, wage_clinic, draft_task):
    response = client_as(None).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert wage_clinic.title in body
    assert draft_task.title not in body
    assert f'data-seats-for="{wage_clinic.pk}"' in body


def test_the_board_filters_by_kind_and_search(client_as, legal_aid_center, wage_clinic):
    shift = AidTaskFactory(
        organization=legal_aid_center, title="Duty shift at court", summary="Court rota", kind=TaskKind.DUTY_SHIFT
    )
    body = client_as(None).get("/", {"kind": "duty_shift"}).content.decode()
    assert shift.title in body and wage_clinic.title not in body
    body = client_as(None).get("/", {"search": "欠薪"}).content.decode()
    assert wage_clinic.title in body and shift.title not in body


def test_an_htmx_request_gets_only_the_results(client_as, wage_clinic):
    response = client_as(None).get("/", {"search": "wage"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="board-results"' in body and wage_clinic.title in body
    assert "HX-Request" in response["Vary"]


def test_an_empty_board_says_what_to_do_next(client_as, regions):
    body = client_as(None).get("/", {"search": "nothing-matches"}).content.decode()
    assert "Clear the filters" in body


def test_the_board_pages_through_many_tasks(client_as, legal_aid_center):
    AidTaskFactory.create_batch(25, organization=legal_aid_center)
    first = client_as(None).get("/").content.decode()
    assert "Page 1 of 2" in first and "page=2" in first


def test_a_task_page_is_public_when_open_and_hidden_when_draft(client_as, wage_clinic, draft_task, outsider):
    assert client_as(None).get(reverse("task-detail", args=[wage_clinic.pk])).status_code == 200
    assert client_as(None).get(reverse("task-detail", args=[draft_task.pk])).status_code == 404
    assert client_as(outsider).get(reverse("task-detail", args=[draft_task.pk])).status_code == 404


def test_a_verified_provider_sees_the_claim_button(client_as, wage_clinic, provider):
    body = client_as(provider).get(reverse("task-detail", args=[wage_clinic.pk])).content.decode()
    assert 'id="claim-button"' in body


def test_a_provider_in_another_region_is_told_why_not(client_as, wage_clinic, provider_volunteer, regions):
    provider_volunteer.region = regions["suzhou"]
    provider_volunteer.save()
    body = client_as(provider_volunteer.user).get(reverse("task-detail", args=[wage_clinic.pk])).content.decode()
    assert 'id="claim-button"' not in body
    assert "苏州市" in body


def test_the_login_page_signs_in_and_logout_needs_post(client_as, provider):
    client = client_as(None)
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "provider", "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_shows_an_error_and_keeps_the_username(client_as, provider):
    response = client_as(None).post("/login/", {"username": "provider", "password": "wrong"})
    assert response.status_code == 200
    assert 'value="provider"' in response.content.decode()
    assert "errorlist" in response.content.decode()


def test_the_language_switch_keeps_the_page(client_as, wage_clinic):
    client = client_as(None, language=None)
    page = reverse("task-detail", args=[wage_clinic.pk])
    assert '<html lang="zh-hans">' in client.get(page).content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert '<html lang="en">' in client.get(page).content.decode()


def test_pages_default_to_simplified_chinese(client_as, regions):
    assert '<html lang="zh-hans">' in client_as(None, language=None).get("/").content.decode()


def test_the_certificate_check_form_goes_to_the_verify_page(client_as, regions):
    response = client_as(None).get("/certificates/check/", {"code": "abcd-efgh"})
    assert response.status_code == 302 and response["Location"] == "/verify/abcd-efgh/"
    assert client_as(None).get("/certificates/check/").status_code == 200


def test_a_code_that_cannot_be_in_an_address_is_answered_beside_the_field(client_as, regions):
    response = client_as(None).get("/certificates/check/", {"code": "ab/cd"})

    assert response.status_code == 200
    assert "No certificate has this code." in response.content.decode()
    assert client_as(None).get("/certificates/check/", {"code": "a?b"})["Location"] == "/verify/a%3Fb/"


def test_the_nav_follows_the_roles(client_as, coordinator, regulator, provider):
    assert "/desk/" in client_as(coordinator).get("/").content.decode()
    assert "/desk/" not in client_as(provider).get("/").content.decode()
    assert "/regulator/compliance/" in client_as(regulator).get("/").content.decode()
    assert "/provider/duty/" in client_as(provider).get("/").content.decode()


def _queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_board_makes_as_many_queries_for_twenty_tasks_as_for_two(client_as, legal_aid_center):
    client = client_as(None)
    AidTaskFactory.create_batch(2, organization=legal_aid_center)
    client.get("/")  # the first visit renders the filter form, later ones take it from the cache
    few = _queries_for(client, "/")
    AidTaskFactory.create_batch(18, organization=legal_aid_center)
    assert _queries_for(client, "/") == few


def test_only_tasks_i_can_claim_uses_the_api_eligibility(client_as, legal_aid_center, provider, regions):
    mine = AidTaskFactory(organization=legal_aid_center, title="Open to lawyers")
    AidTaskFactory(organization=legal_aid_center, title="Notaries only", eligible_kinds=["notary"])
    body = client_as(provider).get("/", {"eligible": "true"}).content.decode()
    assert mine.title in body and "Notaries only" not in body
