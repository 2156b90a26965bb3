"""factory-boy factories for the whole suite."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from duties.models import AnnualReview, DutyRule, HourLog, HourLogStatus, ReviewStatus
from marketplace.applications.models import Application, ApplicationStatus, Channel, HardshipBasis, MatterKind
from marketplace.models import AidTask, BeneficiaryGroup, Claim, ClaimStatus, TaskKind, TaskStatus
from marketplace.search import search_text_for
from organizations.models import Membership, Organization, OrganizationKind, Region, Role
from volunteers.models import Category, Volunteer, VolunteerKind, VolunteerStatus


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    parent = None
    path = factory.LazyAttribute(lambda r: f"{r.parent.path if r.parent else ''}{r.code}/")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试组织{n}")
    kind = OrganizationKind.LEGAL_AID_CENTER
    region = factory.SubFactory(RegionFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.COORDINATOR


def member(organization: Organization, role: str = Role.COORDINATOR, **user) -> User:
    """A user (``UserFactory(**user)``) holding ``role`` in ``organization``."""
    person = UserFactory(**user)
    MembershipFactory(user=person, organization=organization, role=role)
    return person


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    user = factory.SubFactory(UserFactory)
    kind = VolunteerKind.LAWYER
    licence_number = factory.Sequence(lambda n: f"1320420{n:010d}")
    region = factory.SubFactory(RegionFactory)
    status = VolunteerStatus.VERIFIED
    specialties = factory.LazyFunction(lambda: ["labor_wages"])
    languages = factory.LazyFunction(lambda: ["zh"])


class AidTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidTask

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"农民工欠薪咨询 {n}")
    summary = "为农民工提供欠薪维权法律咨询。"
    kind = TaskKind.CONSULTATION
    category = Category.LABOR_WAGES
    beneficiary_group = BeneficiaryGroup.MIGRANT_WORKERS
    region = factory.LazyAttribute(lambda t: t.organization.region)
    location = "常州市天宁区"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda t: t.starts_at + timedelta(hours=3))
    claim_deadline = factory.LazyAttribute(lambda t: t.starts_at - timedelta(days=1))
    seats = 2
    estimated_hours = Decimal("3.00")
    eligible_kinds = factory.LazyFunction(lambda: ["lawyer", "grassroots_worker", "law_student"])
    status = TaskStatus.OPEN
    # The board's search words, as task_create stores them (marketplace/search.py).
    search_text = factory.LazyAttribute(lambda t: search_text_for(t.title, t.summary))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A legal aid application as the intake records it: received at its centre (walk-in) and
    under review there; a migrant worker's unpaid wages, hardship certified."""

    class Meta:
        model = Application

    centre = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.LEGAL_AID_CENTER)
    organization = factory.SelfAttribute("centre")
    region = factory.SelfAttribute("centre.region")
    channel = Channel.WALK_IN
    received_at = factory.LazyFunction(timezone.now)
    review_started_at = factory.SelfAttribute("received_at")
    matter_kind = MatterKind.CIVIL_REPRESENTATION
    category = Category.LABOR_WAGES
    beneficiary_group = BeneficiaryGroup.MIGRANT_WORKERS
    summary = "欠薪"
    hardship_basis = HardshipBasis.HARDSHIP_CERTIFIED
    status = ApplicationStatus.UNDER_REVIEW


class CaseFactory(AidTaskFactory):
    """A case a centre assigns to a lawyer: civil representation unless told, one seat, 20 hours,
    no claim deadline; it began ``days_ago`` days ago (20 unless told) and lasted ``lasting`` (an
    hour unless told)."""

    class Params:
        days_ago = 20
        lasting = timedelta(hours=1)

    title = "农民工追索劳动报酬民事代理"
    kind = TaskKind.CIVIL_REPRESENTATION
    starts_at = factory.LazyAttribute(lambda t: timezone.now() - timedelta(days=t.days_ago))
    ends_at = factory.LazyAttribute(lambda t: t.starts_at + t.lasting)
    claim_deadline = None
    seats = 1
    estimated_hours = Decimal("20.00")
    eligible_kinds = factory.LazyFunction(lambda: ["lawyer"])


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    task = factory.SubFactory(AidTaskFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    status = ClaimStatus.ACCEPTED


def held_case(volunteer: Volunteer, *, is_assignment: bool = False, **task) -> AidTask:
    """A one-seat case, filled: ``volunteer`` holds its accepted claim."""
    case = AidTaskFactory(seats=1, seats_taken=1, status=TaskStatus.FILLED, **task)
    ClaimFactory(task=case, volunteer=volunteer, status=ClaimStatus.ACCEPTED, is_assignment=is_assignment)
    return case


def this_year() -> int:
    return timezone.localdate().year


class HourLogFactory(factory.django.DjangoModelFactory):
    """Hours a provider logged on a claim: pending, written directly (no event, no ledger entry)."""

    class Meta:
        model = HourLog

    claim = factory.SubFactory(ClaimFactory)
    volunteer = factory.LazyAttribute(lambda log: log.claim.volunteer)
    date = factory.LazyAttribute(lambda log: timezone.localdate(log.claim.task.starts_at))
    hours = Decimal("2.00")
    status = HourLogStatus.PENDING


class DutyRuleFactory(factory.django.DjangoModelFactory):
    """A yearly quota (the Ministry's default for lawyers: 50 hours or 2 cases), this year."""

    class Meta:
        model = DutyRule

    year = factory.LazyFunction(this_year)
    region = factory.SubFactory(RegionFactory)
    volunteer_kind = VolunteerKind.LAWYER
    min_hours = Decimal("50.00")
    min_cases = 2


class AnnualReviewFactory(factory.django.DjangoModelFactory):
    """An open review of a provider's year (this year), in the provider's region."""

    class Meta:
        model = AnnualReview

    volunteer = factory.SubFactory(VolunteerFactory)
    year = factory.LazyFunction(this_year)
    region = factory.LazyAttribute(lambda review: review.volunteer.region)
    status = ReviewStatus.OPEN
    opened_at = factory.LazyFunction(timezone.now)
