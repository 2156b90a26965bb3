"""Reads about aid tasks and claims, each starting from what the caller may see."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from marketplace.models import (
    CLAIMABLE_TASK_STATUSES,
    PUBLIC_TASK_STATUSES,
    UNFINISHED_CLAIM_STATUSES,
    AidTask,
    Claim,
    ClaimStatus,
    ConfidentialAccess,
)
from marketplace.search import tokenize, tsquery_for
from marketplace.signals import quota_shortfall
from organizations.models import Region
from organizations.selectors import coordinated_organization_ids, jurisdiction_region_codes
from volunteers.models import Volunteer, VolunteerKind, VolunteerStatus


def volunteer_of(user: User | AnonymousUser) -> Volunteer | None:
    if not user.is_authenticated:
        return None
    return Volunteer.objects.select_related("region", "user").filter(user=user).first()


# --- tasks -----------------------------------------------------------------------------------


def tasks_visible_to(user: User | AnonymousUser) -> QuerySet[AidTask]:
    """Published tasks for anyone; drafts only for coordinators of the posting organisation."""
    condition = Q(status__in=PUBLIC_TASK_STATUSES)
    org_ids = coordinated_organization_ids(user)
    if org_ids:
        condition |= Q(organization_id__in=org_ids)
    return AidTask.objects.filter(condition).select_related("organization", "region")


def tasks_managed_by(user: User | AnonymousUser) -> QuerySet[AidTask]:
    """Tasks the caller may change: those of the organisations it coordinates."""
    return AidTask.objects.filter(organization_id__in=coordinated_organization_ids(user)).select_related(
        "organization", "region"
    )


def tasks_in_region(qs: QuerySet[AidTask], region_code: str) -> QuerySet[AidTask]:
    """Tasks in the region or any region under it; an unknown code matches nothing."""
    path = Region.objects.filter(code=region_code).values_list("path", flat=True).first()
    if path is None:
        return qs.none()
    return qs.filter(region__path__startswith=path)


def tasks_with_seats_left(qs: QuerySet[AidTask]) -> QuerySet[AidTask]:
    """Tasks where a claim could still take a seat (a filled task only takes the waiting list)."""
    return qs.filter(seats_taken__lt=F("seats"))


def tasks_matching(qs: QuerySet[AidTask], text: str) -> QuerySet[AidTask]:
    """Tasks whose title or summary hold every word of ``text`` (see marketplace.search).

    PostgreSQL: the GIN index ``marketplace_task_search_gin`` on to_tsvector('simple', search_text)
    serves the ``@@`` match. SQLite: a LIKE per token on the space-delimited ``search_text``.
    """
    tokens = tokenize(text)
    if not tokens:
        return qs
    if connection.vendor == "postgresql":
        # The expression must match the index expression of migration 0002 character for character.
        match = RawSQL(
            'to_tsvector(\'simple\'::regconfig, "marketplace_aidtask"."search_text") '
            "@@ to_tsquery('simple'::regconfig, %s)",
            [tsquery_for(tokens)],
            output_field=BooleanField(),
        )
        return qs.filter(match)
    for token in tokens:
        qs = qs.filter(search_text__contains=f" {token} ")
    return qs


def _region_ancestor_codes(region: Region) -> list[str]:
    return [code for code in region.path.split("/") if code]


def region_eligible(task_region: Region, volunteer_region: Region) -> bool:
    """Same line of descent: the provider's region is within the task's, or the task's within the
    provider's (a city-level provider serves the city's districts)."""
    return volunteer_region.path.startswith(task_region.path) or task_region.path.startswith(volunteer_region.path)


def tasks_eligible_for(qs: QuerySet[AidTask], volunteer: Volunteer | None, *, now: datetime) -> QuerySet[AidTask]:
    """Narrow ``qs`` to the tasks ``volunteer`` may claim now; mirrors ``claim_problem``."""
    if volunteer is None or not volunteer.is_verified:
        return qs.none()
    overlapping = Claim.objects.filter(
        volunteer=volunteer,
        status=ClaimStatus.ACCEPTED,
        task__starts_at__lt=OuterRef("ends_at"),
        task__ends_at__gt=OuterRef("starts_at"),
    )
    already = Claim.objects.filter(volunteer=volunteer, task=OuterRef("pk"), status__in=UNFINISHED_CLAIM_STATUSES)
    return (
        qs.filter(status__in=CLAIMABLE_TASK_STATUSES)
        .annotate(_kinds=Cast("eligible_kinds", TextField()))
        .filter(Q(_kinds="[]") | Q(_kinds__contains=f'"{volunteer.kind}"'))
        .filter(
            Q(is_remote=True)
            | Q(region_id__in=_region_ancestor_codes(volunteer.region))
            | Q(region__path__startswith=volunteer.region.path)
        )
        .filter(Q(claim_deadline__isnull=True, starts_at__gt=now) | Q(claim_deadline__gte=now))
        .exclude(Exists(overlapping))
        .exclude(Exists(already))
    )


def claim_problem(
    *, task: AidTask, volunteer: Volunteer | None, now: datetime, for_assignment: bool = False
) -> str | None:
    """Why ``volunteer`` may not claim ``task`` now, in words a person understands; None if it may.

    Task status and an existing claim are conflicts (409), checked by the service, not here. An
    assignment (``for_assignment``) is the centre's decision and ignores the claim deadline.
    """
    if volunteer is None:
        return _("Only registered providers can claim tasks; register a provider profile first.")
    if not volunteer.is_verified:
        return _("Your provider profile is not verified yet; a regulator must verify it before you can claim.")
    if task.eligible_kinds and volunteer.kind not in task.eligible_kinds:
        return _("This task is open to %(kinds)s; your profile is %(kind)s.") % {
            "kinds": ", ".join(str(VolunteerKind(k).label) for k in task.eligible_kinds if k in VolunteerKind.values),
            "kind": volunteer.get_kind_display(),
        }
    if not task.is_remote and not region_eligible(task.region, volunteer.region):
        return _("This task is in %(task_region)s and not remote; your region is %(region)s.") % {
            "task_region": task.region.name,
            "region": volunteer.region.name,
        }
    if not for_assignment and task.claim_deadline is not None and now > task.claim_deadline:
        return _("The claim deadline of this task has passed.")
    if not for_assignment and task.claim_deadline is None and now >= task.starts_at:
        return _("This task has already started.")
    clash = overlapping_accepted_claim(volunteer=volunteer, starts_at=task.starts_at, ends_at=task.ends_at)
    if clash is not None and clash.task_id != task.pk:
        return _("You already have an accepted task at that time: %(title)s.") % {"title": clash.task.title}
    return None


def overlapping_accepted_claim(*, volunteer: Volunteer, starts_at: datetime, ends_at: datetime) -> Claim | None:
    """An accepted claim of the provider whose task overlaps [starts_at, ends_at); back-to-back is fine.

    The earliest such task's. Ordered by the task's start rather than ``first()``'s claim id, so
    the plan starts from the provider's claims (index ``marketplace_claim_vol_idx``) and sorts the
    few that overlap, instead of possibly walking every claim in id order until one matches.
    """
    return (
        Claim.objects.filter(
            volunteer=volunteer,
            status=ClaimStatus.ACCEPTED,
            task__starts_at__lt=ends_at,
            task__ends_at__gt=starts_at,
        )
        .select_related("task")
        .order_by("task__starts_at", "id")
        .first()
    )


# --- claims ----------------------------------------------------------------------------------


def claims_visible_to(user: User | AnonymousUser) -> QuerySet[Claim]:
    """The provider's own claims, and claims on tasks of organisations the user coordinates."""
    if not user.is_authenticated:
        return Claim.objects.none()
    condition = Q(volunteer__user=user)
    org_ids = coordinated_organization_ids(user)
    if org_ids:
        condition |= Q(task__organization_id__in=org_ids)
    return Claim.objects.filter(condition).select_related("task", "task__organization", "volunteer__user")


def declined_assignments_for(user: User | AnonymousUser) -> QuerySet[Claim]:
    """Assignments a provider declined, for regulators of the task's region (or above)."""
    return (
        Claim.objects.filter(
            is_assignment=True,
            declined_by_provider=True,
            task__region__in=jurisdiction_region_codes(user),
        )
        .select_related("task", "task__organization", "volunteer__user")
        .order_by("-decided_at", "-id")
    )


def reveals_of(task: AidTask) -> QuerySet[ConfidentialAccess]:
    return ConfidentialAccess.objects.filter(task=task).select_related("user")


def coordinator_user_ids(organization_id: int) -> list[int]:
    from organizations.models import Membership, Role

    return list(
        Membership.objects.filter(organization_id=organization_id, role__in=[Role.COORDINATOR, Role.ADMIN])
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- assignment candidates -------------------------------------------------------------------


@dataclass
class Candidate:
    volunteer: Volunteer
    specialty_match: bool
    same_district: bool
    shortfall: Decimal
    live_tasks: int
    reasons: list[dict] = field(default_factory=list)

    @property
    def rank_key(self) -> tuple:
        return (not self.specialty_match, not self.same_district, -self.shortfall, self.live_tasks, self.volunteer.pk)


def assignment_candidates(*, task: AidTask, now: datetime, for_user: User | None = None) -> list[Candidate]:
    """Verified providers who may take ``task``, best first, each with the reasons for its rank.
    ``for_user``, the coordinator who will assign, is never offered (separation of duties:
    ``task_assign`` refuses it with ``own_record``).

    Rank: specialty matches the category, then same district, then the larger shortfall against
    this year's quota, then the fewest live tasks. A fixed number of queries whatever the count.
    """
    overlapping = Claim.objects.filter(
        volunteer=OuterRef("pk"),
        status=ClaimStatus.ACCEPTED,
        task__starts_at__lt=task.ends_at,
        task__ends_at__gt=task.starts_at,
    )
    on_task = Claim.objects.filter(volunteer=OuterRef("pk"), task=task, status__in=UNFINISHED_CLAIM_STATUSES)
    qs = Volunteer.objects.filter(status=VolunteerStatus.VERIFIED).select_related("user", "region")
    if for_user is not None:
        qs = qs.exclude(user_id=for_user.pk)
    if task.eligible_kinds:
        qs = qs.filter(kind__in=task.eligible_kinds)
    if not task.is_remote:
        qs = qs.filter(
            Q(region__path__startswith=task.region.path) | Q(region_id__in=_region_ancestor_codes(task.region))
        )
    qs = (
        qs.exclude(Exists(overlapping))
        .exclude(Exists(on_task))
        .annotate(live_tasks=Count("claims", filter=Q(claims__status=ClaimStatus.ACCEPTED)))
    )
    volunteers = list(qs)
    shortfalls = quota_shortfall([v.pk for v in volunteers], now=now) if volunteers else {}
    candidates = []
    for v in volunteers:
        c = Candidate(
            volunteer=v,
            specialty_match=task.category in (v.specialties or []),
            same_district=v.region_id == task.region_id,
            shortfall=shortfalls.get(v.pk, Decimal("0")),
            live_tasks=v.live_tasks,
        )
        if c.specialty_match:
            c.reasons.append(
                {"code": "specialty", "text": _("Specialises in %(c)s.") % {"c": task.get_category_display()}}
            )
        if c.same_district:
            c.reasons.append({"code": "same_district", "text": _("Based in %(r)s.") % {"r": task.region.name}})
        if c.shortfall > 0:
            c.reasons.append(
                {"code": "quota_shortfall", "text": _("%(s)s hours short of this year's quota.") % {"s": c.shortfall}}
            )
        c.reasons.append({"code": "live_tasks", "text": _("%(n)d accepted tasks in hand.") % {"n": c.live_tasks}})
        candidates.append(c)
    candidates.sort(key=lambda c: c.rank_key)
    return candidates
