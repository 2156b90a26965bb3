"""The roles object (organizations.roles): one vocabulary, loaded once per user object."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.errors import Forbidden, Invalid
from organizations.models import OrganizationKind, Role
from organizations.roles import Roles, roles_of
from tests.factories import MembershipFactory, UserFactory


class TestVocabulary:
    def test_a_coordinator_coordinates_its_organisation_and_no_other(self, coordinator, legal_aid_center, other_org):
        roles = roles_of(coordinator)
        assert roles.is_coordinator and not roles.is_regulator and not roles.is_provider
        assert roles.is_coordinator_of(legal_aid_center) and roles.is_coordinator_of(legal_aid_center.pk)
        assert not roles.is_coordinator_of(other_org)
        roles.require_coordinator()
        roles.require_coordinator(legal_aid_center)
        with pytest.raises(Forbidden) as refused:
            roles.require_coordinator(other_org, detail="Not yours.")
        assert (refused.value.code, refused.value.detail) == ("permission_denied", "Not yours.")

    def test_only_a_legal_aid_centre_assigns_and_decides(self, coordinator, outsider, legal_aid_center, other_org):
        assert roles_of(coordinator).is_centre_coordinator
        roles_of(coordinator).require_centre(legal_aid_center)
        assert not roles_of(outsider).is_centre_coordinator
        for user, org in ((outsider, other_org), (outsider, legal_aid_center), (coordinator, None)):
            with pytest.raises(Forbidden) as refused:
                roles_of(user).require_centre(org)
            assert refused.value.code == "not_legal_aid_center"
            assert refused.value.detail == "Only legal aid centres assign matters."

    def test_a_regulator_regulates_its_region_and_everything_under_it(self, regulator, regions):
        roles = roles_of(regulator)
        assert roles.is_regulator and not roles.is_coordinator
        assert {region.code for region in roles.regulated_regions} == {"320400"}
        assert roles.regulates(regions["changzhou"]) and roles.regulates(regions["tianning"])
        assert not roles.regulates(regions["province"]) and not roles.regulates(regions["suzhou"])
        assert set(roles.jurisdiction_codes()) == {"320400", "320402", "320404"}
        roles.require_regulator()
        roles.require_regulator(regions["tianning"])

    def test_a_region_outside_the_jurisdiction_is_the_one_outside_jurisdiction_error(self, regulator, regions):
        with pytest.raises(Invalid) as refused:
            roles_of(regulator).require_regulator(regions["suzhou"])
        assert (refused.value.code, refused.value.field) == ("outside_jurisdiction", "region")
        assert refused.value.detail == "Region 320500 is outside your jurisdiction."

    def test_the_kind_of_regulator_narrows_the_requirement(
        self, bureau_reviewer, association_reviewer, lawyers_association, regions
    ):
        roles_of(bureau_reviewer).require_regulator(regions["tianning"], kind=OrganizationKind.JUSTICE_BUREAU)
        lawyers = roles_of(association_reviewer)
        with pytest.raises(Forbidden):
            lawyers.require_regulator(kind=OrganizationKind.JUSTICE_BUREAU)
        assert lawyers.regulates(regions["tianning"])
        assert not lawyers.regulates(regions["tianning"], kind=OrganizationKind.JUSTICE_BUREAU)
        assert [m.organization for m in lawyers.regulating(regions["tianning"])] == [lawyers_association]
        assert lawyers.regulating(regions["tianning"], kind=OrganizationKind.JUSTICE_BUREAU) == []

    def test_a_viewer_or_a_reviewer_of_a_posting_organisation_holds_no_role(self, legal_aid_center, justice_bureau):
        user = UserFactory(username="viewer")
        MembershipFactory(user=user, organization=justice_bureau, role=Role.VIEWER)
        MembershipFactory(user=user, organization=legal_aid_center, role=Role.REVIEWER)
        roles = roles_of(user)
        assert not roles.is_regulator and not roles.is_coordinator and len(roles.memberships) == 2
        with pytest.raises(Forbidden) as refused:
            roles.require_regulator()
        assert refused.value.detail == "Only regulators may do this."

    def test_an_admin_of_a_bureau_both_regulates_and_coordinates_it(self, justice_bureau, regions):
        user = UserFactory(username="bureau_admin")
        MembershipFactory(user=user, organization=justice_bureau, role=Role.ADMIN)
        roles = roles_of(user)
        assert roles.is_regulator and roles.is_coordinator_of(justice_bureau)
        assert roles.coordinated_organizations == [justice_bureau]

    def test_the_provider_profile_is_the_users_volunteer(self, provider, provider_volunteer, coordinator):
        assert roles_of(provider).provider == provider_volunteer
        assert roles_of(provider).is_provider and not roles_of(provider).is_coordinator
        assert roles_of(coordinator).provider is None

    def test_site_staff_is_the_admin(self, stranger):
        assert not roles_of(stranger).is_admin
        stranger.is_staff = True
        assert roles_of(stranger).is_admin


class TestLoadedOnce:
    def test_the_second_ask_makes_no_query(self, coordinator, regulator, provider, django_assert_num_queries):
        for user in (coordinator, regulator, provider):
            fresh = User.objects.get(pk=user.pk)
            with django_assert_num_queries(2):  # the memberships, and the provider profile
                roles_of(fresh).is_coordinator, roles_of(fresh).is_regulator, roles_of(fresh).provider
            with django_assert_num_queries(0):
                roles = roles_of(fresh)
                roles.is_coordinator, roles.is_regulator, roles.is_provider, roles.jurisdiction_codes()
                assert roles_of(fresh) is roles

    def test_the_profile_is_the_one_django_keeps_on_the_user(self, provider, django_assert_num_queries):
        fresh = User.objects.get(pk=provider.pk)
        profile = roles_of(fresh).provider
        with django_assert_num_queries(0):
            assert fresh.volunteer is profile
            assert profile.user is fresh and profile.region.code == "320402"

    def test_a_user_object_signed_in_for_two_requests_reads_its_roles_in_each(self, api_as, coordinator):
        client = api_as(coordinator)  # the test client hands the same object to every request
        client.get("/api/v1/hours/")
        kept = roles_of(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/hours/").status_code == 200
        assert sum('FROM "organizations_membership"' in q["sql"] for q in queries.captured_queries) == 1
        assert roles_of(coordinator) is not kept

    def test_a_changed_membership_is_seen_by_a_user_object_that_outlives_the_change(
        self, stranger, legal_aid_center, regions
    ):
        assert not roles_of(stranger).is_coordinator
        membership = MembershipFactory(user=stranger, organization=legal_aid_center, role=Role.COORDINATOR)
        assert roles_of(stranger).is_coordinator_of(legal_aid_center)
        legal_aid_center.kind = OrganizationKind.TRADE_UNION
        legal_aid_center.save()
        assert not roles_of(stranger).is_centre_coordinator
        membership.delete()
        assert not roles_of(stranger).is_coordinator


class TestAnonymous:
    def test_anonymous_users_hold_no_role_and_cost_no_query(self, regions, django_assert_num_queries):
        with django_assert_num_queries(0):
            for user in (AnonymousUser(), None):
                roles = roles_of(user)
                assert not (roles.is_coordinator or roles.is_regulator or roles.is_provider or roles.is_admin)
                assert roles.memberships == [] and roles.provider is None
                assert not roles.is_coordinator_of(1) and not roles.regulates(regions["changzhou"])
                assert list(roles.jurisdiction_codes()) == []

    def test_anonymous_users_are_refused_like_anyone_without_the_role(self, legal_aid_center):
        roles = roles_of(AnonymousUser())
        for require in (Roles.require_regulator, Roles.require_coordinator, lambda r: r.require_centre(1)):
            with pytest.raises(Forbidden):
                require(roles)
