"""Demo evidence requests, loaded by ``manage.py seed_demo`` after the marketplace's cases.

Four government departments of Changzhou (police, archives, housing, labour arbitration), each
with a coordinator who answers evidence requests, and requests by the handlers of cases under
way in every state: awaiting an answer (one overdue), provided free of charge, provided with a
fee, refused with a reason. Everything goes through the services with ``now`` set to when each
step happened.

Idempotent: the departments and accounts are found again; no request is written if one exists.
"""

from datetime import datetime, timedelta

from marketplace.core.errors import DomainError
from marketplace.evidence import services
from marketplace.evidence.models import EvidenceRequest
from marketplace.models import CASE_KINDS, CLAIMABLE_TASK_STATUSES, Claim, ClaimStatus
from organizations.demo import demo_user
from organizations.models import OrganizationKind, Region, Role
from organizations.services import membership_grant, organization_create

DEPARTMENTS = [
    # username, display name, organisation, English name, region, address, phone
    (
        "police",
        "陈卫东",
        "常州市公安局天宁分局",
        "Tianning Branch, Changzhou Public Security Bureau",
        "320402",
        "常州市天宁区关河东路68号",
        "0519-86600110",
    ),
    (
        "archives",
        "林雅琴",
        "常州市档案馆",
        "Changzhou Municipal Archives",
        "320400",
        "常州市新北区龙锦路1588号",
        "0519-85588110",
    ),
    (
        "housing",
        "宋志刚",
        "常州市住房和城乡建设局",
        "Changzhou Housing and Urban-Rural Development Bureau",
        "320400",
        "常州市新北区龙城大道1280号",
        "0519-85682580",
    ),
    (
        "arbitration",
        "蔡晓梅",
        "常州市劳动人事争议仲裁院",
        "Changzhou Labour and Personnel Dispute Arbitration Court",
        "320400",
        "常州市钟楼区延陵西路23号",
        "0519-88108110",
    ),
]

DEMO_LOGINS: list[tuple[str, str]] = [
    (username, f"coordinator, {name_en}: answers evidence requests") for username, _, _, name_en, _, _, _ in DEPARTMENTS
]

# (department, items, purpose, days ago asked, answer): answer is None (pending), or
# (days after asking, provided, fee waived, note or reason).
REQUESTS = [
    (
        "police",
        ["2025年6月至12月受援人报警的出警记录", "报警人询问笔录复印件"],
        "证明用人单位拖欠工资期间受援人曾报警求助。",
        2,
        None,
    ),
    ("archives", ["受援人1998年至2008年的职工档案", "原单位工资发放表"], "核实受援人的连续工龄和工资标准。", 20, None),
    (
        "housing",
        ["涉案房屋的不动产登记簿查询结果", "房屋买卖合同备案信息"],
        "查明涉案房屋的权属和交易情况。",
        12,
        (4, True, True, "已出具查询结果两份，免收查询费。"),
    ),
    (
        "arbitration",
        ["（2025）常劳人仲案字第318号案件的裁决书", "庭审笔录复印件"],
        "了解受援人此前仲裁案件的裁决内容。",
        9,
        (3, True, False, "按规定收取卷宗复印工本费12元。"),
    ),
    (
        "police",
        ["事故现场的监控录像"],
        "证明工伤事故发生的时间和经过。",
        15,
        (6, False, None, "该时段监控录像已超过保存期限，无法提供。"),
    ),
]


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
    departments = {}
    for username, display_name, name, name_en, region, address, phone in DEPARTMENTS:
        org = organization_create(
            name=name,
            name_en=name_en,
            kind=OrganizationKind.GOVERNMENT_DEPARTMENT,
            region=Region.objects.get(code=region),
            address=address,
            phone=phone,
        )
        membership_grant(user=demo_user(username, display_name), organization=org, role=Role.COORDINATOR)
        departments[username] = org
    if EvidenceRequest.objects.exists():
        return
    # Handlers of cases under way; lawyer01 first, so that the demo login has requests to show.
    claims = (
        Claim.objects.filter(
            status=ClaimStatus.ACCEPTED, task__kind__in=list(CASE_KINDS), task__status__in=list(CLAIMABLE_TASK_STATUSES)
        )
        .select_related("task", "volunteer__user")
        .order_by("-volunteer__user__username", "task_id")
    )
    claims = sorted(claims, key=lambda c: (c.volunteer.user.username != "lawyer01", c.task_id))
    if not claims:
        return
    for n, (department, items, purpose, days_ago, answer) in enumerate(REQUESTS):
        claim = claims[n % len(claims)]
        asked = now - timedelta(days=days_ago)
        try:
            request = services.evidence_request_create(
                task=claim.task,
                department=departments[department],
                items=items,
                purpose=purpose,
                by=claim.volunteer.user,
                now=asked,
            )
        except DomainError:
            continue
        if answer is not None:
            after, provided, fee_waived, note = answer
            coordinator = departments[department].memberships.filter(role=Role.COORDINATOR).first().user
            services.evidence_request_respond(
                request=request,
                provided=provided,
                note=note,
                fee_waived=fee_waived,
                by=coordinator,
                now=min(asked + timedelta(days=after), now),
            )
