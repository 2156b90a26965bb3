"""Complaints fixtures on top of the suite's cast (tests/conftest.py).

- ``regulator``: reviewer of the Changzhou justice bureau (常州市): handles the city's complaints.
- ``district_regulator``: reviewer of the Tianning district justice bureau (天宁区 only).
- ``other_regulator``: reviewer of the Suzhou justice bureau: another region.
- ``association_reviewer``: reviewer of the Changzhou lawyers' association: a regulator, but
  complaints are the justice bureau's.
- ``case``: a published case of the Changzhou centre in 天宁区, held by ``provider``.
"""

import pytest

from duties.complaints import services
from marketplace.models import ClaimStatus, TaskKind, TaskStatus
from organizations.models import Organization, OrganizationKind, Role
from tests.factories import AidTaskFactory, ClaimFactory, MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def district_regulator(regions):
    bureau = OrganizationFactory(
        name="常州市天宁区司法局", kind=OrganizationKind.JUSTICE_BUREAU, region=regions["tianning"]
    )
    user = UserFactory(username="tianning", first_name="韩区审")
    MembershipFactory(user=user, organization=bureau, role=Role.REVIEWER)
    return user


@pytest.fixture
def association_reviewer(regions):
    # The suite's cast may hold the association already (the regulator may sit in it too).
    org, _ = Organization.objects.get_or_create(
        name="常州市律师协会", defaults={"kind": OrganizationKind.LAWYERS_ASSOCIATION, "region": regions["changzhou"]}
    )
    user = UserFactory(username="association", first_name="何协会")
    MembershipFactory(user=user, organization=org, role=Role.REVIEWER)
    return user


@pytest.fixture
def case(legal_aid_center, regions, provider_volunteer):
    task = AidTaskFactory(
        organization=legal_aid_center,
        title="常援申〔2026〕第0001号 民事案件代理",
        kind=TaskKind.CIVIL_REPRESENTATION,
        region=regions["tianning"],
        seats=1,
        seats_taken=1,
        status=TaskStatus.FILLED,
    )
    ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    return task


@pytest.fixture
def complaint(case, provider_volunteer):
    return services.complaint_file(
        subject="承办律师不回电话",
        text="开庭前一周联系不上承办律师。",
        contact="13900001111",
        task=case,
        volunteer=provider_volunteer,
    )


@pytest.fixture
def draft_case(legal_aid_center):
    return AidTaskFactory(organization=legal_aid_center, kind=TaskKind.CIVIL_REPRESENTATION, status=TaskStatus.DRAFT)


@pytest.fixture
def client_as():
    """``client_as(user)``: a page client signed in as ``user`` (None: anonymous), in English."""
    from django.test import Client

    def make(user=None, *, language="en"):
        client = Client(**({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
        if user is not None:
            client.force_login(user)
        return client

    return make
