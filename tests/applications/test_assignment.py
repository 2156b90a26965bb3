"""Assignment (指派) of a legal aid matter: the conflict check, law firms naming their handler,
experience for death and life cases, minors' cases first, and cases never blocked by overlap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications.models import (
    Application,
    ApplicationEvent,
    EventKind,
    FirmAssignment,
    FirmAssignmentStatus,
)
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def assign(client, case, **body):
    return client.post(f"/api/v1/tasks/{case}/assign/", body, format="json")


def name_handler(client, case, volunteer):
    return client.post(f"/api/v1/tasks/{case}/name-handler/", {"volunteer": volunteer}, format="json")


def snapshot():
    """What a refused request must leave as it was."""
    return (
        Claim.objects.count(),
        FirmAssignment.objects.count(),
        ApplicationEvent.objects.count(),
        list(AidTask.objects.order_by("pk").values_list("pk", "status", "seats_taken")),
        list(Application.objects.order_by("pk").values_list("pk", "assigned_at")),
    )


# --- the conflict check ----------------------------------------------------------------------


class TestConflictOfInterest:
    def test_assigning_the_lawyer_of_the_opposing_party_is_refused_naming_the_earlier_matter(
        self, api_as, coordinator, make_lawyer, earlier_client_of, against_earlier_client
    ):
        lawyer = make_lawyer()
        earlier = earlier_client_of(lawyer)
        _, case = against_earlier_client
        before = snapshot()
        response = assign(api_as(coordinator), case, volunteer=lawyer.pk)
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "conflict_of_interest"
        assert earlier in body["detail"]
        assert "张" not in body["detail"].replace(earlier, "")  # the matter by its number only
        assert snapshot() == before

    def test_the_same_id_number_is_a_conflict_whatever_the_name(
        self, api_as, coordinator, make_lawyer, earlier_client_of, approve
    ):
        from tests.applications.conftest import APPLICANT_ID

        lawyer = make_lawyer()
        earlier = earlier_client_of(lawyer)
        _, case = approve(opposing_party={"name": "张某", "id_number": APPLICANT_ID.lower()})
        response = assign(api_as(coordinator), case, volunteer=lawyer.pk)
        assert response.status_code == 409 and earlier in response.json()["detail"]

    def test_a_past_client_counts_and_another_lawyer_is_free(
        self, api_as, coordinator, make_lawyer, earlier_client_of, against_earlier_client
    ):
        lawyer, other = make_lawyer(), make_lawyer()
        earlier_client_of(lawyer)
        Claim.objects.filter(volunteer=lawyer).update(status=ClaimStatus.COMPLETED)
        _, case = against_earlier_client
        assert assign(api_as(coordinator), case, volunteer=lawyer.pk).json()["code"] == "conflict_of_interest"
        assert assign(api_as(coordinator), case, volunteer=other.pk).status_code == 201

    def test_the_candidates_show_the_conflict_and_rank_it_last(
        self, api_as, coordinator, make_lawyer, earlier_client_of, against_earlier_client
    ):
        lawyer, other = make_lawyer(), make_lawyer()
        earlier = earlier_client_of(lawyer)
        _, case = against_earlier_client
        results = api_as(coordinator).get(f"/api/v1/tasks/{case}/candidates/").json()["results"]
        by_id = {r["volunteer"]: r for r in results}
        assert by_id[lawyer.pk]["conflict"] == earlier and by_id[other.pk]["conflict"] is None
        assert results[-1]["volunteer"] == lawyer.pk
        assert by_id[lawyer.pk]["reasons"][0]["code"] == "conflict_of_interest"

    def test_a_provider_cannot_claim_a_published_case_against_a_client(
        self, api_as, coordinator, make_lawyer, earlier_client_of, against_earlier_client
    ):
        lawyer = make_lawyer()
        earlier_client_of(lawyer)
        _, case = against_earlier_client
        # Published, with a claim deadline ahead (a case's nominal start is its creation).
        AidTask.objects.filter(pk=case).update(
            status=TaskStatus.OPEN, claim_deadline=timezone.now() + timedelta(days=1)
        )
        response = api_as(lawyer.user).post(f"/api/v1/tasks/{case}/claims/")
        assert response.status_code == 409 and response.json()["code"] == "conflict_of_interest"


# --- law firms -------------------------------------------------------------------------------


class TestLawFirmAssignment:
    def test_the_centre_assigns_a_firm_whose_director_names_the_handler_within_24_hours(
        self, api_as, coordinator, approve, law_firm, firm_director, firm_lawyer
    ):
        pk, case = approve()
        before = timezone.now()
        response = assign(api_as(coordinator), case, law_firm=law_firm.pk)
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["status"], body["law_firm"], body["handler"]) == ("awaiting_handler", law_firm.pk, None)
        due = FirmAssignment.objects.get().handler_due
        assert timedelta(hours=24) <= due - before <= timedelta(hours=24, minutes=1)
        application = Application.objects.get(pk=pk)
        assert application.assigned_at is not None and application.assigned_on_time is True
        # The firm has it: the assignment is made, nothing is overdue, nobody else is assigned.
        assert api_as(coordinator).get("/api/v1/applications/?overdue=true").json()["count"] == 0
        again = assign(api_as(coordinator), case, volunteer=firm_lawyer.pk)
        assert again.status_code == 409 and again.json()["code"] == "awaiting_handler"
        listed = api_as(firm_director).get("/api/v1/firm-assignments/").json()["results"]
        assert [(r["task"], r["application_number"], r["handler_overdue"]) for r in listed] == [
            (case, application.number, False)
        ]

        named = name_handler(api_as(firm_director), case, firm_lawyer.pk)
        assert named.status_code == 201, named.content
        assert (named.json()["status"], named.json()["is_assignment"]) == ("accepted", True)
        assignment = FirmAssignment.objects.get()
        assert (assignment.status, assignment.handler, assignment.claim_id) == (
            FirmAssignmentStatus.HANDLER_NAMED,
            firm_lawyer,
            named.json()["id"],
        )
        task = AidTask.objects.get(pk=case)
        assert (task.status, task.seats_taken) == (TaskStatus.FILLED, 1)
        assert api_as(coordinator).get(f"/api/v1/tasks/{case}/").json()["handler"] == firm_lawyer.pk
        kinds = list(ApplicationEvent.objects.filter(application_id=pk).values_list("kind", flat=True))
        assert kinds[-2:] == [EventKind.ASSIGNED_TO_FIRM, EventKind.HANDLER_NAMED]

    def test_naming_twice_is_refused(self, api_as, coordinator, approve, law_firm, firm_director, make_lawyer):
        _, case = approve()
        assign(api_as(coordinator), case, law_firm=law_firm.pk)
        first, second = make_lawyer(practice_org=law_firm), make_lawyer(practice_org=law_firm)
        assert name_handler(api_as(firm_director), case, first.pk).status_code == 201
        before = snapshot()
        response = name_handler(api_as(firm_director), case, second.pk)
        assert response.status_code == 409 and response.json()["code"] == "handler_already_named"
        assert snapshot() == before

    def test_a_lawyer_of_another_firm_is_refused_on_the_field(
        self, api_as, coordinator, approve, law_firm, other_firm, firm_director, make_lawyer
    ):
        _, case = approve()
        assign(api_as(coordinator), case, law_firm=law_firm.pk)
        stranger_lawyer = make_lawyer(practice_org=other_firm)
        before = snapshot()
        response = name_handler(api_as(firm_director), case, stranger_lawyer.pk)
        assert response.status_code == 400
        assert response.json()["code"] == "not_of_firm" and "volunteer" in response.json()
        assert snapshot() == before

    def test_the_firm_naming_a_conflicted_handler_is_refused(
        self, api_as, coordinator, law_firm, firm_director, firm_lawyer, earlier_client_of, against_earlier_client
    ):
        earlier = earlier_client_of(firm_lawyer)
        _, case = against_earlier_client
        assign(api_as(coordinator), case, law_firm=law_firm.pk)
        before = snapshot()
        response = name_handler(api_as(firm_director), case, firm_lawyer.pk)
        assert response.status_code == 409 and response.json()["code"] == "conflict_of_interest"
        assert earlier in response.json()["detail"]
        assert snapshot() == before
        assert FirmAssignment.objects.get(task_id=case).status == FirmAssignmentStatus.AWAITING_HANDLER

    def test_the_director_names_only_a_verified_lawyer_and_never_themself(
        self, api_as, coordinator, approve, law_firm, firm_director, make_lawyer
    ):
        _, case = approve()
        assign(api_as(coordinator), case, law_firm=law_firm.pk)
        pending = make_lawyer(practice_org=law_firm, status="pending")
        staff = make_lawyer(practice_org=law_firm, kind="legal_aid_staff")
        himself = make_lawyer(practice_org=law_firm, user=firm_director)
        before = snapshot()
        for volunteer, code in ((pending, "not_eligible"), (staff, "not_eligible"), (himself, "own_record")):
            response = name_handler(api_as(firm_director), case, volunteer.pk)
            assert (response.status_code, response.json()["code"]) == (403, code)
        assert snapshot() == before

    def test_name_handler_matrix(
        self, api, api_as, coordinator, approve, law_firm, other_firm, firm_director, firm_lawyer, outsider, provider
    ):
        _, case = approve()
        assign(api_as(coordinator), case, law_firm=law_firm.pk)
        other_director = UserFactory()
        from organizations.models import Role
        from tests.factories import MembershipFactory

        MembershipFactory(user=other_director, organization=other_firm, role=Role.COORDINATOR)
        before = snapshot()
        assert name_handler(api, case, firm_lawyer.pk).status_code == 401
        for user in (outsider, provider, other_director, coordinator, firm_lawyer.user):
            assert name_handler(api_as(user), case, firm_lawyer.pk).status_code == 404
        assert name_handler(api_as(firm_director), 10**6, firm_lawyer.pk).status_code == 404
        bad = api_as(firm_director).post(f"/api/v1/tasks/{case}/name-handler/", {}, format="json")
        assert bad.status_code == 400 and "volunteer" in bad.json()
        bad = name_handler(api_as(firm_director), case, 10**6)
        assert bad.status_code == 400 and "volunteer" in bad.json()
        assert api_as(firm_director).get(f"/api/v1/tasks/{case}/name-handler/").status_code == 405
        assert snapshot() == before

    def test_the_centre_withdraws_a_firm_that_did_not_name_and_assigns_anew(
        self, api, api_as, coordinator, approve, law_firm, firm_director, firm_lawyer, make_lawyer, outsider
    ):
        _, case = approve()
        assign(api_as(coordinator), case, law_firm=law_firm.pk)
        url = f"/api/v1/tasks/{case}/firm-assignment/withdraw/"
        before = snapshot()
        assert api.post(url, {"reason": "逾期未指定"}, format="json").status_code == 401
        assert api_as(outsider).post(url, {"reason": "逾期未指定"}, format="json").status_code == 404
        assert api_as(firm_director).post(url, {"reason": "x"}, format="json").status_code == 404
        bad = api_as(coordinator).post(url, {"reason": ""}, format="json")
        assert bad.status_code == 400 and "reason" in bad.json()
        assert api_as(coordinator).get(url).status_code == 405
        assert snapshot() == before
        response = api_as(coordinator).post(url, {"reason": "律所逾期未指定承办律师"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "withdrawn"
        again = api_as(coordinator).post(url, {"reason": "again"}, format="json")
        assert again.status_code == 409 and again.json()["code"] == "no_firm_assignment"
        late = name_handler(api_as(firm_director), case, firm_lawyer.pk)
        assert late.status_code == 409 and late.json()["code"] == "firm_assignment_withdrawn"
        assert assign(api_as(coordinator), case, volunteer=make_lawyer().pk).status_code == 201

    def test_a_firm_past_its_24_hours_makes_the_application_overdue(
        self, api_as, coordinator, approve, law_firm, firm_director
    ):
        pk, case = approve()
        assign(api_as(coordinator), case, law_firm=law_firm.pk)
        FirmAssignment.objects.update(handler_due=timezone.now() - timedelta(days=2))
        assert [r["id"] for r in api_as(coordinator).get("/api/v1/applications/?overdue=true").json()["results"]] == [
            pk
        ]
        [row] = api_as(firm_director).get("/api/v1/firm-assignments/").json()["results"]
        assert row["handler_overdue"] is True

    def test_assign_body_and_firm_matrix(
        self, api_as, coordinator, approve, law_firm, other_org, outsider, station_coordinator, make_lawyer, regions
    ):
        _, case = approve()
        client = api_as(coordinator)
        union_task = AidTaskFactory(organization=other_org, kind="consultation")
        before = snapshot()
        for body in ({}, {"volunteer": make_lawyer().pk, "law_firm": law_firm.pk}):
            response = client.post(f"/api/v1/tasks/{case}/assign/", body, format="json")
            assert response.status_code == 400 and "volunteer" in response.json()
        not_firm = assign(client, case, law_firm=other_org.pk)
        assert not_firm.status_code == 400 and not_firm.json()["code"] == "not_law_firm"
        from tests.factories import OrganizationFactory

        far = OrganizationFactory(kind="law_firm", region=regions["suzhou"])
        outside = assign(client, case, law_firm=far.pk)
        assert outside.status_code == 400 and outside.json()["code"] == "outside_region"
        assert assign(client, case, law_firm=10**6).status_code == 400
        for user in (outsider, station_coordinator):
            assert assign(api_as(user), case, law_firm=law_firm.pk).status_code == 404
        refused = assign(api_as(outsider), union_task.pk, law_firm=law_firm.pk)
        assert refused.status_code == 403 and refused.json()["code"] == "not_legal_aid_center"
        assert snapshot() == before
        session = AidTaskFactory(organization=coordinator.memberships.get().organization)
        not_case = assign(client, session.pk, law_firm=law_firm.pk)
        assert not_case.status_code == 409 and not_case.json()["code"] == "not_a_case"

    def test_firm_assignments_are_listed_for_the_firm_and_the_centre_only(
        self, api, api_as, coordinator, approve, law_firm, firm_director, outsider, django_assert_max_num_queries
    ):
        for _ in range(3):
            _, case = approve()
            assign(api_as(coordinator), case, law_firm=law_firm.pk)
        assert api.get("/api/v1/firm-assignments/").status_code == 401
        assert api_as(outsider).get("/api/v1/firm-assignments/").json()["count"] == 0
        assert api_as(coordinator).get("/api/v1/firm-assignments/").json()["count"] == 3
        client = api_as(firm_director)
        with django_assert_max_num_queries(6):
            response = client.get("/api/v1/firm-assignments/?status=awaiting_handler")
        assert response.json()["count"] == 3
        assert client.get("/api/v1/firm-assignments/?status=nonsense").status_code == 400
        assert client.post("/api/v1/firm-assignments/").status_code == 405
        text = response.content.decode()
        assert "张秘密" not in text and "13912345678" not in text


# --- experience and minors -------------------------------------------------------------------


class TestSeriousAndMinorsCases:
    def test_a_death_penalty_case_needs_three_years_of_practice(self, api_as, coordinator, approve, make_lawyer):
        today = timezone.localdate()
        junior = make_lawyer(licensed_on=today - timedelta(days=2 * 365))
        senior = make_lawyer(licensed_on=today - timedelta(days=4 * 365))
        _, case = approve(
            matter_kind="criminal_defense",
            category="criminal",
            channel="court_notice",
            hardship_basis="criminal_notice",
            max_penalty="death",
        )
        ranked = [
            r["volunteer"] for r in api_as(coordinator).get(f"/api/v1/tasks/{case}/candidates/").json()["results"]
        ]
        assert senior.pk in ranked and junior.pk not in ranked
        before = snapshot()
        response = assign(api_as(coordinator), case, volunteer=junior.pk)
        assert response.status_code == 403 and response.json()["code"] == "not_eligible"
        assert "26" in response.json()["detail"]
        assert snapshot() == before
        assert assign(api_as(coordinator), case, volunteer=senior.pk).status_code == 201

    def test_only_a_criminal_defence_names_the_heaviest_sentence(self, register, coordinator):
        response = register(coordinator, max_penalty="life")
        assert response.status_code == 400 and response.json()["code"] == "not_criminal"
        assert register(coordinator, max_penalty="exile").status_code == 400
        assert not Application.objects.exists()

    def test_a_minors_criminal_case_ranks_lawyers_familiar_with_minors_first(
        self, api_as, coordinator, approve, make_lawyer, regions, legal_aid_center
    ):
        criminal = make_lawyer(specialties=["criminal"])  # specialty match and same district
        by_specialty = make_lawyer(specialties=["minors"], region=regions["changzhou"])
        by_case = make_lawyer(specialties=["family"], region=regions["changzhou"])
        past = AidTaskFactory(
            organization=legal_aid_center, kind="criminal_defense", beneficiary_group="minors", status="completed"
        )
        ClaimFactory(task=past, volunteer=by_case, status=ClaimStatus.COMPLETED)
        _, case = approve(matter_kind="criminal_defense", category="criminal", beneficiary_group="minors")
        results = api_as(coordinator).get(f"/api/v1/tasks/{case}/candidates/").json()["results"]
        order = [r["volunteer"] for r in results]
        assert order.index(by_specialty.pk) < order.index(criminal.pk)
        assert order.index(by_case.pk) < order.index(criminal.pk)
        assert {r["volunteer"] for r in results if r["minors_experience"]} == {by_specialty.pk, by_case.pk}

    def test_an_adults_case_keeps_the_usual_ranking(self, api_as, coordinator, approve, make_lawyer, regions):
        criminal = make_lawyer(specialties=["criminal"])
        minors = make_lawyer(specialties=["minors"], region=regions["changzhou"])
        _, case = approve(matter_kind="criminal_defense", category="criminal", beneficiary_group="general")
        order = [r["volunteer"] for r in api_as(coordinator).get(f"/api/v1/tasks/{case}/candidates/").json()["results"]]
        assert order.index(criminal.pk) < order.index(minors.pk)


# --- cases and time overlap ------------------------------------------------------------------


class TestCasesNeverOverlap:
    def test_a_lawyer_with_cases_in_hand_is_assigned_another_and_keeps_claiming_sessions(
        self, api_as, coordinator, approve, make_lawyer, legal_aid_center, regions
    ):
        lawyer = make_lawyer()
        _, first = approve()
        _, second = approve()
        assert assign(api_as(coordinator), first, volunteer=lawyer.pk).status_code == 201
        # Both cases' nominal windows start now: they overlap, and neither blocks the other.
        assert assign(api_as(coordinator), second, volunteer=lawyer.pk).status_code == 201
        case = AidTask.objects.get(pk=first)
        session = AidTaskFactory(
            organization=legal_aid_center,
            region=regions["tianning"],
            starts_at=case.starts_at + timedelta(minutes=10),
            ends_at=case.starts_at + timedelta(minutes=50),
            claim_deadline=None,
        )
        AidTask.objects.filter(pk=session.pk).update(starts_at=timezone.now() + timedelta(minutes=5))
        session.refresh_from_db()
        AidTask.objects.filter(pk=first).update(
            starts_at=session.starts_at - timedelta(minutes=5), ends_at=session.ends_at + timedelta(minutes=5)
        )
        response = api_as(lawyer.user).post(f"/api/v1/tasks/{session.pk}/claims/")
        assert response.status_code == 201, response.content

    def test_an_accepted_session_does_not_keep_a_lawyer_from_a_case(
        self, api_as, coordinator, approve, make_lawyer, legal_aid_center, regions
    ):
        lawyer = make_lawyer()
        _, case = approve()
        task = AidTask.objects.get(pk=case)
        session = AidTaskFactory(
            organization=legal_aid_center,
            region=regions["tianning"],
            starts_at=task.starts_at - timedelta(minutes=30),
            ends_at=task.ends_at + timedelta(minutes=30),
        )
        ClaimFactory(task=session, volunteer=lawyer, status=ClaimStatus.ACCEPTED)
        ranked = [
            r["volunteer"] for r in api_as(coordinator).get(f"/api/v1/tasks/{case}/candidates/").json()["results"]
        ]
        assert lawyer.pk in ranked
        assert assign(api_as(coordinator), case, volunteer=lawyer.pk).status_code == 201
