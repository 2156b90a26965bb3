import pytest
from rest_framework.authtoken.models import Token

from organizations.models import Region


@pytest.mark.django_db
class TestRegions:
    def test_anyone_lists_regions_with_code_name_and_parent(self, api, regions):
        response = api.get("/api/v1/regions/")
        assert response.status_code == 200
        by_code = {r["code"]: r for r in response.json()["results"]}
        assert by_code["320402"]["parent"] == "320400"
        assert by_code["320402"]["name"] == "天宁区"

    def test_regions_filter_by_parent(self, api, regions):
        response = api.get("/api/v1/regions/", {"parent": "320400"})
        assert sorted(r["code"] for r in response.json()["results"]) == ["320402", "320404"]

    def test_unknown_region_is_404_with_code(self, api, regions):
        response = api.get("/api/v1/regions/999999/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert response.json()["detail"]

    def test_regions_cannot_be_written(self, api_as, regulator):
        response = api_as(regulator).post("/api/v1/regions/", {"code": "1", "name": "x"})
        assert response.status_code == 405
        assert response.json()["code"] == "method_not_allowed"
        assert not Region.objects.filter(code="1").exists()


@pytest.mark.django_db
class TestOrganizations:
    def test_anyone_lists_organizations_with_id_name_kind_region(self, api, legal_aid_center, other_org):
        response = api.get("/api/v1/organizations/")
        assert response.status_code == 200
        first = response.json()["results"][0]
        assert set(first) >= {"id", "name", "kind", "region"}
        assert response.json()["count"] == 2

    def test_organizations_filter_by_kind(self, api, legal_aid_center, other_org):
        response = api.get("/api/v1/organizations/", {"kind": "trade_union"})
        assert [o["id"] for o in response.json()["results"]] == [other_org.pk]

    def test_bad_kind_filter_is_400_naming_the_field(self, api, legal_aid_center):
        response = api.get("/api/v1/organizations/", {"kind": "pirates"})
        assert response.status_code == 400
        assert "kind" in response.json()

    def test_organization_detail(self, api, legal_aid_center):
        response = api.get(f"/api/v1/organizations/{legal_aid_center.pk}/")
        assert response.status_code == 200
        assert response.json()["kind"] == "legal_aid_center"

    def test_organizations_cannot_be_deleted(self, api_as, coordinator, legal_aid_center):
        response = api_as(coordinator).delete(f"/api/v1/organizations/{legal_aid_center.pk}/")
        assert response.status_code == 405

    def test_list_runs_the_same_queries_at_any_page_size(self, api, regions, django_assert_max_num_queries):
        from tests.factories import OrganizationFactory

        OrganizationFactory.create_batch(30, region=regions["tianning"])
        for size in (10, 100):
            with django_assert_max_num_queries(2):
                assert api.get("/api/v1/organizations/", {"page_size": size}).status_code == 200


@pytest.mark.django_db
class TestMe:
    def test_me_lists_volunteer_and_memberships(self, api_as, coordinator, legal_aid_center):
        body = api_as(coordinator).get("/api/v1/me/").json()
        assert body["username"] == "coordinator"
        assert body["display_name"] == "周协调"
        assert body["volunteer"] is None
        assert body["memberships"][0]["organization"] == legal_aid_center.pk
        assert body["memberships"][0]["role"] == "coordinator"

    def test_me_of_a_provider_names_the_profile(self, api_as, provider, provider_volunteer):
        assert api_as(provider).get("/api/v1/me/").json()["volunteer"] == provider_volunteer.pk

    def test_me_needs_sign_in(self, api):
        response = api.get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_me_is_read_only(self, api_as, provider):
        assert api_as(provider).post("/api/v1/me/", {}).status_code == 405


@pytest.mark.django_db
class TestToken:
    def test_token_for_good_credentials_then_used_and_revoked(self, api, provider):
        response = api.post("/api/v1/auth/token/", {"username": "provider", "password": "pass-word-123"})
        assert response.status_code == 200
        token = response.json()["token"]
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/me/").json()["username"] == "provider"
        assert api.delete("/api/v1/auth/token/").status_code == 204
        assert not Token.objects.filter(key=token).exists()
        assert api.get("/api/v1/me/").status_code == 401

    def test_wrong_password_is_401(self, api, provider):
        response = api.post("/api/v1/auth/token/", {"username": "provider", "password": "nope"})
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
        assert not Token.objects.exists()

    def test_missing_password_is_400_naming_the_field(self, api, provider):
        response = api.post("/api/v1/auth/token/", {"username": "provider"})
        assert response.status_code == 400
        assert "password" in response.json()

    def test_repeated_failures_lock_out_the_username_and_address(self, api, provider, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            api.post("/api/v1/auth/token/", {"username": "provider", "password": "wrong"})
        response = api.post("/api/v1/auth/token/", {"username": "provider", "password": "pass-word-123"})
        assert response.status_code == 429
        assert response.json()["code"] == "throttled"
        assert not Token.objects.exists()

    def test_revoking_needs_sign_in(self, api):
        assert api.delete("/api/v1/auth/token/").status_code == 401

    def test_token_endpoint_has_no_get(self, api):
        assert api.get("/api/v1/auth/token/").status_code == 405
