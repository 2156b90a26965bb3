"""Who may handle a legal aid matter: the conflict check, experience for death and life cases,
and minors' cases for lawyers who know them. Reads only; the marketplace's claim and assignment
services and its candidate ranking ask these, so the API, the pages and the demo obey one rule.

A task without an application (a session, a shift, a case the centre posted itself) has none of
these rules: nothing is known of its parties or of the penalty.
"""

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from marketplace.applications.models import Application, FirmAssignment, FirmAssignmentStatus
from marketplace.applications.selectors import applications_matching_party
from marketplace.core.crypto import decrypt_json
from marketplace.models import CASE_KINDS, HELD_CLAIM_STATUSES, AidTask, BeneficiaryGroup, Claim
from volunteers.models import Category, VolunteerKind


def matter_of(task: AidTask) -> Application | None:
    """The application whose case ``task`` is, or None (read through the one-to-one, cached)."""
    try:
        return task.application
    except Application.DoesNotExist:
        return None


# --- conflict of interest --------------------------------------------------------------------


def _earlier_clients(application: Application):
    """Applications whose applicant is this matter's opposing party: the same keyed name or ID
    (``applications_matching_party``), this application aside."""
    opposing = decrypt_json(application.opposing_ciphertext) or {}
    matching = applications_matching_party(
        name=opposing.get("name", ""), id_number=opposing.get("id_number", ""), role="applicant"
    )
    return matching.exclude(pk=application.pk)


def conflicting_matters(*, task: AidTask, volunteer_ids) -> dict[int, str]:
    """For each of ``volunteer_ids`` who acts or acted for this matter's opposing party, the number
    of that earlier matter. The opposing party is among a provider's current or past clients when
    it was the applicant of a matter whose case the provider was assigned or held (an accepted or
    completed claim, or an assignment however it ended). Two queries whatever the count."""
    application = matter_of(task)
    ids = list(volunteer_ids)
    if application is None or not application.opposing_ciphertext or not ids:
        return {}
    earlier = _earlier_clients(application)
    rows = (
        Claim.objects.filter(volunteer_id__in=ids, task__application__in=earlier)
        .filter(Q(status__in=HELD_CLAIM_STATUSES) | Q(is_assignment=True))
        .order_by("task__application__received_at", "task__application__id")
        .values_list("volunteer_id", "task__application__number")
    )
    found: dict[int, str] = {}
    for volunteer_id, number in rows:
        found.setdefault(volunteer_id, number)
    return found


def conflict_for(*, task: AidTask, volunteer) -> str | None:
    """The number of the earlier matter in which ``volunteer`` acted for the opposing party, or None."""
    return conflicting_matters(task=task, volunteer_ids=[volunteer.pk]).get(volunteer.pk)


def conflict_detail(number: str) -> str:
    """The refusal's words: the earlier matter by its number only, never a party."""
    return _(
        "Conflict of interest: this provider acted for the opposing party in matter %(number)s. Choose another."
    ) % {"number": number or "—"}


# --- experience: death and life cases (Art. 26) ----------------------------------------------


def needs_experience(task: AidTask) -> bool:
    """Only a case has a matter (the application's case is a task of a case kind); any other task
    is answered without reading the application, as the conflict check (``services``) does."""
    if not task.is_case:
        return False
    application = matter_of(task)
    return application is not None and application.needs_experienced_lawyer


def years_of_practice(volunteer, today: date) -> int:
    """Whole years since the licence date (0 without one)."""
    licensed = volunteer.licensed_on
    if licensed is None or licensed > today:
        return 0
    years = today.year - licensed.year
    if (today.month, today.day) < (licensed.month, licensed.day):
        years -= 1
    return years


def experience_problem(*, task: AidTask, volunteer, today: date) -> str | None:
    """Art. 26: a defendant who may face death or life imprisonment is defended by a lawyer of at
    least ``LEGAL_AID_SERIOUS_CASE_YEARS`` years of practice. None if ``volunteer`` may take it."""
    if not needs_experience(task):
        return None
    required = settings.LEGAL_AID_SERIOUS_CASE_YEARS
    if volunteer.kind != VolunteerKind.LAWYER or years_of_practice(volunteer, today) < required:
        return _(
            "A defendant who may face death or life imprisonment is defended by a lawyer of at least "
            "%(n)d years of practice (Legal Aid Law Art. 26); this provider has %(m)d."
        ) % {"n": required, "m": years_of_practice(volunteer, today) if volunteer.kind == VolunteerKind.LAWYER else 0}
    return None


def licensed_by(today: date) -> date:
    """The latest licence date that meets the experience rule on ``today``."""
    years = settings.LEGAL_AID_SERIOUS_CASE_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def experienced_only(task: AidTask, *, today: date) -> Q:
    """Providers who meet the experience rule of ``task`` (everyone when it has none), as a filter
    on volunteers (prefix ``""``)."""
    if not needs_experience(task):
        return Q()
    return Q(kind=VolunteerKind.LAWYER, licensed_on__lte=licensed_by(today))


def serious_cases_excluded(volunteer, *, today: date) -> Q:
    """Tasks ``volunteer`` may not take by the experience rule, as a filter on tasks (the board's
    ``eligible=true``)."""
    if volunteer.kind == VolunteerKind.LAWYER and years_of_practice(volunteer, today) >= (
        settings.LEGAL_AID_SERIOUS_CASE_YEARS
    ):
        return Q(pk__in=[])
    return Q(application__matter_kind="criminal_defense", application__max_penalty__in=["death", "life"])


# --- minors' cases (Minors Protection Law Art. 104) ------------------------------------------


def is_minors_criminal(task: AidTask) -> bool:
    application = matter_of(task)
    return application is not None and application.is_minors_criminal


def minors_experienced(volunteers) -> set[int]:
    """Providers familiar with minors' cases: the specialty ``minors``, or a minors' case held
    (an accepted or completed claim on a case of the minors group or category). One query."""
    by_specialty = {v.pk for v in volunteers if Category.MINORS in (v.specialties or [])}
    others = [v.pk for v in volunteers if v.pk not in by_specialty]
    if not others:
        return by_specialty
    held = Claim.objects.filter(
        volunteer_id__in=others,
        status__in=HELD_CLAIM_STATUSES,
        task__kind__in=CASE_KINDS,
    ).filter(Q(task__beneficiary_group=BeneficiaryGroup.MINORS) | Q(task__category=Category.MINORS))
    return by_specialty | set(held.values_list("volunteer_id", flat=True).distinct())


# --- law firms -------------------------------------------------------------------------------


def awaiting_firm(task: AidTask) -> FirmAssignment | None:
    """The law firm assignment of ``task`` still awaiting its handler, if any."""
    return (
        FirmAssignment.objects.filter(task=task, status=FirmAssignmentStatus.AWAITING_HANDLER)
        .select_related("law_firm")
        .first()
    )
