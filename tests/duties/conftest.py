"""Duties fixtures: a fixed clock (``midyear_now``), quota rules, claims ready for hours, ledger helpers,
and a look at the documents (certificates, service records) as rendered."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import factory
import pytest
from django.utils import timezone

from duties import services
from duties.models import DutyEntry
from marketplace.models import ClaimStatus, TaskKind, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory, DutyRuleFactory, HourLogFactory, VolunteerFactory
from tests.pdf_render import render_page

SHANGHAI = ZoneInfo("Asia/Shanghai")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "browser" / "screenshots"
# Mid-year, so that "on track" means "half the quota": 2026-07-02 is day 183 of 365.
NOW = datetime(2026, 7, 2, 10, 0, tzinfo=SHANGHAI)
YEAR = 2026


class DutyEntryFactory(factory.django.DjangoModelFactory):
    """An entry as the ledger holds it, hashes aside (not chained, so only for tests that read
    totals): of ``credit_kind``, by default the kind of the entry it reverses, else case handling
    for cases and consultation for hours."""

    class Meta:
        model = DutyEntry

    volunteer = factory.SubFactory(VolunteerFactory)
    occurred_on = factory.LazyFunction(lambda: date(YEAR, 3, 1))
    year = factory.LazyAttribute(lambda e: e.occurred_on.year)
    kind = "hours"
    hours = Decimal(0)
    cases = 0
    reverses = None
    credit_kind = factory.LazyAttribute(
        lambda e: e.reverses.credit_kind if e.reverses else ("case" if e.cases else "consultation")
    )
    created_at = factory.LazyFunction(timezone.now)
    prev_hash = "0" * 64
    hash = factory.LazyFunction(lambda: uuid.uuid4().hex * 2)


@pytest.fixture
def midyear_now():
    """The duties' fixed clock, 2 July 2026 at 10:00 in Shanghai (the marketplace's ``now`` is the real one)."""
    return NOW


def duty_rule(regions, year: int, region: str = "changzhou", *, kind: str = "lawyer", **fields):
    """The quota of ``year`` for the ``kind`` providers (lawyers unless said otherwise) of
    ``regions[region]`` (Changzhou unless said otherwise); ``fields`` set its hours, cases and what
    it counts, else DutyRuleFactory's (the Ministry's 50 hours or 2 cases)."""
    return DutyRuleFactory(year=year, region=regions[region], volunteer_kind=kind, **fields)


def ministry_lawyer_rule(regions, year: int = YEAR):
    """The Ministry's default for Changzhou lawyers: 50 hours or 2 cases a year."""
    return duty_rule(regions, year, min_hours=Decimal(50), min_cases=2)


@pytest.fixture
def lawyer_rule(regions):
    return ministry_lawyer_rule(regions)


def dated_task(organization, kind, start: datetime, *, days: int, status, **fields):
    """A task of ``organization`` running ``days`` days from ``start``, claimable until the day
    before unless ``fields`` say otherwise."""
    fields = {"claim_deadline": start - timedelta(days=1), **fields}
    return AidTaskFactory(
        organization=organization,
        kind=kind,
        starts_at=start,
        ends_at=start + timedelta(days=days),
        status=status,
        **fields,
    )


@pytest.fixture
def task(legal_aid_center):
    """A consultation task of the legal aid centre that began at the start of the year."""
    start = datetime(YEAR, 1, 5, 9, 0, tzinfo=SHANGHAI)
    return dated_task(legal_aid_center, TaskKind.CONSULTATION, start, days=300, status=TaskStatus.OPEN)


@pytest.fixture
def claim(task, provider_volunteer):
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)


@pytest.fixture
def case_claim(legal_aid_center, provider_volunteer):
    start = datetime(YEAR, 3, 1, 9, 0, tzinfo=SHANGHAI)
    task = dated_task(legal_aid_center, TaskKind.CIVIL_REPRESENTATION, start, days=30, status=TaskStatus.COMPLETED)
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.COMPLETED)


def make_case_claim(organization, volunteer, *, status=ClaimStatus.COMPLETED, kind=TaskKind.CRIMINAL_DEFENSE):
    start = datetime(YEAR, 2, 1, 9, 0, tzinfo=SHANGHAI)
    task = dated_task(organization, kind, start, days=30, status=TaskStatus.COMPLETED)
    return ClaimFactory(task=task, volunteer=volunteer, status=status)


def make_compliant_lawyer(organization, region, coordinator, name, *, year):
    """A lawyer of ``region`` with two cases credited in ``year`` (on 1 November): the Ministry's 2 cases."""
    lawyer = VolunteerFactory(region=region, user__first_name=name)
    when = datetime(year, 11, 1, 10, tzinfo=SHANGHAI)
    for _ in range(2):
        services.duty_credit_case(claim=make_case_claim(organization, lawyer), by=coordinator, now=when)
    return lawyer


def day(month: int, dom: int, year: int = YEAR) -> date:
    return date(year, month, dom)


def make_log(claim, *, on=None, hours="2.00", status="pending", note=""):
    """Hours on ``claim`` (2 March of the fixed year unless ``on`` says otherwise)."""
    return HourLogFactory(claim=claim, date=on or date(YEAR, 3, 2), hours=Decimal(hours), note=note, status=status)


@pytest.fixture
def pending_log(claim):
    return make_log(claim)


@pytest.fixture
def outsider_claim(other_org, regions):
    """An accepted claim on a task of another organisation, by another provider."""
    from tests.factories import VolunteerFactory

    start = datetime(YEAR, 1, 5, 9, 0, tzinfo=SHANGHAI)
    task = AidTaskFactory(
        organization=other_org, starts_at=start, ends_at=start + timedelta(days=300), claim_deadline=None
    )
    return ClaimFactory(task=task, volunteer=VolunteerFactory(region=regions["zhonglou"]))


def fresh_client(api_as, user):
    """A function giving an API client of ``user`` read again from the database each time (the
    roles cached on a user object are then read again): for ``page_queries``."""
    from django.contrib.auth.models import User

    return lambda: api_as(User.objects.get(pk=user.pk))


def document_screenshot(pdf: bytes, name: str):
    """The document's first page at 100 dpi, also saved as screenshot ``name`` to look at."""
    image = render_page(pdf, dpi=100)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOTS / name)
    return image


def red_header_pixels(image) -> int:
    """Red pixels in the document's header band (the issuer's name over a red rule)."""
    width, height = image.size
    header = image.crop((width // 5, int(height * 0.06), 4 * width // 5, int(height * 0.14)))
    return sum(1 for r, g, b in header.get_flattened_data() if r > 150 and g < 80 and b < 80)
