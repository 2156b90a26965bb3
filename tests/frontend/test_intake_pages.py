"""The intake pages: a centre's desk, a station's form and list, the bureau's objections, a law
firm's assignments, a regulator's counts. They call the services the API calls. The station, the
law firm and their people are the intake API's (tests/frontend/conftest.py takes them from there)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications.models import (
    Application,
    ApplicationStatus,
    AssignmentRefusal,
    FirmAssignment,
    IdentityAccess,
)
from marketplace.models import Claim, ClaimStatus
from tests.applications.conftest import APPLICANT, OPPOSING, citizen_id
from tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def form_data(organization, **changes):
    data = {
        "organization": organization.pk,
        "channel": "walk_in",
        "received_at": "",
        "matter_kind": "civil_representation",
        "category": "labor_wages",
        "beneficiary_group": "migrant_workers",
        "region": "320402",
        "summary": "农民工追索劳动报酬，包工头拖欠工资三个月。",
        "court_or_agency": "天宁区劳动人事争议仲裁委员会",
        "hardship_basis": "exempt_migrant_wages",
        "max_penalty": "",
        "applicant_name": APPLICANT["name"],
        "applicant_id_number": APPLICANT["id_number"],
        "applicant_phone": APPLICANT["phone"],
        "applicant_address": APPLICANT["address"],
        "opposing_name": OPPOSING["name"],
        "opposing_id_number": OPPOSING["id_number"],
        "attachments": "身份证复印件\n劳动合同复印件\n",
    }
    data.update(changes)
    return data


def register(client, organization, **changes) -> Application:
    response = client.post("/intake/new/", form_data(organization, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Application.objects.latest("id")


def test_the_desk_is_for_centres_and_stations(client_as, coordinator, station_coordinator, provider, regulator):
    assert client_as(coordinator).get("/intake/").status_code == 200
    assert client_as(station_coordinator).get("/intake/").status_code == 200
    for user in (provider, regulator):
        assert client_as(user).get("/intake/").status_code == 403
    assert client_as(None).get("/intake/").status_code == 302
    assert "/intake/" in client_as(coordinator).get("/desk/").content.decode()


def test_a_station_registers_on_its_form_and_forwards(client_as, station_coordinator, station, legal_aid_center):
    client = client_as(station_coordinator)
    page = client.get("/intake/new/").content.decode()
    assert 'for="id_applicant_id_number"' in page and 'type="tel"' in page
    application = register(client, station, region="320400")
    assert application.status == ApplicationStatus.RECEIVED and application.attachments == [
        "身份证复印件",
        "劳动合同复印件",
    ]
    listed = client.get("/intake/").content.decode()
    assert f"/intake/{application.pk}/" in listed and APPLICANT["name"] not in listed
    detail = client.get(f"/intake/{application.pk}/").content.decode()
    assert "Forward to the centre" in detail and APPLICANT["name"] not in detail
    assert client.post(f"/intake/{application.pk}/forward/").status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW and application.centre == legal_aid_center


def test_a_wrong_id_number_is_shown_beside_its_field(client_as, coordinator, legal_aid_center):
    response = client_as(coordinator).post(
        "/intake/new/", form_data(legal_aid_center, applicant_id_number="320402198001011230")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["applicant_id_number"]
    assert not Application.objects.exists()


def test_the_queue_puts_overdue_first_in_red(client_as, coordinator, legal_aid_center):
    client = client_as(coordinator)
    fresh = register(client, legal_aid_center)
    late = register(
        client, legal_aid_center, received_at=(timezone.localtime() - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    )
    page = client.get("/intake/").content.decode()
    assert page.index(f'data-application-id="{late.pk}"') < page.index(f'data-application-id="{fresh.pk}"')
    assert 'class="overdue-row"' in page
    overdue = client.get("/intake/?show=overdue").content.decode()
    assert f'data-application-id="{late.pk}"' in overdue and f'data-application-id="{fresh.pk}"' not in overdue
    assert client.get("/intake/?show=nonsense").status_code == 200


def test_the_centre_reviews_decides_and_assigns_on_the_page(client_as, coordinator, legal_aid_center, regions):
    client = client_as(coordinator)
    application = register(client, legal_aid_center)
    assert client.post(f"/intake/{application.pk}/request-materials/", {"items": "收入证明\n"}).status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.MATERIALS_PENDING
    client.post(f"/intake/{application.pk}/materials-received/")
    refused = client.post(f"/intake/{application.pk}/decide/", {"decision": "refuse", "reasons": ""}, follow=True)
    assert "This field is required." in refused.content.decode()
    client.post(f"/intake/{application.pk}/decide/", {"decision": "approve", "reasons": "符合条件"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.case is not None
    lawyer = VolunteerFactory(region=regions["tianning"], user=UserFactory(first_name="林律师"))
    detail = client.get(f"/intake/{application.pk}/").content.decode()
    assert "林律师" in detail and "Assign the firm" in detail
    response = client.post(f"/intake/{application.pk}/assign/", {"volunteer": lawyer.pk}, follow=True)
    assert "Assigned to 林律师" in response.content.decode()
    assert Claim.objects.get(task=application.case).volunteer == lawyer


def test_the_parties_show_only_on_request_and_each_showing_is_recorded(client_as, coordinator, legal_aid_center):
    client = client_as(coordinator)
    application = register(client, legal_aid_center)
    assert APPLICANT["name"] not in client.get(f"/intake/{application.pk}/").content.decode()
    response = client.post(f"/intake/{application.pk}/parties/")
    assert response.status_code == 200 and APPLICANT["name"] in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert IdentityAccess.objects.filter(application=application).count() == 1


def test_a_conflict_is_shown_among_the_candidates(client_as, coordinator, legal_aid_center, regions, api_as):
    client = client_as(coordinator)
    lawyer = VolunteerFactory(region=regions["tianning"], user=UserFactory(first_name="林律师"))
    earlier = register(client, legal_aid_center)
    client.post(f"/intake/{earlier.pk}/decide/", {"decision": "approve"})
    earlier.refresh_from_db()
    client.post(f"/intake/{earlier.pk}/assign/", {"volunteer": lawyer.pk})
    later = register(
        client,
        legal_aid_center,
        applicant_name="赵新",
        applicant_id_number=citizen_id("32040219900101123"),
        opposing_name=APPLICANT["name"],
        opposing_id_number="",
    )
    client.post(f"/intake/{later.pk}/decide/", {"decision": "approve"})
    page = client.get(f"/intake/{later.pk}/").content.decode()
    assert earlier.number in page and "Conflict of interest" in page
    response = client.post(f"/intake/{later.pk}/assign/", {"volunteer": lawyer.pk}, follow=True)
    assert earlier.number in response.content.decode()
    later.refresh_from_db()
    assert not Claim.objects.filter(task=later.case).exists()


def test_a_firm_assignment_the_director_names_and_a_refusal_ruled(
    client_as, coordinator, legal_aid_center, law_firm, firm_director, regions
):
    client = client_as(coordinator)
    application = register(client, legal_aid_center)
    client.post(f"/intake/{application.pk}/decide/", {"decision": "approve"})
    application.refresh_from_db()
    client.post(f"/intake/{application.pk}/assign/", {"law_firm": law_firm.pk})
    assert FirmAssignment.objects.get().awaits_handler
    lawyer = VolunteerFactory(region=regions["tianning"], practice_org=law_firm, user=UserFactory(first_name="林律师"))
    firm_page = client_as(firm_director).get("/intake/firm/").content.decode()
    assert application.case.title in firm_page and "林律师" in firm_page
    response = client_as(firm_director).post(
        f"/intake/firm/{application.case_id}/name-handler/", {"volunteer": lawyer.pk}
    )
    assert response.status_code == 302
    claim = Claim.objects.get(task=application.case)
    assert claim.volunteer == lawyer and claim.status == ClaimStatus.ACCEPTED
    # The handler refuses; the centre rules.
    client_as(lawyer.user).post(f"/provider/claims/{claim.pk}/withdraw/", {"reason": "与对方有业务往来"})
    assert AssignmentRefusal.objects.get().awaits_ruling
    mine = client_as(lawyer.user).get(f"/provider/claims/{claim.pk}/").content.decode()
    assert "You refused this assignment" in mine and "Decline this assignment" not in mine
    detail = client.get(f"/intake/{application.pk}/").content.decode()
    assert "与对方有业务往来" in detail and "Accept: a good reason, reassign" in detail
    client.post(f"/intake/{application.pk}/refusals/{claim.pk}/ruling/", {"accepted": "1"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECLINED


def test_the_bureau_decides_objections_on_its_page(client_as, coordinator, legal_aid_center, regulator):
    client = client_as(coordinator)
    application = register(client, legal_aid_center)
    client.post(f"/intake/{application.pk}/decide/", {"decision": "refuse", "reasons": "收入超过标准"})
    client.post(f"/intake/{application.pk}/objection/", {"grounds": "收入证明计算有误"})
    page = client_as(regulator).get("/intake/objections/").content.decode()
    assert application.number in page and "收入证明计算有误" in page and APPLICANT["name"] not in page
    client_as(regulator).post(f"/intake/objections/{application.pk}/decide/", {"upheld": "1", "reasons": "责令改正"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert client_as(coordinator).get("/intake/objections/").status_code == 403


def test_the_regulator_reads_counts_never_identities(client_as, coordinator, legal_aid_center, regulator):
    register(client_as(coordinator), legal_aid_center)
    page = client_as(regulator).get("/intake/stats/").content.decode()
    assert "常州市" in page and APPLICANT["name"] not in page
    assert client_as(regulator).get("/intake/stats/?year=abc").status_code == 200
    assert client_as(coordinator).get("/intake/stats/").status_code == 403


def test_a_station_cannot_decide_on_the_page(client_as, station_coordinator, station, legal_aid_center):
    client = client_as(station_coordinator)
    application = register(client, station, region="320400")
    client.post(f"/intake/{application.pk}/forward/")
    response = client.post(f"/intake/{application.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.UNDER_REVIEW


def test_the_firm_sees_every_case_awaiting_its_handler_however_old(
    client_as, coordinator, legal_aid_center, law_firm, firm_director, monkeypatch
):
    from frontend.views import intake as intake_pages
    from marketplace.applications.models import FirmAssignmentStatus
    from tests.factories import CaseFactory

    now = timezone.now()

    def assigned(title, status, days_ago):
        return FirmAssignment.objects.create(
            task=CaseFactory(organization=legal_aid_center, title=title),
            law_firm=law_firm,
            status=status,
            assigned_at=now - timedelta(days=days_ago),
            assigned_by=coordinator,
            handler_due=now - timedelta(days=days_ago - 1),
        )

    assigned("十天前指派仍待指定承办律师", FirmAssignmentStatus.AWAITING_HANDLER, 10)
    assigned("五天前已指定承办律师", FirmAssignmentStatus.HANDLER_NAMED, 5)
    assigned("昨天已指定承办律师", FirmAssignmentStatus.HANDLER_NAMED, 1)
    monkeypatch.setattr(intake_pages, "FIRM_DONE_SHOWN", 1)

    page = client_as(firm_director).get("/intake/firm/").content.decode()

    assert "十天前指派仍待指定承办律师" in page  # older than every assignment shown below it
    assert "昨天已指定承办律师" in page and "五天前已指定承办律师" not in page
