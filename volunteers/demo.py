"""About forty demo providers of every kind, with plausible names and licence numbers."""

from datetime import date, datetime

from organizations.demo import demo_user
from organizations.models import Organization, Region
from volunteers.models import Volunteer, VolunteerKind, VolunteerStatus

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
GIVEN = [
    "建国",
    "海燕",
    "志强",
    "丽娟",
    "伟",
    "敏",
    "静怡",
    "晓东",
    "婷",
    "俊杰",
    "秀英",
    "宇航",
    "红梅",
    "文杰",
    "雪",
    "浩然",
    "春燕",
    "子涵",
    "明",
    "佳琪",
    "国强",
    "玉兰",
    "思远",
    "慧",
    "立军",
    "小燕",
    "嘉怡",
    "鹏",
    "桂英",
    "天佑",
    "晨曦",
    "永刚",
    "欣怡",
    "德明",
    "雅琴",
    "凯",
    "梦瑶",
    "振华",
    "诗雨",
    "长青",
]
DISTRICTS = ["320402", "320404", "320411", "320412", "320413", "320481"]
SPECIALTIES = [
    ["labor_wages", "work_injury"],
    ["family", "domestic_violence", "maintenance"],
    ["criminal"],
    ["elderly_rights", "housing_land"],
    ["disability_rights", "administrative"],
    ["minors", "family"],
    ["consumer", "other"],
]
# kind, how many, status pattern (every n-th one is pending), licence prefix
KINDS = [
    (VolunteerKind.LAWYER, 20, "1"),
    (VolunteerKind.NOTARY, 4, "2"),
    (VolunteerKind.GRASSROOTS_WORKER, 5, "3"),
    (VolunteerKind.LEGAL_AID_STAFF, 3, ""),
    (VolunteerKind.LAW_STUDENT, 5, ""),
    (VolunteerKind.CITIZEN_VOLUNTEER, 3, ""),
]
USERNAME_PREFIX = {
    VolunteerKind.LAWYER: "lawyer",
    VolunteerKind.NOTARY: "notary",
    VolunteerKind.GRASSROOTS_WORKER: "grassroots",
    VolunteerKind.LEGAL_AID_STAFF: "staff",
    VolunteerKind.LAW_STUDENT: "student",
    VolunteerKind.CITIZEN_VOLUNTEER: "citizen",
}

DEMO_LOGINS: list[tuple[str, str]] = [
    ("lawyer01", "provider: verified lawyer, 天宁区, labour and work-injury cases"),
    ("lawyer02", "provider: verified lawyer, 钟楼区, family cases"),
    ("student01", "provider: verified law student"),
    ("citizen01", "provider: verified citizen volunteer"),
    ("lawyer20", "provider: lawyer awaiting verification (pending)"),
]


def seed(*, now: datetime) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in=DISTRICTS)}
    firms = list(Organization.objects.filter(kind="law_firm").order_by("id"))
    clinic = Organization.objects.filter(kind="law_school").first()
    n = 0
    for kind, count, prefix in KINDS:
        for i in range(1, count + 1):
            username = f"{USERNAME_PREFIX[kind]}{i:02d}"
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
            user = demo_user(username, name)
            n += 1
            if Volunteer.objects.filter(user=user).exists():
                continue
            district = DISTRICTS[(n - 1) % len(DISTRICTS)]
            licensed_year = 2005 + (n * 3) % 20
            if kind == VolunteerKind.LAWYER and i == 19:
                licensed_year = now.year  # licensed this year: exempt from this year's quota
            licence = f"{prefix}{district[:5]}{licensed_year}1{i % 2}{n:05d}" if prefix else ""
            if kind in (VolunteerKind.LAWYER, VolunteerKind.GRASSROOTS_WORKER):
                practice_org = firms[n % len(firms)] if firms and kind == VolunteerKind.LAWYER else None
            elif kind == VolunteerKind.LAW_STUDENT:
                practice_org = clinic
            else:
                practice_org = None
            # The last of the lawyers waits for verification, so reviewers have a queue.
            status = (
                VolunteerStatus.PENDING if (kind == VolunteerKind.LAWYER and i == count) else VolunteerStatus.VERIFIED
            )
            Volunteer.objects.create(
                user=user,
                kind=kind,
                licence_number=licence,
                licensed_on=date(licensed_year, 3, 1) if prefix else None,
                practice_org=practice_org,
                region=regions[district],
                specialties=SPECIALTIES[(n - 1) % len(SPECIALTIES)],
                languages=["zh", "en"] if n % 4 == 0 else ["zh"],
                status=status,
            )
