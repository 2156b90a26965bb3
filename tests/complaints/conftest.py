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
from marketplace.models import TaskKind, TaskStatus
from organizations.models import OrganizationKind, Role
from tests.factories import AidTaskFactory, OrganizationFactory, member


@pytest.fixture
def district_regulator(regions):
    bureau = OrganizationFactory(
        name="常州市天宁区司法局", kind=OrganizationKind.JUSTICE_BUREAU, region=regions["tianning"]
    )
    return member(bureau, Role.REVIEWER, username="tianning", first_name="韩区审")


@pytest.fixture
def case(provider_case):
    return provider_case("常援申〔2026〕第0001号 民事案件代理", TaskKind.CIVIL_REPRESENTATION)


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
