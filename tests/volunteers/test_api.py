import pytest

from tests.factories import VolunteerFactory
from volunteers.models import Volunteer, VolunteerStatus

REGISTER = {
    "kind": "lawyer",
    "licence_number": "13204201810199999",
    "region": "320402",
    "specialties": ["labor_wages"],
    "languages": ["zh"],
}


@pytest.mark.django_db
class TestRegister:
    def test_signed_in_user_registers_as_pending(self, api_as, stranger, regions):
        response = api_as(stranger).post("/api/v1/volunteers/", REGISTER, format="json")
        assert response.status_code == 201
        assert response.json()["status"] == "pending"
        assert Volunteer.objects.get(user=stranger).licence_number == REGISTER["licence_number"]

    def test_anonymous_cannot_register(self, api, regions):
        response = api.post("/api/v1/volunteers/", REGISTER, format="json")
        assert response.status_code == 401
        assert not Volunteer.objects.exists()

    def test_second_registration_is_409(self, api_as, provider, regions):
        response = api_as(provider).post("/api/v1/volunteers/", REGISTER, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "already_registered"
        assert Volunteer.objects.count() == 1

    def test_duplicate_licence_number_is_400_naming_the_field(self, api_as, stranger, provider_volunteer):
        body = {**REGISTER, "licence_number": provider_volunteer.licence_number}
        response = api_as(stranger).post("/api/v1/volunteers/", body, format="json")
        assert response.status_code == 400
        assert "licence_number" in response.json()
        assert not Volunteer.objects.filter(user=stranger).exists()

    def test_same_number_in_another_profession_is_allowed(self, api_as, stranger, provider_volunteer):
        body = {**REGISTER, "kind": "notary", "licence_number": provider_volunteer.licence_number}
        assert api_as(stranger).post("/api/v1/volunteers/", body, format="json").status_code == 201

    def test_unknown_region_is_400_naming_the_field(self, api_as, stranger, regions):
        response = api_as(stranger).post("/api/v1/volunteers/", {**REGISTER, "region": "999999"}, format="json")
        assert response.status_code == 400
        assert "region" in response.json()
        assert not Volunteer.objects.exists()

    def test_licensed_kind_without_licence_is_400(self, api_as, stranger, regions):
        response = api_as(stranger).post("/api/v1/volunteers/", {**REGISTER, "licence_number": ""}, format="json")
        assert response.status_code == 400
        assert "licence_number" in response.json()
        assert not Volunteer.objects.exists()

    def test_student_needs_no_licence(self, api_as, stranger, regions):
        body = {**REGISTER, "kind": "law_student", "licence_number": ""}
        assert api_as(stranger).post("/api/v1/volunteers/", body, format="json").status_code == 201

    def test_unknown_kind_and_specialty_are_400(self, api_as, stranger, regions):
        response = api_as(stranger).post(
            "/api/v1/volunteers/", {**REGISTER, "kind": "wizard", "specialties": ["magic"]}, format="json"
        )
        assert response.status_code == 400
        assert {"kind", "specialties"} <= set(response.json())


@pytest.mark.django_db
class TestSeeing:
    def test_provider_sees_only_self(self, api_as, provider, provider_volunteer, regions):
        VolunteerFactory(region=regions["tianning"])
        body = api_as(provider).get("/api/v1/volunteers/").json()
        assert [v["id"] for v in body["results"]] == [provider_volunteer.pk]

    def test_regulator_sees_providers_of_its_region_and_below(self, api_as, regulator, provider_volunteer, regions):
        far = VolunteerFactory(region=regions["suzhou"])
        ids = [v["id"] for v in api_as(regulator).get("/api/v1/volunteers/").json()["results"]]
        assert provider_volunteer.pk in ids
        assert far.pk not in ids
        assert api_as(regulator).get(f"/api/v1/volunteers/{far.pk}/").status_code == 404

    def test_coordinator_sees_providers_with_claims_on_its_tasks(self, api_as, coordinator, legal_aid_center, regions):
        from tests.factories import AidTaskFactory, ClaimFactory

        claimant = VolunteerFactory(region=regions["tianning"])
        other = VolunteerFactory(region=regions["tianning"])
        ClaimFactory(task=AidTaskFactory(organization=legal_aid_center), volunteer=claimant)
        client = api_as(coordinator)
        assert client.get(f"/api/v1/volunteers/{claimant.pk}/").status_code == 200
        assert client.get(f"/api/v1/volunteers/{other.pk}/").status_code == 404

    def test_stranger_sees_nobody(self, api_as, stranger, provider_volunteer):
        assert api_as(stranger).get("/api/v1/volunteers/").json()["count"] == 0
        assert api_as(stranger).get(f"/api/v1/volunteers/{provider_volunteer.pk}/").status_code == 404

    def test_anonymous_is_401(self, api, provider_volunteer):
        assert api.get("/api/v1/volunteers/").status_code == 401

    def test_filters_by_status_and_region(self, api_as, regulator, provider_volunteer, regions):
        pending = VolunteerFactory(region=regions["zhonglou"], status=VolunteerStatus.PENDING)
        client = api_as(regulator)
        ids = [v["id"] for v in client.get("/api/v1/volunteers/", {"status": "pending"}).json()["results"]]
        assert ids == [pending.pk]
        ids = [v["id"] for v in client.get("/api/v1/volunteers/", {"region": "320402"}).json()["results"]]
        assert ids == [provider_volunteer.pk]

    def test_list_runs_the_same_queries_at_any_page_size(
        self, api_as, regulator, regions, django_assert_max_num_queries
    ):
        VolunteerFactory.create_batch(25, region=regions["tianning"])
        client = api_as(regulator)
        for size in (10, 100):
            with django_assert_max_num_queries(4):
                assert client.get("/api/v1/volunteers/", {"page_size": size}).status_code == 200

    def test_profiles_cannot_be_deleted(self, api_as, provider, provider_volunteer):
        assert api_as(provider).delete(f"/api/v1/volunteers/{provider_volunteer.pk}/").status_code == 405


@pytest.mark.django_db
class TestVerify:
    def test_regulator_of_the_region_verifies_a_pending_provider(self, api_as, regulator, regions):
        pending = VolunteerFactory(region=regions["tianning"], status=VolunteerStatus.PENDING)
        response = api_as(regulator).post(
            f"/api/v1/volunteers/{pending.pk}/verify/", {"status": "verified", "note": "执业证已核验"}
        )
        assert response.status_code == 200
        pending.refresh_from_db()
        assert pending.status == "verified"
        assert pending.status_note == "执业证已核验"
        assert pending.status_changed_by == regulator

    def test_regulator_of_another_region_gets_404(self, api_as, other_regulator, regions):
        pending = VolunteerFactory(region=regions["tianning"], status=VolunteerStatus.PENDING)
        response = api_as(other_regulator).post(f"/api/v1/volunteers/{pending.pk}/verify/", {"status": "verified"})
        assert response.status_code == 404
        pending.refresh_from_db()
        assert pending.status == "pending"

    def test_provider_cannot_verify_itself(self, api_as, provider, provider_volunteer):
        provider_volunteer.status = VolunteerStatus.PENDING
        provider_volunteer.save()
        response = api_as(provider).post(f"/api/v1/volunteers/{provider_volunteer.pk}/verify/", {"status": "verified"})
        assert response.status_code == 404
        provider_volunteer.refresh_from_db()
        assert provider_volunteer.status == "pending"

    def test_coordinator_cannot_verify(self, api_as, coordinator, regions):
        pending = VolunteerFactory(region=regions["tianning"], status=VolunteerStatus.PENDING)
        response = api_as(coordinator).post(f"/api/v1/volunteers/{pending.pk}/verify/", {"status": "verified"})
        assert response.status_code == 404

    def test_bad_status_is_400_naming_the_field(self, api_as, regulator, provider_volunteer):
        response = api_as(regulator).post(f"/api/v1/volunteers/{provider_volunteer.pk}/verify/", {"status": "great"})
        assert response.status_code == 400
        assert "status" in response.json()

    def test_verifying_a_verified_provider_is_409(self, api_as, regulator, provider_volunteer):
        response = api_as(regulator).post(f"/api/v1/volunteers/{provider_volunteer.pk}/verify/", {"status": "verified"})
        assert response.status_code == 409
        assert response.json()["code"] == "invalid_transition"

    def test_suspending_then_reinstating(self, api_as, regulator, provider_volunteer):
        client = api_as(regulator)
        url = f"/api/v1/volunteers/{provider_volunteer.pk}/verify/"
        assert client.post(url, {"status": "suspended", "note": "投诉核查中"}).json()["status"] == "suspended"
        assert client.post(url, {"status": "verified"}).json()["status"] == "verified"

    def test_verify_needs_post(self, api_as, regulator, provider_volunteer):
        assert api_as(regulator).get(f"/api/v1/volunteers/{provider_volunteer.pk}/verify/").status_code == 405

    def test_anonymous_verify_is_401(self, api, provider_volunteer):
        assert (
            api.post(f"/api/v1/volunteers/{provider_volunteer.pk}/verify/", {"status": "verified"}).status_code == 401
        )


@pytest.mark.django_db
def test_a_malformed_or_huge_id_is_404_not_500(api_as, regulator, provider_volunteer):
    client = api_as(regulator)
    for bad in ("null,null", "1e3", "99999999999999999999999"):
        assert client.get(f"/api/v1/volunteers/{bad}/").status_code == 404
        assert client.post(f"/api/v1/volunteers/{bad}/verify/", {"status": "verified"}).status_code == 404


@pytest.mark.django_db
def test_a_provider_without_practice_organisation_shows_null(api_as, provider, provider_volunteer):
    assert api_as(provider).get(f"/api/v1/volunteers/{provider_volunteer.pk}/").json()["practice_org_name"] is None
