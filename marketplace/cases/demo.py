"""Demo case files, loaded by ``manage.py seed_demo`` after the marketplace's tasks.

The demo's past cases go the way the law says (Art. 46-50): the handler records progress (met
the client, filed, judgment or agreement), files a copy of the judgment and the closing report;
the centre accepts every other closing (crediting one case each, with a quality grade and a
subsidy line) and the others sit in review; cases still under way show their first milestone.
A few cases of the city centre judged weeks ago fill the closing queue: three closings waiting
(one filed after its due date) and one closing overdue. Everything goes through the services
with ``now`` set to when each step happened.

Idempotent: nothing is written if a milestone exists.
"""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.cases import services
from marketplace.cases.models import Milestone
from marketplace.cases.selectors import lead_claim
from marketplace.core.errors import DomainError
from marketplace.models import CASE_KINDS, CLAIMABLE_TASK_STATUSES, AidTask, TaskStatus
from marketplace.services import create_assignment_claim
from organizations.models import Membership, Organization, Role
from volunteers.models import Volunteer, VolunteerKind, VolunteerStatus

QUALITY = ["excellent", "good", "good", "pass"]
# Cases of the city centre judged a while ago, for the closing queue: (title, kind, category,
# group, days since the judgment, days from the judgment to the filing or None if not filed).
JUDGED = [
    ("农民工追索劳动报酬劳动仲裁代理", "mediation_arbitration", "labor_wages", "migrant_workers", 40, 34),
    ("工伤赔偿民事诉讼代理", "civil_representation", "work_injury", "workers", 20, 6),
    ("未成年人盗窃案件辩护", "criminal_defense", "criminal", "minors", 9, 3),
    ("老年人赡养纠纷民事代理", "civil_representation", "elderly_rights", "elderly", 45, None),
]
OUTCOMES = ["supported", "settled", "partly_supported", "supported"]
END = {"mediation_arbitration": "agreement"}


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF in Chinese (ReportLab's built-in CJK font, nothing to download)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setFont("STSong-Light", 18)
    page.drawCentredString(A4[0] / 2, A4[1] - 90, title)
    page.setFont("STSong-Light", 12)
    for n, line in enumerate(lines):
        page.drawString(72, A4[1] - 140 - 22 * n, line)
    page.drawString(72, 90, "（演示数据）")
    page.save()
    return buffer.getvalue()


def _at(day: date, hour: int, now: datetime) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), now)


def _coordinator(task: AidTask) -> User | None:
    membership = (
        Membership.objects.filter(organization_id=task.organization_id, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _try(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DomainError:
        return None


def assigned_case(
    centre: Organization, lawyer: Volunteer, matter: tuple[str, str, str, str], *, starts_at: datetime, by: User
) -> AidTask:
    """A past case of ``centre``, assigned to ``lawyer`` by its coordinator ``by`` when it started:
    the task (``matter`` is its title, kind, category and beneficiary group), filled, and the
    accepted assignment that holds its one seat. Written directly, as the case began before the
    demo's clock, so the assignment's checks of today do not apply."""
    title, kind, category, group = matter
    task = AidTask.objects.create(
        organization=centre,
        title=title,
        summary="经审查符合法律援助条件，指派律师承办。",
        kind=kind,
        category=category,
        beneficiary_group=group,
        region=lawyer.region,
        location=lawyer.region.name,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        seats=1,
        seats_taken=1,  # held by the assignment below
        estimated_hours=Decimal("20.00"),
        eligible_kinds=[VolunteerKind.LAWYER],
        requires_approval=True,
        status=TaskStatus.FILLED,
    )
    create_assignment_claim(task, lawyer, by=by, assigned_by=by, at=starts_at)
    return task


def close_case(
    task: AidTask,
    *,
    handler: User,
    reviewer: User,
    ended: date,
    now: datetime,
    quality: str | None = None,
    outcome: str = "supported",
    filed_after: int = 2,
):
    """Record the matter's end, file its judgment and the closing report; with ``quality``, the
    reviewer accepts it (the one case is credited then), else the closing waits in review."""
    end_kind = END.get(task.kind, "judgment")
    services.milestone_record(
        task=task, kind=end_kind, date=ended, note="收到生效法律文书。", by=handler, now=_at(ended, 17, now)
    )
    name = "调解协议书.pdf" if end_kind == "agreement" else "判决书.pdf"
    pdf = demo_pdf(name.removesuffix(".pdf"), [task.title, f"日期：{ended.isoformat()}"])
    filed_at = _at(ended + timedelta(days=filed_after), 10, now)
    document = services.document_upload(
        task=task, upload=SimpleUploadedFile(name, pdf, "application/pdf"), by=handler, now=filed_at
    )
    services.closing_file(
        task=task,
        outcome=outcome,
        summary="案件已依法办结，受援人的主要诉求得到支持，结案材料齐全。",
        documents=[document.pk],
        by=handler,
        now=filed_at,
    )
    if quality:
        services.closing_review(
            task=task, accepted=True, quality=quality, by=reviewer, now=min(filed_at + timedelta(days=3), now)
        )


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
    if Milestone.objects.exists():
        return
    today = timezone.localdate(now)
    bureau = User.objects.filter(username="bureau").first()
    cases = AidTask.objects.filter(kind__in=CASE_KINDS, status__in=CLAIMABLE_TASK_STATUSES).order_by("id")
    closed = 0
    for n, task in enumerate(cases.select_related("organization", "region")):
        lead = lead_claim(task)
        coordinator = _coordinator(task)
        if lead is None or coordinator is None or lead.volunteer.user_id == coordinator.pk:
            continue
        handler = lead.volunteer.user
        start = timezone.localdate(task.starts_at)
        if start >= today:
            # Under way: the handler has met the aided person.
            services.milestone_record(
                task=task, kind="met_client", date=today, note="会见受援人，了解案情并收集证据。", by=handler, now=now
            )
            continue
        services.milestone_record(
            task=task, kind="met_client", date=start, note="会见受援人。", by=handler, now=_at(start, 17, now)
        )
        if (today - start).days < 4:
            continue
        filed = start + timedelta(days=1)
        services.milestone_record(task=task, kind="filed", date=filed, by=handler, now=_at(filed, 17, now))
        # The centre records what the aided person reported (Art. 46).
        services.milestone_record(
            task=task,
            kind="other",
            date=filed,
            note="受援人来电反映承办律师已递交材料，对进展满意。",
            by=coordinator,
            now=_at(filed, 18, now),
        )
        ended = min(start + timedelta(days=2), today - timedelta(days=2))
        in_review = closed % 2 == 1
        closed += 1
        close_case(
            task,
            handler=handler,
            reviewer=coordinator,
            ended=ended,
            now=now,
            quality=None if in_review else QUALITY[n % len(QUALITY)],
            outcome=OUTCOMES[n % len(OUTCOMES)],
        )
        if not in_review and bureau is not None and n % 4 == 0:
            _try(
                services.evaluation_record,
                task=task,
                kind="follow_up_call",
                grade="good",
                note="回访受援人，对承办人的工作表示满意。",
                evaluated_on=today,
                by=bureau,
                now=now,
            )
    _judged_cases(now=now)


def _judged_cases(*, now: datetime) -> None:
    """Cases of the city centre whose judgment came some weeks ago: three closings waiting in the
    queue (one filed after its due date) and one closing overdue."""
    centre = Organization.objects.filter(name="常州市法律援助中心").select_related("region").first()
    coordinator = _coordinator_of(centre)
    if centre is None or coordinator is None:
        return
    lawyers = list(
        Volunteer.objects.filter(kind=VolunteerKind.LAWYER, status=VolunteerStatus.VERIFIED)
        .exclude(user=coordinator)
        .select_related("user", "region")
        .order_by("id")[: len(JUDGED)]
    )
    today = timezone.localdate(now)
    for (title, kind, category, group, judged_days, filed_after), lawyer in zip(JUDGED, lawyers, strict=False):
        ended = today - timedelta(days=judged_days)
        starts_at = _at(ended - timedelta(days=60), 9, now)
        task = assigned_case(centre, lawyer, (title, kind, category, group), starts_at=starts_at, by=coordinator)
        handler = lawyer.user
        met = ended - timedelta(days=50)
        services.milestone_record(
            task=task, kind="met_client", date=met, note="会见受援人。", by=handler, now=_at(met, 17, now)
        )
        hearing = ended - timedelta(days=15)
        services.milestone_record(
            task=task, kind="hearing", date=hearing, note="出庭。", by=handler, now=_at(hearing, 17, now)
        )
        if filed_after is None:
            services.milestone_record(
                task=task, kind="judgment", date=ended, note="一审判决。", by=handler, now=_at(ended, 17, now)
            )
            continue
        close_case(task, handler=handler, reviewer=coordinator, ended=ended, now=now, filed_after=filed_after)


def _coordinator_of(organization: Organization | None) -> User | None:
    if organization is None:
        return None
    membership = Membership.objects.filter(organization=organization, role=Role.COORDINATOR).order_by("id").first()
    return membership.user if membership else None
