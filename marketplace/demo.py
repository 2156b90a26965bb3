"""Demo aid tasks and claims, loaded by ``manage.py seed_demo`` after organisations and providers.

About 60 tasks across the posting organisations, kinds and districts of Changzhou: upcoming and
past, some full, some with a waitlist, some awaiting the coordinator's approval, a few drafts and
cancellations, assignments (指派) by the legal aid centres (one declined by its provider, with a
reason), and confidential details on the case tasks. Everything goes through the services, with
``now`` set to when each step would have happened, so the data obeys the same rules as real use.

Idempotent: nothing is written if the first demo task already exists.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from marketplace import services
from marketplace.core.errors import DomainError
from marketplace.models import CASE_KINDS, AidTask, BeneficiaryGroup, Claim, ClaimStatus, TaskKind
from marketplace.selectors import claim_problem
from organizations.models import Membership, Organization, Region, Role
from volunteers.models import Category, Volunteer, VolunteerKind, VolunteerStatus

K, C, G, V = TaskKind, Category, BeneficiaryGroup, VolunteerKind
LAWYERS = [V.LAWYER]
LEGAL = [V.LAWYER, V.GRASSROOTS_WORKER, V.LEGAL_AID_STAFF]
ANYONE = [V.LAWYER, V.GRASSROOTS_WORKER, V.LEGAL_AID_STAFF, V.LAW_STUDENT, V.CITIZEN_VOLUNTEER, V.NOTARY]

# organisation kind -> templates: title, summary, kind, category, group, eligible kinds, hours
TEMPLATES = {
    "legal_aid_center": [
        (
            "农民工追讨欠薪仲裁代理",
            "为建筑工地农民工申请劳动仲裁，追讨拖欠工资。",
            K.MEDIATION_ARBITRATION,
            C.LABOR_WAGES,
            G.MIGRANT_WORKERS,
            LAWYERS,
            "12.00",
        ),
        (
            "法律援助值班律师（看守所）",
            "在看守所为犯罪嫌疑人提供法律咨询、程序选择建议。",
            K.DUTY_SHIFT,
            C.CRIMINAL,
            G.GENERAL,
            LAWYERS,
            "4.00",
        ),
        (
            "未成年人刑事案件辩护",
            "为涉罪未成年人提供辩护。",
            K.CRIMINAL_DEFENSE,
            C.MINORS,
            G.MINORS,
            LAWYERS,
            "20.00",
        ),
        (
            "工伤赔偿民事代理",
            "工伤认定后的赔偿纠纷代理。",
            K.CIVIL_REPRESENTATION,
            C.WORK_INJURY,
            G.WORKERS,
            LAWYERS,
            "16.00",
        ),
        (
            "法律援助中心窗口咨询值班",
            "在中心接待窗口解答来访群众法律咨询。",
            K.CONSULTATION,
            C.OTHER,
            G.GENERAL,
            LEGAL,
            "3.00",
        ),
    ],
    "trade_union": [
        (
            "职工劳动合同纠纷咨询日",
            "解答劳动合同、加班费、社保等问题。",
            K.CONSULTATION,
            C.LABOR_WAGES,
            G.WORKERS,
            LEGAL,
            "3.00",
        ),
        (
            "欠薪讨要调解前咨询",
            "调解前为农民工梳理欠薪证据、讲解调解程序。",
            K.CONSULTATION,
            C.LABOR_WAGES,
            G.MIGRANT_WORKERS,
            LEGAL,
            "6.00",
        ),
    ],
    "womens_federation": [
        (
            "反家暴法律咨询",
            "为遭受家庭暴力的妇女提供法律咨询和人身安全保护令指导。",
            K.CONSULTATION,
            C.DOMESTIC_VIOLENCE,
            G.WOMEN,
            LEGAL,
            "2.50",
        ),
        (
            "离婚抚养费纠纷文书代写",
            "代写抚养费、财产分割起诉状。",
            K.DOCUMENT_DRAFTING,
            C.MAINTENANCE,
            G.WOMEN,
            LAWYERS,
            "15.00",
        ),
    ],
    "disability_federation": [
        (
            "残疾人权益法律咨询（手语翻译在场）",
            "无障碍场所，手语翻译协助。",
            K.CONSULTATION,
            C.DISABILITY_RIGHTS,
            G.DISABLED,
            LEGAL,
            "3.00",
        ),
        (
            "残疾人就业歧视文书代写",
            "代写投诉书、仲裁申请书。",
            K.DOCUMENT_DRAFTING,
            C.DISABILITY_RIGHTS,
            G.DISABLED,
            ANYONE,
            "2.00",
        ),
    ],
    "youth_league": [
        (
            "校园普法讲座",
            "面向中学生的防欺凌、网络安全普法讲座。",
            K.OUTREACH,
            C.MINORS,
            G.STUDENTS,
            ANYONE,
            "2.00",
        ),
        (
            "青年务工人员权益宣讲",
            "工业园区青年务工人员劳动权益宣讲。",
            K.OUTREACH,
            C.LABOR_WAGES,
            G.WORKERS,
            ANYONE,
            "2.00",
        ),
    ],
    "law_school": [
        (
            "法律诊所社区咨询",
            "学生在指导律师带领下提供咨询。",
            K.CONSULTATION,
            C.CONSUMER,
            G.GENERAL,
            [V.LAW_STUDENT, V.LAWYER],
            "3.00",
        ),
    ],
    "community_station": [
        (
            "社区老年人赡养咨询",
            "赡养、继承、遗嘱咨询。",
            K.CONSULTATION,
            C.ELDERLY_RIGHTS,
            G.ELDERLY,
            LEGAL,
            "2.00",
        ),
        (
            "物业与房屋租赁纠纷咨询",
            "社区调解室解答租赁纠纷法律问题。",
            K.CONSULTATION,
            C.HOUSING_LAND,
            G.GENERAL,
            LEGAL,
            "4.00",
        ),
    ],
    "justice_bureau": [
        (
            "“法律进乡村”巡回普法",
            "到村委会开展巡回普法。",
            K.OUTREACH,
            C.OTHER,
            G.GENERAL,
            ANYONE,
            "4.00",
        ),
    ],
}
FIRST_TITLE_MARK = "（演示）"
NAMES = ["张秀英", "王建国", "李桂兰", "刘洋", "陈小龙", "杨丽", "赵德明", "黄晓燕"]


def _at(day: datetime, hour: int) -> datetime:
    return timezone.localtime(day).replace(hour=hour, minute=0, second=0, microsecond=0)


def _coordinator(org: Organization):
    m = Membership.objects.filter(organization=org, role__in=[Role.COORDINATOR, Role.ADMIN]).select_related("user")
    return m.first().user if m.exists() else None


def _try(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DomainError:
        return None


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
    if AidTask.objects.filter(title__endswith=FIRST_TITLE_MARK).exists():
        return
    orgs = [
        o
        for o in Organization.objects.filter(kind__in=list(TEMPLATES)).select_related("region").order_by("id")
        if _coordinator(o) is not None
    ]
    providers = list(
        Volunteer.objects.filter(status=VolunteerStatus.VERIFIED).select_related("user", "region").order_by("id")
    )
    if not orgs or not providers:
        return
    districts = {r.code: r for r in Region.objects.filter(parent__code="320400")}
    rnd = random.Random(2026)  # noqa: S311 (demo data, deterministic)
    total = 60
    for i in range(total):
        org = orgs[i % len(orgs)]
        coordinator = _coordinator(org)
        title, summary, kind, category, group, kinds, hours = TEMPLATES[org.kind][i % len(TEMPLATES[org.kind])]
        region = org.region
        if org.region.code == "320400" and i % 3 == 0 and districts:
            region = districts[sorted(districts)[i % len(districts)]]
        past = i % 4 == 0
        day = now + (timedelta(days=-(5 + 3 * i)) if past else timedelta(days=1 + (i * 5) % 45))
        starts_at = _at(day, 9 if i % 2 else 14)
        ends_at = starts_at + timedelta(hours=3 if kind != K.DUTY_SHIFT else 4)
        posted_at = starts_at - timedelta(days=10)
        seats = [1, 2, 3, 5, 2, 1][i % 6]
        is_case = kind in CASE_KINDS
        values = {
            "title": title + (FIRST_TITLE_MARK if i == 0 else f" 第{i + 1}期"),
            "summary": summary,
            "kind": kind,
            "category": category,
            "beneficiary_group": group,
            "region": region,
            "location": f"{region.name}{org.name}",
            "is_remote": i % 11 == 5,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "claim_deadline": starts_at - timedelta(days=1),
            "seats": seats,
            "estimated_hours": Decimal(hours),
            "eligible_kinds": list(kinds),
            "requires_approval": i % 7 == 3,
        }
        confidential = None
        if is_case:
            confidential = {
                "name": NAMES[i % len(NAMES)],
                "phone": f"139{rnd.randint(10000000, 99999999)}",
                "hardship_notes": "低保户" if i % 2 else "农民工追索劳动报酬，免予经济困难审查（法律援助法第42条）",
            }
        draft = i % 19 == 7
        task = services.task_create(
            organization=org,
            values=values,
            confidential=confidential,
            publish=not draft,
            by=coordinator,
            now=posted_at,
        )
        if draft:
            continue
        claim_time = posted_at + timedelta(days=1)
        eligible = [p for p in providers if claim_problem(task=task, volunteer=p, now=claim_time) is None]
        rnd.shuffle(eligible)
        if org.kind == "legal_aid_center" and is_case and eligible:
            # 指派: the centre assigns; every fifth assignment is refused by its provider, with a
            # reason the centre accepts, and the case goes to another provider.
            claim = _try(services.task_assign, task=task, volunteer=eligible.pop(), by=coordinator, now=claim_time)
            if claim is not None and i % 5 == 2 and eligible:
                services.claim_decline(
                    claim=claim,
                    reason="与对方当事人存在利益冲突（曾代理其公司业务）",
                    by=claim.volunteer.user,
                    now=claim_time + timedelta(hours=3),
                )
                services.claim_refusal_rule(
                    claim=claim, accepted=True, by=coordinator, now=claim_time + timedelta(hours=4)
                )
                later = claim_time + timedelta(hours=5)
                _try(services.task_assign, task=task, volunteer=eligible.pop(), by=coordinator, now=later)
        # Full with a waitlist, exactly full, or partly taken.
        wanted = [seats + 2, seats, max(seats - 1, 0), seats + 1][i % 4]
        for provider in eligible[:wanted]:
            claim = _try(services.claim_create, task=task, volunteer=provider, by=provider.user, now=claim_time)
            if claim is not None and claim.status == ClaimStatus.REQUESTED and i % 2:
                _try(services.claim_accept, claim=claim, by=coordinator, now=claim_time + timedelta(hours=2))
        for claim in Claim.objects.filter(task=task, status=ClaimStatus.ACCEPTED).select_related("volunteer")[:1]:
            if i % 3 == 1:
                services.claim_confirm_no_conflict(claim=claim, by=claim.volunteer.user, now=claim_time + timedelta(1))
        if past:
            if i % 12 == 8:
                services.task_cancel(
                    task=task, reason="天气原因取消", by=coordinator, now=starts_at - timedelta(hours=5)
                )
            elif not is_case:
                _try(services.task_complete, task=task, by=coordinator, now=ends_at + timedelta(hours=1))
            # A past case closes through its closing report and the centre's review
            # (marketplace.cases.demo), which credits its one case.
        elif i % 23 == 13:
            services.task_cancel(task=task, reason="场地临时不可用，改期另行通知", by=coordinator, now=now)
