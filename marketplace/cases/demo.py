"""Demo case files, loaded by ``manage.py seed_demo`` after the marketplace's tasks.

The demo's past cases go the way the law says (Art. 46-50): the handler records progress (met
the client, filed, judgment or agreement), files a copy of the judgment and the closing report;
the centre accepts every other closing (crediting one case each, with a quality grade and a
subsidy line) and the others sit in review; cases still under way show their first milestone. Everything goes through the services with ``now`` set to when each step happened.

Idempotent: nothing is written if a milestone exists.
"""

import io
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.cases import services
from marketplace.cases.models import Milestone
from marketplace.cases.selectors import lead_claim
from marketplace.core.errors import DomainError
from marketplace.models import CASE_KINDS, CLAIMABLE_TASK_STATUSES, AidTask
from organizations.models import Membership, Role

QUALITY = ["excellent", "good", "good", "pass"]
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


def close_case(
    task: AidTask, *, handler: User, reviewer: User, ended: date, now: datetime, quality: str | None, outcome: str
):
    """Record the matter's end, file its judgment and the closing report; with ``quality``, the
    reviewer accepts it (the one case is credited then), else the closing waits in review."""
    end_kind = END.get(task.kind, "judgment")
    services.milestone_record(
        task=task, kind=end_kind, date=ended, note="收到生效法律文书。", by=handler, now=_at(ended, 17, now)
    )
    name = "调解协议书.pdf" if end_kind == "agreement" else "判决书.pdf"
    pdf = demo_pdf(name.removesuffix(".pdf"), [task.title, f"日期：{ended.isoformat()}"])
    filed_at = _at(ended + timedelta(days=2), 10, now)
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
