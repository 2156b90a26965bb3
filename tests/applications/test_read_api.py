"""GET /api/v1/applications/ and .../{id}/: who sees what, the parties, the due dates and filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications.models import Application, IdentityAccess
from tests.applications.conftest import APPLICANT, OPPOSING

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


@pytest.fixture
def at_station(register, station_coordinator, station):
    response = register(station_coordinator, organization=station.pk)
    assert response.status_code == 201
    return response.json()["id"]


@pytest.fixture
def in_suzhou(register, other_centre_coordinator, suzhou_centre, regions):
    response = register(other_centre_coordinator, organization=suzhou_centre.pk, region=regions["suzhou"].code)
    assert response.status_code == 201
    return response.json()["id"]


class TestWhoSeesWhat:
    def test_the_centre_sees_its_own_and_not_a_stations_until_forwarded(
        self, api_as, coordinator, station_coordinator, registered, at_station, in_suzhou
    ):
        assert ids(api_as(coordinator).get("/api/v1/applications/")) == [registered]
        api_as(station_coordinator).post(f"/api/v1/applications/{at_station}/forward/")
        assert ids(api_as(coordinator).get("/api/v1/applications/")) == sorted([registered, at_station])

    def test_a_station_sees_only_what_it_registered(
        self, api_as, station_coordinator, registered, at_station, in_suzhou
    ):
        assert ids(api_as(station_coordinator).get("/api/v1/applications/")) == [at_station]
        assert api_as(station_coordinator).get(f"/api/v1/applications/{registered}/").status_code == 404

    def test_regulators_see_their_region(self, api_as, regulator, other_regulator, registered, at_station, in_suzhou):
        assert ids(api_as(regulator).get("/api/v1/applications/")) == sorted([registered, at_station])
        assert ids(api_as(other_regulator).get("/api/v1/applications/")) == [in_suzhou]
        assert api_as(other_regulator).get(f"/api/v1/applications/{registered}/").status_code == 404

    def test_another_centre_gets_404(self, api_as, other_centre_coordinator, registered):
        response = api_as(other_centre_coordinator).get(f"/api/v1/applications/{registered}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    @pytest.mark.parametrize("who", ["stranger", "provider"])
    def test_users_without_a_part_in_applications_get_403_on_the_list(self, api_as, who, request, registered):
        response = api_as(request.getfixturevalue(who)).get("/api/v1/applications/")
        assert response.status_code == 403
        assert response.json()["code"] == "not_applications_reader"

    def test_another_station_sees_an_empty_list_and_404(self, api_as, outsider, registered):
        # The outsider coordinates a district trade union: a station of its own.
        assert ids(api_as(outsider).get("/api/v1/applications/")) == []
        assert api_as(outsider).get(f"/api/v1/applications/{registered}/").status_code == 404

    def test_anonymous_callers_get_401(self, api, registered):
        assert api.get("/api/v1/applications/").status_code == 401
        response = api.get(f"/api/v1/applications/{registered}/")
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"

    @pytest.mark.parametrize("pk", ["0", "abc", "99999999999999999999", "-1", "1.5"])
    def test_ids_that_cannot_exist_are_404(self, api_as, coordinator, pk):
        assert api_as(coordinator).get(f"/api/v1/applications/{pk}/").status_code == 404

    @pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
    def test_the_detail_takes_only_get(self, api_as, coordinator, registered, method):
        response = getattr(api_as(coordinator), method)(f"/api/v1/applications/{registered}/", {}, format="json")
        assert response.status_code == 405
        assert Application.objects.filter(status="under_review").count() == 1


class TestParties:
    def test_the_centre_sees_the_parties_and_the_reveal_is_recorded(self, api_as, coordinator, registered):
        body = api_as(coordinator).get(f"/api/v1/applications/{registered}/").json()

        assert body["applicant"] == APPLICANT
        assert body["opposing_party"] == OPPOSING
        access = IdentityAccess.objects.get()
        assert (access.user, access.application_id, access.via) == (coordinator, registered, "application_detail")

    def test_the_receiving_station_sees_the_parties_of_what_it_registered(
        self, api_as, station_coordinator, at_station
    ):
        body = api_as(station_coordinator).get(f"/api/v1/applications/{at_station}/").json()
        assert body["applicant"]["name"] == APPLICANT["name"]
        assert IdentityAccess.objects.get().user == station_coordinator

    @pytest.mark.parametrize("who", ["regulator", "association_reviewer"])
    def test_regulators_never_see_the_parties(self, api_as, who, request, registered):
        client = api_as(request.getfixturevalue(who))
        response = client.get(f"/api/v1/applications/{registered}/")

        assert response.status_code == 200
        body = response.json()
        assert "applicant" not in body and "opposing_party" not in body
        assert APPLICANT["name"] not in response.content.decode()
        assert body["decision_due"] and body["number"]
        denied = client.get(f"/api/v1/applications/{registered}/identity/")
        assert denied.status_code == 403 and denied.json()["code"] == "identity_withheld"
        assert client.get(f"/api/v1/applications/{registered}/reveals/").status_code == 403
        assert not IdentityAccess.objects.exists()

    def test_the_list_never_carries_the_parties(self, api_as, coordinator, registered):
        response = api_as(coordinator).get("/api/v1/applications/")
        assert "applicant" not in response.json()["results"][0]
        assert APPLICANT["name"] not in response.content.decode()
        assert not IdentityAccess.objects.exists()

    def test_the_identity_endpoint_reveals_and_records(self, api_as, coordinator, registered):
        body = api_as(coordinator).get(f"/api/v1/applications/{registered}/identity/").json()
        assert body == {"applicant": APPLICANT, "opposing_party": OPPOSING}
        reveals = api_as(coordinator).get(f"/api/v1/applications/{registered}/reveals/").json()
        assert [r["via"] for r in reveals["results"]] == ["identity"]

    def test_an_application_without_an_opposing_party_shows_null(self, api_as, register, coordinator):
        pk = register(coordinator, opposing_party=None).json()["id"]
        assert api_as(coordinator).get(f"/api/v1/applications/{pk}/").json()["opposing_party"] is None


class TestDueDatesAndFilters:
    @pytest.fixture
    def late(self, register, coordinator):
        """Received ten days ago and still under review: the decision is overdue."""
        received = timezone.now() - timedelta(days=10)
        return register(coordinator, received_at=received.isoformat()).json()["id"]

    def test_an_application_past_its_decision_due_is_overdue(self, api_as, coordinator, late, registered):
        client = api_as(coordinator)
        assert client.get(f"/api/v1/applications/{late}/").json()["overdue"] is True
        assert client.get(f"/api/v1/applications/{registered}/").json()["overdue"] is False
        assert ids(client.get("/api/v1/applications/?overdue=true")) == [late]
        assert ids(client.get("/api/v1/applications/?overdue=false")) == [registered]

    def test_due_before_lists_the_running_due_dates_before_a_day(self, api_as, coordinator, late, registered):
        client = api_as(coordinator)
        today = timezone.localdate()
        assert ids(client.get(f"/api/v1/applications/?due_before={today}")) == [late]
        assert ids(client.get(f"/api/v1/applications/?due_before={today + timedelta(days=8)}")) == sorted(
            [late, registered]
        )

    def test_a_decided_application_is_not_overdue(self, api_as, coordinator, late):
        api_as(coordinator).post(
            f"/api/v1/applications/{late}/decide/", {"decision": "refuse", "reasons": "不符合条件"}, format="json"
        )
        assert api_as(coordinator).get(f"/api/v1/applications/{late}/").json()["overdue"] is False

    def test_filters_by_status_channel_organization_and_receipt(
        self, api_as, coordinator, register, legal_aid_center, station, late, registered
    ):
        phone = register(coordinator, channel="phone").json()["id"]
        client = api_as(coordinator)
        assert ids(client.get("/api/v1/applications/?channel=phone")) == [phone]
        assert ids(client.get("/api/v1/applications/?status=refused")) == []
        assert len(ids(client.get(f"/api/v1/applications/?organization={legal_aid_center.pk}"))) == 3
        assert ids(client.get(f"/api/v1/applications/?organization={station.pk}")) == []
        after = (timezone.now() - timedelta(days=2)).isoformat()
        assert ids(client.get("/api/v1/applications/", {"received_after": after})) == sorted([registered, phone])

    @pytest.mark.parametrize(
        "query",
        [
            "status=lost",
            "channel=letter",
            "overdue=maybe",
            "due_before=tomorrow",
            "due_before=2026-02-30",
            "received_after=noon",
            "organization=abc",
        ],
    )
    def test_bad_filters_are_400(self, api_as, coordinator, registered, query):
        response = api_as(coordinator).get(f"/api/v1/applications/?{query}")
        assert response.status_code == 400
        assert query.split("=")[0] in response.json()

    def test_the_list_runs_a_fixed_number_of_queries(self, api_as, coordinator, register, page_queries):
        client = api_as(coordinator)
        for _ in range(12):
            pk = register(coordinator).json()["id"]
        client.post(f"/api/v1/applications/{pk}/decide/", {"decision": "approve"}, format="json")
        counts = page_queries(client, "/api/v1/applications/")
        assert counts[0] == counts[1] <= 12


@pytest.mark.parametrize(
    "query",
    [
        "received_after=0001-01-01T00:00:00%2B14:00",
        "received_after=9999-12-31T23:59:59-12:00",
        "due_before=0001-01-01",
        "due_before=9999-12-31",
        "organization=-1",
        "organization=99999999999999999999999",
        "organization=1e400",
        "page=99999",
    ],
)
def test_extreme_filters_never_fail_on_the_server(api_as, coordinator, registered, query):
    assert api_as(coordinator).get(f"/api/v1/applications/?{query}").status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "received_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1900-01-01T00:00:00+08:00"]
)
def test_extreme_receipt_times_never_fail_on_the_server(register, coordinator, received_at):
    assert register(coordinator, received_at=received_at).status_code in (201, 400)
