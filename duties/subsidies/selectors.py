"""Reads of subsidies: lists and the payment batch's export."""

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from duties.subsidies import access
from duties.subsidies.models import SubsidyBatch, SubsidyLine
from marketplace.applications.letters import MATTER_KINDS
from marketplace.core.exports import DECIMAL, INTEGER, TEXT, Column

# The batch export is the list the centre hands its finance office: a document in a fixed
# Chinese shape (like the forms filed with the bureau), so its headers and words do not follow
# the reader's language.
BATCH_COLUMNS = [
    Column("批次号", INTEGER, 8),
    Column("明细号", INTEGER, 8),
    Column("收款方类型", TEXT, 10),
    Column("收款方", TEXT, 28),
    Column("承办人", TEXT, 12),
    Column("执业证号", TEXT, 20),
    Column("补贴类别", TEXT, 10),
    Column("案件编号", INTEGER, 10),
    Column("案件类别", TEXT, 14),
    Column("诉讼阶段", TEXT, 10),
    Column("质量等级", TEXT, 8),
    Column("值班半天数", INTEGER, 10),
    Column("交通补贴", TEXT, 8),
    Column("标准版本", TEXT, 16),
    Column("金额（元）", DECIMAL, 12),
    Column("冲销明细号", INTEGER, 10),
    Column("备注", TEXT, 24),
]
SUBSIDY_KIND_WORDS = {"case": "办案", "duty_shift": "值班"}
STAGE_WORDS = {"investigation": "侦查", "prosecution": "审查起诉", "trial": "审判"}
GRADE_WORDS = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}


def lines_for(user: User | AnonymousUser) -> QuerySet[SubsidyLine]:
    """The lines the caller may read, with everything the list shows in one query."""
    return access.lines_visible_to(user).select_related("volunteer__user", "schedule", "payee_org")


def batches_for(user: User | AnonymousUser) -> QuerySet[SubsidyBatch]:
    return access.batches_visible_to(user).prefetch_related("lines")


def batch_export_rows(batch: SubsidyBatch) -> Iterator[tuple]:
    """The batch's lines as the export shows them, in ``BATCH_COLUMNS`` order; amounts are
    Decimals (numbers in the XLSX)."""
    lines = (
        SubsidyLine.objects.filter(batch=batch)
        .select_related("volunteer__user", "schedule", "payee_org")
        .order_by("payee_org_id", "volunteer_id", "id")
    )
    for line in lines.iterator(chunk_size=500):
        user = line.volunteer.user
        name = user.get_full_name() or user.username
        schedule = line.schedule
        yield (
            batch.pk,
            line.pk,
            "律师事务所" if line.payee_org_id else "个人",
            line.payee_org.name if line.payee_org_id else name,
            name,
            line.volunteer.licence_number,
            SUBSIDY_KIND_WORDS.get(line.kind, line.kind),
            line.task_id,
            MATTER_KINDS.get(line.case_kind, line.case_kind),  # the decision letter's names
            STAGE_WORDS.get(line.stage, line.stage),
            GRADE_WORDS.get(line.grade, line.grade),
            line.half_days or None,
            "是" if line.travel else "否",
            f"{schedule.year}-{schedule.region_id}-v{schedule.version}" if schedule else "",
            line.amount,
            line.reverses_id,
            line.reason,
        )
