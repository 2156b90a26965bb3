"""Subsidy fixtures on top of the suite's cast (tests/conftest.py).

- ``coordinator``: of the Changzhou legal aid centre, which pays the subsidies of its cases.
- ``regulator``: reviewer of the Changzhou justice bureau: sets the schedule, reads the lines.
- ``association_reviewer``: reviewer of the Changzhou lawyers' association: reads schedules only.
- ``outsider``: coordinator of a trade union; ``other_regulator``: of Suzhou; ``stranger``: no role.
- ``other_centre_coordinator``: coordinator of the Suzhou legal aid centre.
- ``provider``: a lawyer of ``law_firm`` (the payee of their lines).
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duties.subsidies import services as subsidy_services
from marketplace import services as task_services
from marketplace.cases import services as case_services
from marketplace.models import TaskKind
from organizations.models import OrganizationKind
from tests.conftest import PDF, organization
from tests.factories import CaseFactory

# Illustrative, Jiangsu-like amounts (yuan); docs/subsidies.md says they are not official.
SCHEDULE = {
    "year": None,  # filled by the fixture: this year
    "region": "320400",
    "lines": [
        {"kind": "civil_representation", "amount": "2000.00"},
        {"kind": "mediation_arbitration", "amount": "1500.00"},
        {"kind": "criminal_defense", "stage": "investigation", "amount": "1200.00"},
        {"kind": "criminal_defense", "stage": "prosecution", "amount": "1200.00"},
        {"kind": "criminal_defense", "stage": "trial", "amount": "2500.00"},
    ],
    "duty_half_day": "200.00",
    "travel_supplement": "100.00",
    "quality_multipliers": {"excellent": "1.20", "good": "1.00", "pass": "0.80", "fail": "0.00"},
}


@pytest.fixture(autouse=True)
def documents_on_tmp(documents_on_tmp):
    """The suite's ``documents_on_tmp`` (a folder of the test's own), for every test here."""
    return documents_on_tmp


@pytest.fixture
def this_year():
    return timezone.localdate().year


@pytest.fixture
def schedule_body(this_year):
    def make(**overrides):
        return {**SCHEDULE, "year": this_year, **overrides}

    return make


law_firm = organization("江苏常州某某律师事务所", OrganizationKind.LAW_FIRM, "tianning")


@pytest.fixture
def firm_provider(provider_volunteer, law_firm):
    provider_volunteer.practice_org = law_firm
    provider_volunteer.save(update_fields=["practice_org"])
    return provider_volunteer


@pytest.fixture
def schedule(regulator, schedule_body, regions, this_year):
    """Version 1 of Changzhou's schedule for this year, set by the justice bureau."""
    body = schedule_body()
    return subsidy_services.subsidy_schedule_create(
        year=this_year,
        region=regions["changzhou"],
        rates=[subsidy_services.RateInput(r["kind"], r.get("stage", ""), Decimal(r["amount"])) for r in body["lines"]],
        duty_half_day=Decimal(body["duty_half_day"]),
        travel_supplement=Decimal(body["travel_supplement"]),
        multipliers={k: Decimal(v) for k, v in body["quality_multipliers"].items()},
        by=regulator,
    )


@pytest.fixture
def close_case(legal_aid_center, coordinator, provider_volunteer):
    """``close_case(kind=..., stage=..., quality=..., volunteer=...)``: a case of the centre,
    assigned, its closing filed and accepted with ``quality``; returns the task."""

    def make(*, kind=TaskKind.CIVIL_REPRESENTATION, stage="", quality="good", volunteer=None, organization=None):
        volunteer = volunteer or provider_volunteer
        organization = organization or legal_aid_center
        task = CaseFactory(
            organization=organization,
            kind=kind,
            criminal_stage=stage,
            region=organization.region if organization != legal_aid_center else volunteer.region,
        )
        by = coordinator if organization == legal_aid_center else organization.memberships.first().user
        task_services.task_assign(task=task, volunteer=volunteer, by=by)
        task.refresh_from_db()
        upload = SimpleUploadedFile("判决书.pdf", PDF, content_type="application/pdf")
        document = case_services.document_upload(task=task, upload=upload, by=volunteer.user)
        case_services.closing_file(
            task=task, outcome="supported", summary="支持全部请求。", documents=[document.pk], by=volunteer.user
        )
        case_services.closing_review(task=task, accepted=True, quality=quality, by=by)
        task.refresh_from_db()
        return task

    return make
