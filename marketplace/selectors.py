"""Reads about aid tasks and claims, each starting from what the caller may see."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.applications import caseload, matching
from marketplace.models import (
    CASE_KINDS,
    CLAIMABLE_TASK_STATUSES,
    LIVE_CLAIM_STATUSES,
    PUBLIC_TASK_STATUSES,
    UNFINISHED_CLAIM_STATUSES,
    AidTask,
    Claim,
    ClaimStatus,
    ConfidentialAccess,
)
from marketplace.rosters.rules import LAWYERS_ONLY_KINDS, lawyer_problem
from marketplace.search import tokenize, tsquery_for
from marketplace.signals import quota_shortfall
from marketplace.visibility import visible, visible_rows
from organizations.models import Region
from organizations.roles import roles_of
from organizations.selectors import within_region_code
from volunteers.models import Volunteer, VolunteerKind, VolunteerStatus


def volunteer_of(user: User | AnonymousUser) -> Volunteer | None:
    """The user's provider profile, with its region (read once per request: organizations.roles)."""
    return roles_of(user).provider


# --- tasks -----------------------------------------------------------------------------------


def tasks_visible_to(user: User | AnonymousUser) -> QuerySet[AidTask]:
    """Published tasks for anyone; drafts only for coordinators of the posting organisation."""
    condition = visible(user, base=Q(status__in=PUBLIC_TASK_STATUSES), coordinated=["organization_id"])
    return AidTask.objects.filter(condition).select_related("organization", "region")


def task_visible_to(user: User | AnonymousUser, task_id: int) -> AidTask | None:
    """The one task if ``user`` may see it (as ``tasks_visible_to``), else None.

    A published task is visible to anyone, so the user's roles are read only for a draft: one
    query for the task a provider claims, instead of the memberships and then the task.
    """
    task = AidTask.objects.select_related("organization", "region").filter(pk=task_id).first()
    if task is None or task.status in PUBLIC_TASK_STATUSES:
        return task
    return task if roles_of(user).is_coordinator_of(task.organization_id) else None


def tasks_on_board(user: User | AnonymousUser) -> QuerySet[AidTask]:
    """The tasks ``user`` may see in the board's order, the first to start first; the board's
    filters (``marketplace.filters.TaskFilter``) narrow them."""
    return tasks_visible_to(user).order_by("starts_at", "id")


def tasks_managed_by(user: User | AnonymousUser) -> QuerySet[AidTask]:
    """Tasks the caller may change: those of the organisations it coordinates."""
    return AidTask.objects.filter(organization_id__in=roles_of(user).coordinated_ids).select_related(
        "organization", "region"
    )


def tasks_in_region(qs: QuerySet[AidTask], region_code: str) -> QuerySet[AidTask]:
    """Tasks in the region or any region under it; an unknown code matches nothing."""
    return within_region_code(qs, region_code)


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
    # Sessions and shifts only: a case never blocks, nor is blocked, by time overlap.
    overlapping = Claim.objects.filter(
        volunteer=volunteer,
        status=ClaimStatus.ACCEPTED,
        task__starts_at__lt=OuterRef("ends_at"),
        task__ends_at__gt=OuterRef("starts_at"),
    ).exclude(task__kind__in=CASE_KINDS)
    already = Claim.objects.filter(volunteer=volunteer, task=OuterRef("pk"), status__in=UNFINISHED_CLAIM_STATUSES)
    if volunteer.kind != VolunteerKind.LAWYER:  # duty shifts are for lawyers only (rosters.rules)
        qs = qs.exclude(kind__in=LAWYERS_ONLY_KINDS)
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
        .exclude(Q(Exists(overlapping)) & ~Q(kind__in=CASE_KINDS))
        .exclude(Exists(already))
        .exclude(matching.serious_cases_excluded(volunteer, today=timezone.localdate(now)))
    )


def claim_problem(
    *, task: AidTask, volunteer: Volunteer | None, now: datetime, for_assignment: bool = False, overlap: bool = True
) -> str | None:
    """Why ``volunteer`` may not claim ``task`` now, in words a person understands; None if it may.

    Task status and an existing claim are conflicts (409), checked by the service, not here. An
    assignment (``for_assignment``) is the centre's decision and ignores the claim deadline.
    ``overlap=False`` leaves out the time clash with the provider's accepted claims, for a caller
    that checks it itself where it holds (``services.claim_create``, under the provider's lock).
    """
    if volunteer is None:
        return _("Only registered providers can claim tasks; register a provider profile first.")
    if not volunteer.is_verified:
        return _("Your provider profile is not verified yet; a regulator must verify it before you can claim.")
    if problem := lawyer_problem(task, volunteer):
        return problem
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
    problem = matching.experience_problem(task=task, volunteer=volunteer, today=timezone.localdate(now))
    if problem:
        return problem
    if not overlap:
        return None
    return overlap_problem(task=task, volunteer=volunteer)


def overlap_problem(*, task: AidTask, volunteer: Volunteer) -> str | None:
    """The refusal when the provider has an accepted task overlapping ``task`` (``task`` itself
    aside), else None. The clashing task's id and title only, one query (none for a case): no
    claim and task objects to build, which is most of this check's cost in the claim path."""
    if task.kind in CASE_KINDS:
        return None
    clash = _overlapping_accepted(volunteer, task.starts_at, task.ends_at).values_list("task_id", "task__title").first()
    if clash is not None and clash[0] != task.pk:
        return _("You already have an accepted task at that time: %(title)s.") % {"title": clash[1]}
    return None


def overlapping_accepted_claim(
    *, volunteer: Volunteer, starts_at: datetime, ends_at: datetime, kind: str | None = None
) -> Claim | None:
    """An accepted claim of the provider whose task overlaps [starts_at, ends_at); back-to-back is fine.

    The overlap rule is for sessions and shifts: a lawyer carries many cases at once for months,
    so a case (``kind`` in CASE_KINDS) is never blocked by time overlap, and an accepted case
    blocks nothing (DOMAIN.md).
    """
    if kind in CASE_KINDS:
        return None
    return _overlapping_accepted(volunteer, starts_at, ends_at).select_related("task").first()


def _overlapping_accepted(volunteer: Volunteer, starts_at: datetime, ends_at: datetime) -> QuerySet[Claim]:
    """The provider's accepted claims on tasks (not cases) overlapping [starts_at, ends_at), the
    earliest task first. Ordered by the task's start rather than ``first()``'s claim id, so the plan
    starts from the provider's claims (index ``marketplace_claim_vol_idx``) and sorts the few that
    overlap, instead of possibly walking every claim in id order until one matches."""
    return (
        Claim.objects.filter(
            volunteer=volunteer,
            status=ClaimStatus.ACCEPTED,
            task__starts_at__lt=ends_at,
            task__ends_at__gt=starts_at,
        )
        .exclude(task__kind__in=CASE_KINDS)
        .order_by("task__starts_at", "id")
    )


# --- claims ----------------------------------------------------------------------------------


def claims_visible_to(user: User | AnonymousUser) -> QuerySet[Claim]:
    """The provider's own claims, and claims on tasks of organisations the user coordinates."""
    claims = visible_rows(Claim, user, own=Q(volunteer__user=user), coordinated=["task__organization_id"])
    return claims.select_related("task", "task__organization", "volunteer__user", "refusal")


def claims_on_task(user: User | AnonymousUser, task: AidTask) -> QuerySet[Claim]:
    """The claims on ``task`` that ``user`` may see, in the order they were made (the desk's task page)."""
    return claims_visible_to(user).filter(task=task).select_related("volunteer__region").order_by("created_at", "id")


def live_claim_on(user: User | AnonymousUser, task: AidTask, volunteer: Volunteer) -> Claim | None:
    """``volunteer``'s live claim on ``task`` (at most one: ``marketplace_claim_one_live_per_provider``)."""
    return claims_visible_to(user).filter(task=task, volunteer=volunteer, status__in=LIVE_CLAIM_STATUSES).first()


class ProviderClaims(NamedTuple):
    """A provider's claims as their task list shows them."""

    live: list[Claim]  # not finished yet, the first task to start first
    past: list[Claim]  # finished, withdrawn or declined: the latest changed first


def claims_of_provider(user: User | AnonymousUser, volunteer: Volunteer, *, past_limit: int) -> ProviderClaims:
    """``volunteer``'s claims that ``user`` may see: every live one and the last ``past_limit`` others."""
    claims = claims_visible_to(user).filter(volunteer=volunteer).select_related("task__region")
    return ProviderClaims(
        live=list(claims.filter(status__in=UNFINISHED_CLAIM_STATUSES).order_by("task__starts_at")),
        past=list(claims.exclude(status__in=UNFINISHED_CLAIM_STATUSES).order_by("-updated_at")[:past_limit]),
    )


def declined_assignments_for(user: User | AnonymousUser) -> QuerySet[Claim]:
    """Assignments their provider refused, for regulators of the task's region (or above): each
    with its refusal and the centre's ruling (``refusal``: pending, accepted or rejected; a
    refusal recorded before rulings existed has none). Latest refusal first."""
    return (
        Claim.objects.filter(
            Q(declined_by_provider=True) | Q(refusal__isnull=False),
            is_assignment=True,
            task__region__in=roles_of(user).jurisdiction_codes(),
        )
        .select_related("task", "task__organization", "volunteer__user", "refusal")
        .order_by(Coalesce("refusal__refused_at", "decided_at").desc(nulls_last=True), "-id")
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
    # A criminal case of a minor ranks providers familiar with minors' cases first.
    minors_first: bool = False
    minors_experience: bool = False
    # The number of the earlier matter in which the provider acted for the opposing party.
    conflict: str | None = None
    # For a case: the provider's open cases, and the centre's cap on them (None: no cap).
    open_cases: int = 0
    case_cap: int | None = None
    reasons: list[dict] = field(default_factory=list)

    @property
    def at_case_cap(self) -> bool:
        """The provider carries as many open cases as the centre's cap: not assignable now."""
        return self.case_cap is not None and self.open_cases >= self.case_cap

    @property
    def unavailable(self) -> str | None:
        """Why assigning the provider would be refused (the code of the 409), or None."""
        if self.conflict is not None:
            return "conflict_of_interest"
        return caseload.CASE_CAP_REACHED if self.at_case_cap else None

    @property
    def rank_key(self) -> tuple:
        return (
            self.unavailable is not None,
            self.conflict is not None,
            self.minors_first and not self.minors_experience,
            not self.specialty_match,
            not self.same_district,
            -self.shortfall,
            self.live_tasks,
            self.volunteer.pk,
        )


def assignment_candidates(*, task: AidTask, now: datetime, for_user: User | None = None) -> list[Candidate]:
    """Verified providers who may take ``task``, best first, each with the reasons for its rank.
    ``for_user``, the coordinator who will assign, is never offered (separation of duties:
    ``task_assign`` refuses it with ``own_record``). A death or life case offers only lawyers of
    the required years of practice (Art. 26).

    Rank: for a criminal case of a minor, providers familiar with minors' cases first (Minors
    Protection Law Art. 104); then specialty matches the category, same district, the larger
    shortfall against this year's quota, the fewest live tasks. Providers who acted for the
    opposing party come last, with ``conflict`` naming the earlier matter, and so do those at the
    centre's cap on open cases (``at_case_cap``, with the reason): assigning them is refused. A
    fixed number of queries whatever the count.
    """
    on_task = Claim.objects.filter(volunteer=OuterRef("pk"), task=task, status__in=UNFINISHED_CLAIM_STATUSES)
    qs = Volunteer.objects.filter(status=VolunteerStatus.VERIFIED).select_related("user", "region")
    if for_user is not None:
        qs = qs.exclude(user_id=for_user.pk)
    if task.eligible_kinds:
        qs = qs.filter(kind__in=task.eligible_kinds)
    if task.kind in LAWYERS_ONLY_KINDS:
        qs = qs.filter(kind=VolunteerKind.LAWYER)
    if not task.is_remote:
        qs = qs.filter(
            Q(region__path__startswith=task.region.path) | Q(region_id__in=_region_ancestor_codes(task.region))
        )
    qs = qs.filter(matching.experienced_only(task, today=timezone.localdate(now)))
    if not task.is_case:  # the overlap rule is for sessions and shifts only
        overlapping = Claim.objects.filter(
            volunteer=OuterRef("pk"),
            status=ClaimStatus.ACCEPTED,
            task__starts_at__lt=task.ends_at,
            task__ends_at__gt=task.starts_at,
        ).exclude(task__kind__in=CASE_KINDS)
        qs = qs.exclude(Exists(overlapping))
    qs = qs.exclude(Exists(on_task)).annotate(live_tasks=Count("claims", filter=Q(claims__status=ClaimStatus.ACCEPTED)))
    volunteers = list(qs)
    if not volunteers:
        return []
    shortfalls = quota_shortfall([v.pk for v in volunteers], now=now)
    minors_first = matching.is_minors_criminal(task)
    minors = matching.minors_experienced(volunteers) if minors_first else set()
    conflicts = matching.conflicting_matters(task=task, volunteer_ids=[v.pk for v in volunteers])
    case_cap = caseload.case_cap_of(task.organization_id) if task.is_case else None
    open_cases = caseload.open_cases_of([v.pk for v in volunteers]) if task.is_case else {}
    experience = matching.needs_experience(task)
    today = timezone.localdate(now)
    candidates = []
    for v in volunteers:
        c = Candidate(
            volunteer=v,
            specialty_match=task.category in (v.specialties or []),
            same_district=v.region_id == task.region_id,
            shortfall=shortfalls.get(v.pk, Decimal("0")),
            live_tasks=v.live_tasks,
            minors_first=minors_first,
            minors_experience=v.pk in minors,
            conflict=conflicts.get(v.pk),
            open_cases=open_cases.get(v.pk, 0),
            case_cap=case_cap,
        )
        if c.at_case_cap:
            c.reasons.append({"code": caseload.CASE_CAP_REACHED, "text": caseload.cap_reason(c.open_cases, case_cap)})
        if c.conflict is not None:
            c.reasons.append(
                {
                    "code": "conflict_of_interest",
                    "text": _("Acted for the opposing party in matter %(number)s.") % {"number": c.conflict},
                }
            )
        if c.minors_experience:
            c.reasons.append({"code": "minors", "text": _("Familiar with minors' cases.")})
        if experience:
            years = matching.years_of_practice(v, today)
            c.reasons.append(
                {
                    "code": "experience",
                    "text": ngettext("%(n)d year of practice.", "%(n)d years of practice.", years) % {"n": years},
                }
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
        in_hand = ngettext("%(n)d accepted task in hand.", "%(n)d accepted tasks in hand.", c.live_tasks)
        c.reasons.append({"code": "live_tasks", "text": in_hand % {"n": c.live_tasks}})
        candidates.append(c)
    candidates.sort(key=lambda c: c.rank_key)
    return candidates


def listed_candidate(*, task: AidTask, volunteer_id: str, now: datetime) -> Volunteer | None:
    """The provider ``volunteer_id`` (as posted) names among ``task``'s assignment candidates, or
    None. Not narrowed by ``for_user``: choosing oneself reaches ``task_assign``, which answers
    ``own_record``."""
    return next(
        (c.volunteer for c in assignment_candidates(task=task, now=now) if str(c.volunteer.pk) == volunteer_id),
        None,
    )
