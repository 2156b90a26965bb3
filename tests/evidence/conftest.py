"""Evidence fixtures on top of the suite's cast (tests/conftest.py).

- ``provider``: the handler: holds the accepted claim on ``case``, a civil case of the Changzhou
  legal aid centre (whose ``coordinator`` sees the case's requests).
- ``police``: coordinator of 常州市公安局天宁分局, a government department.
- ``archives``: coordinator of 常州市档案馆, another department.
- ``other_provider``: a verified lawyer who does not handle the case.
"""

import pytest

from marketplace.evidence import services
from marketplace.models import TaskKind
from organizations.models import OrganizationKind
from tests.conftest import member_of, organization
from tests.factories import UserFactory, VolunteerFactory

police_department = organization("常州市公安局天宁分局", OrganizationKind.GOVERNMENT_DEPARTMENT, "tianning")
archives_department = organization("常州市档案馆", OrganizationKind.GOVERNMENT_DEPARTMENT, "changzhou")


police = member_of("police_department", username="police", first_name="陈警官")
archives = member_of("archives_department", username="archives", first_name="林档案")


@pytest.fixture
def other_provider(regions):
    user = UserFactory(username="other_provider", first_name="赵律师")
    return VolunteerFactory(user=user, region=regions["tianning"]).user


@pytest.fixture
def case(provider_case):
    return provider_case(
        "常援申〔2026〕第0007号 劳动争议调解与仲裁代理", TaskKind.MEDIATION_ARBITRATION, is_assignment=True
    )


@pytest.fixture
def evidence(case, police_department, provider):
    return services.evidence_request_create(
        task=case,
        department=police_department,
        items=["2025年6月至12月的出警记录", "报警人询问笔录复印件"],
        purpose="证明用人单位拖欠工资期间劳动者曾报警求助。",
        by=provider,
    )
