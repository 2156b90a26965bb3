"""A season of legal aid applications for the demo, loaded by ``manage.py seed_demo`` after the
organisations, the providers and the marketplace's tasks.

About thirty applications at the two centres and their stations, through every channel: decided
within time, paused for missing materials, overdue decisions and an overdue assignment, refusals
with objections (pending, overdue, upheld, rejected), urgent matters (Art. 44), court,
procuratorate and police notices (Art. 36) with a minor's case and a life-imprisonment case, law
firms naming their handlers (one awaiting, one past its 24 hours, one named), a handler's refusal
awaiting the centre's ruling and one rejected, and a matter against an earlier client of a
lawyer, whose candidacy shows the conflict. Everything goes through the services with ``now``
set to when each step happened, so the data obeys the rules and the clock of real use.

Each law firm gets a director (an admin of the firm) who names its handlers.

Idempotent: nothing is written if the demo's first application exists.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from marketplace import services as market
from marketplace.applications import assignment, caseload, services
from marketplace.applications.identity import citizen_id_check_char
from marketplace.applications.models import Application
from marketplace.models import AidTask, Claim
from marketplace.selectors import assignment_candidates
from organizations.demo import demo_user
from organizations.models import Membership, Organization, Region, Role
from organizations.services import membership_grant

CITY_CENTRE = "常州市法律援助中心"
FIRST_SUMMARY = "（演示）农民工追索劳动报酬：工程完工后包工头拖欠工资三个月，共计四万六千元。"

DIRECTORS = [
    # username, display name, law firm
    ("longcheng", "赵卫东", "江苏龙城律师事务所"),
    ("mingli", "钱明理", "江苏明理律师事务所"),
]

DEMO_LOGINS: list[tuple[str, str]] = [
    ("longcheng", "law firm director, Jiangsu Longcheng Law Firm (names the handlers of assigned cases)"),
    ("mingli", "law firm director, Jiangsu Mingli Law Firm"),
]

LABOUR = {
    "matter_kind": "mediation_arbitration",
    "category": "labor_wages",
    "beneficiary_group": "migrant_workers",
    "hardship_basis": "exempt_migrant_wages",
    "court_or_agency": "常州市天宁区劳动人事争议仲裁委员会",
}
INJURY = {
    "matter_kind": "civil_representation",
    "category": "work_injury",
    "beneficiary_group": "workers",
    "hardship_basis": "exempt_work_injury",
    "court_or_agency": "常州市钟楼区人民法院",
}
FAMILY = {
    "matter_kind": "civil_representation",
    "category": "domestic_violence",
    "beneficiary_group": "women",
    "hardship_basis": "no_check_art32",
    "court_or_agency": "常州市新北区人民法院",
}
ELDERLY = {
    "matter_kind": "civil_representation",
    "category": "elderly_rights",
    "beneficiary_group": "elderly",
    "hardship_basis": "exempt_elderly_no_income",
    "court_or_agency": "常州市武进区人民法院",
}
DISABLED = {
    "matter_kind": "civil_representation",
    "category": "disability_rights",
    "beneficiary_group": "disabled",
    "hardship_basis": "exempt_disabled_no_income",
    "court_or_agency": "常州市天宁区人民法院",
}
CRIMINAL = {
    "matter_kind": "criminal_defense",
    "category": "criminal",
    "beneficiary_group": "general",
    "hardship_basis": "criminal_notice",
}
MATERIALS = ["身份证复印件", "经济困难证明", "劳动合同复印件"]


class Season:
    """The demo's cast and helpers: who registers, decides, assigns; the clock of each step."""

    def __init__(self, now: datetime):
        self.now = now
        self.orgs = {o.name: o for o in Organization.objects.select_related("region")}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
        self.bureau = self.users.get("bureau")
        self.count = 0

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        """``hour``:15 on the day ``days_ago`` days before today (local time), never after now:
        the steps of one day keep their order by hour, and today's are clamped to now."""
        day = timezone.localdate(self.now) - timedelta(days=days_ago)
        return min(timezone.make_aware(datetime.combine(day, time(hour, 15))), self.now)

    def person(self, name: str) -> dict:
        """A citizen ID that passes the GB 11643-1999 check, different for each applicant."""
        self.count += 1
        n = self.count
        first17 = f"320402{1950 + n % 50}{1 + n % 12:02d}{1 + n % 28:02d}{100 + n:03d}"
        return {
            "name": name,
            "id_number": first17 + citizen_id_check_char(first17),
            "phone": f"139{self.count:08d}",
            "address": "常州市天宁区",
        }

    def register(
        self,
        org: str = CITY_CENTRE,
        by: str = "lac",
        *,
        days_ago: int,
        name: str,
        opposing: str,
        region="320402",
        **values,
    ):
        """A matter registered at ``org`` by ``by`` (the city centre's coordinator unless named)."""
        received = self.at(days_ago, 9)
        kind = values.pop("kind", LABOUR)
        data = (
            {
                "channel": "walk_in",
                "received_at": received,
                "region": self.regions[region],
                "summary": values.pop("summary", "农民工追索劳动报酬，包工头拖欠工资。"),
                "attachments": list(MATERIALS),
            }
            | kind
            | values
        )
        return services.application_register(
            organization=self.orgs[org],
            values=data,
            applicant=self.person(name),
            opposing_party={"name": opposing} if opposing else {},
            by=self.users[by],
            now=received,
        )

    def decide(self, application, *, days_ago: int, approve=True, reasons="", by="lac"):
        application.refresh_from_db()
        services.application_decide(
            application=application,
            decision="approve" if approve else "refuse",
            reasons=reasons or ("符合法律援助条件。" if approve else "申请人家庭收入高于本市经济困难标准。"),
            by=self.users[by],
            now=self.at(days_ago, 15),
        )
        application.refresh_from_db()
        return application

    def best(self, application, *, firm: str | None = None, skip=()):
        """The best-ranked provider free of any conflict (of ``firm``, if given)."""
        task = AidTask.objects.select_related("region").get(pk=application.case_id)
        for candidate in assignment_candidates(task=task, now=self.now):
            v = candidate.volunteer
            if candidate.conflict or v.pk in skip or v.user.username in self.users:
                continue
            if firm is not None and v.practice_org_id != self.orgs[firm].pk:
                continue
            if firm is None and v.kind != "lawyer" and task.kind == "criminal_defense":
                continue
            return v
        return None

    def assign(self, application, *, days_ago: int, by="lac", volunteer=None) -> Claim | None:
        volunteer = volunteer or self.best(application)
        if volunteer is None:
            return None
        task = AidTask.objects.get(pk=application.case_id)
        return market.task_assign(task=task, volunteer=volunteer, by=self.users[by], now=self.at(days_ago, 16))

    def to_firm(self, application, firm: str, *, days_ago: int, hour: int = 16, by="lac"):
        task = AidTask.objects.select_related("region").get(pk=application.case_id)
        return assignment.firm_assign(
            task=task, law_firm=self.orgs[firm], by=self.users[by], now=self.at(days_ago, hour)
        )


_USERNAMES = ["lac", "wujin", "union", "women", "disability", "youth", "station", "bureau", "longcheng", "mingli"]


def _directors() -> None:
    for username, display_name, firm_name in DIRECTORS:
        firm = Organization.objects.filter(name=firm_name).first()
        if firm is not None:
            membership_grant(user=demo_user(username, display_name), organization=firm, role=Role.ADMIN)


# The city centre caps the open cases one handler carries (DOMAIN: a centre may set a cap).
CENTRE_CASE_CAP = (CITY_CENTRE, "lac", 8)


def _case_cap(now: datetime) -> None:
    name, username, cap = CENTRE_CASE_CAP
    centre = Organization.objects.filter(name=name).first()
    by = User.objects.filter(username=username).first()
    if centre is not None and by is not None and caseload.case_cap_of(centre.pk) is None:
        caseload.case_cap_set(centre=centre, max_open_cases=cap, by=by, now=now)


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
    _directors()
    _case_cap(now)
    if Application.objects.filter(summary=FIRST_SUMMARY).exists():
        return
    if not Membership.objects.filter(user__username="lac").exists():
        return
    s = Season(now)
    wujin = "常州市武进区法律援助中心"

    # Decided and assigned within time, through every channel.
    first = s.register(days_ago=40, name="王秀兰", opposing="常州宏达建筑劳务有限公司", summary=FIRST_SUMMARY)
    s.decide(first, days_ago=37)
    s.assign(first, days_ago=36)
    online = s.register(
        days_ago=30, name="刘建军", opposing="常州恒通物流有限公司", channel="online", kind=INJURY, region="320404"
    )
    s.decide(online, days_ago=25)
    s.assign(online, days_ago=24)
    phoned = s.register(days_ago=26, name="陈桂芳", opposing="常州美佳电子有限公司", channel="phone", region="320411")
    services.application_request_materials(
        application=phoned, items=["近三个月工资条", "考勤记录"], by=s.users["lac"], now=s.at(24, 10)
    )
    phoned.refresh_from_db()
    services.application_materials_received(application=phoned, by=s.users["lac"], now=s.at(20, 11))
    s.decide(phoned, days_ago=17)
    s.assign(phoned, days_ago=16)

    # Stations register and forward; the centre decides (one assigned a day late).
    union = s.register(
        "常州市总工会",
        "union",
        days_ago=21,
        name="孙志刚",
        opposing="常州鑫源机械制造有限公司",
        channel="station",
        region="320400",
    )
    services.application_forward(application=union, by=s.users["union"], now=s.at(21, 11))
    s.decide(union, days_ago=17)
    s.assign(union, days_ago=13)
    women = s.register(
        "常州市妇女联合会",
        "women",
        days_ago=15,
        name="周晓燕",
        opposing="",
        channel="station",
        kind=FAMILY,
        region="320411",
        urgent=True,
        summary="遭受家庭暴力，申请人身安全保护令并提起离婚诉讼，诉讼时效紧迫。",
    )
    services.application_forward(application=women, by=s.users["women"], now=s.at(15, 10))
    women.refresh_from_db()
    s.assign(women, days_ago=15)  # urgent: assigned before the decision (Art. 44)
    s.decide(women, days_ago=13)
    chashan = s.register(
        "天宁区茶山街道法律援助工作站",
        "station",
        days_ago=9,
        name="吴长青",
        opposing="常州天宁某物业管理有限公司",
        channel="station",
        kind=DISABLED,
    )
    services.application_forward(application=chashan, by=s.users["station"], now=s.at(8, 10))
    s.register(
        "共青团常州市委员会",
        "youth",
        days_ago=0,
        name="郑子涵",
        opposing="常州某培训学校",
        channel="station",
        region="320400",
        kind={**INJURY, "beneficiary_group": "students", "category": "consumer"},
        summary="在校学生实习期间受伤，实习单位拒绝赔偿。",
    )

    # Notices (Art. 36): a minor's case, a life-imprisonment case, one still to assign.
    minor = s.register(
        days_ago=11,
        name="马小龙",
        opposing="",
        channel="court_notice",
        kind={**CRIMINAL, "beneficiary_group": "minors", "category": "minors"},
        court_or_agency="常州市天宁区人民法院",
        summary="未成年人涉嫌盗窃，人民法院通知指派辩护律师。",
    )
    s.decide(minor, days_ago=11)
    s.assign(minor, days_ago=10)
    life = s.register(
        days_ago=8,
        name="胡国强",
        opposing="",
        channel="procuratorate_notice",
        kind=CRIMINAL,
        max_penalty="life",
        court_or_agency="常州市人民检察院",
        summary="涉嫌故意伤害致人死亡，可能判处无期徒刑，人民检察院通知指派辩护律师。",
    )
    s.decide(life, days_ago=7)
    s.assign(life, days_ago=6)
    police = s.register(
        days_ago=1,
        name="林浩然",
        opposing="",
        channel="police_notice",
        kind=CRIMINAL,
        court_or_agency="常州市公安局钟楼分局",
        region="320404",
        summary="犯罪嫌疑人系聋哑人，公安机关通知指派律师。",
    )
    s.decide(police, days_ago=0)

    # Refusals: final (decided two days late), objected to and rejected, upheld and then approved,
    # pending, overdue.
    s.decide(
        s.register(days_ago=18, name="高德明", opposing="常州某小区业主委员会", kind=ELDERLY, region="320412"),
        days_ago=9,
        approve=False,
        reasons="所涉事项不属于法律援助范围。",
    )
    rejected = s.decide(
        s.register(days_ago=22, name="罗春燕", opposing="常州金鼎商贸有限公司"), days_ago=18, approve=False
    )
    services.objection_register(application=rejected, grounds="家庭收入计算有误。", by=s.users["lac"], now=s.at(16))
    rejected.refresh_from_db()
    services.objection_decide(
        application=rejected, upheld=False, reasons="经核查，原决定正确，予以维持。", by=s.bureau, now=s.at(13)
    )
    upheld = s.decide(
        s.register(days_ago=20, name="谢玉兰", opposing="常州顺达运输有限公司", kind=INJURY, region="320404"),
        days_ago=16,
        approve=False,
    )
    services.objection_register(
        application=upheld, grounds="申请人系追索工伤赔偿，依法免予经济困难审查。", by=s.users["lac"], now=s.at(15)
    )
    upheld.refresh_from_db()
    services.objection_decide(
        application=upheld, upheld=True, reasons="属于免予审查经济困难情形，责令重新审查。", by=s.bureau, now=s.at(12)
    )
    s.decide(upheld, days_ago=10)
    s.assign(upheld, days_ago=9)
    pending = s.decide(
        s.register(days_ago=7, name="宋欣怡", opposing="常州某房地产开发有限公司", kind=ELDERLY, region="320411"),
        days_ago=4,
        approve=False,
    )
    services.objection_register(
        application=pending, grounds="申请人无固定生活来源，应予援助。", by=s.users["lac"], now=s.at(1)
    )
    late_objection = s.decide(
        s.register(days_ago=16, name="唐立军", opposing="常州华润纺织有限公司"), days_ago=13, approve=False
    )
    services.objection_register(
        application=late_objection, grounds="申请人为农民工追索劳动报酬，依法免予审查。", by=s.users["lac"], now=s.at(9)
    )

    # The clock: overdue decisions, materials awaited, within time.
    s.register(days_ago=11, name="冯雪梅", opposing="常州富强五金厂", region="320413")
    waiting = s.register(days_ago=6, name="邓国平", opposing="常州某装饰工程有限公司", kind=INJURY, region="320481")
    services.application_request_materials(
        application=waiting, items=["工伤认定书", "劳动能力鉴定结论"], by=s.users["lac"], now=s.at(4)
    )
    waiting2 = s.register(days_ago=3, name="曹丽娟", opposing="常州某家政服务有限公司", kind=FAMILY)
    services.application_request_materials(
        application=waiting2, items=["结婚证复印件", "报警回执"], by=s.users["lac"], now=s.at(2)
    )
    s.register(days_ago=2, name="彭振华", opposing="常州某汽车配件有限公司", region="320404")
    s.register(
        days_ago=0,
        name="田小燕",
        opposing="常州某电子商务有限公司",
        urgent=True,
        summary="劳动仲裁时效将于五日内届满，申请先行提供法律援助。",
    )

    # Assignment: one overdue, law firms naming handlers, a conflict, handlers' refusals.
    s.decide(
        s.register(days_ago=9, name="袁桂英", opposing="常州某纺织印染有限公司", region="320412"),
        days_ago=6,
    )
    # Approved yesterday in the outer districts, waiting for the centre to assign (within 3 days,
    # Art. 43): the lawyers of 新北区, 金坛区 and 溧阳市 are candidates for a matter of their own
    # district.
    for name, opposing, region in (
        ("周志刚", "常州新北某建筑劳务有限公司", "320411"),
        ("吴秀珍", "常州金坛某服装有限公司", "320413"),
        ("钱立新", "溧阳某水泥制品有限公司", "320481"),
    ):
        s.decide(s.register(days_ago=2, name=name, opposing=opposing, region=region), days_ago=1)
    # A city-wide matter: the firm (in 天宁区) and its lawyers (in other districts) may all take it.
    named = s.decide(
        s.register(days_ago=9, name="潘振宇", opposing="常州某钢结构有限公司", region="320400"), days_ago=7
    )
    s.to_firm(named, "江苏龙城律师事务所", days_ago=7)
    handler = s.best(named, firm="江苏龙城律师事务所")
    if handler is not None:
        assignment.firm_name_handler(task_id=named.case_id, volunteer=handler, by=s.users["longcheng"], now=s.at(6))
    awaiting = s.decide(
        s.register(days_ago=2, name="蒋慧", opposing="常州某包装材料有限公司", kind=INJURY, region="320404"),
        days_ago=1,
    )
    s.to_firm(awaiting, "江苏明理律师事务所", days_ago=0, hour=8)
    late_firm = s.decide(s.register(days_ago=5, name="蔡永刚", opposing="常州某混凝土有限公司"), days_ago=3)
    s.to_firm(late_firm, "江苏龙城律师事务所", days_ago=2)
    # 李建华's son's wife 王秀兰 is the first matter's applicant: its lawyer shows the conflict.
    s.decide(
        s.register(
            days_ago=1,
            name="李建华",
            opposing="王秀兰",
            kind=ELDERLY,
            summary="老人起诉儿媳履行赡养义务，儿媳拒不支付赡养费。",
        ),
        days_ago=0,
    )
    refusing = s.decide(
        s.register(days_ago=5, name="肖梦瑶", opposing="常州某餐饮管理有限公司", region="320404"),
        days_ago=4,
    )
    claim = s.assign(refusing, days_ago=3)
    if claim is not None:
        market.claim_decline(
            claim=claim,
            reason="本人近期需长期出差办理其他案件，无法保证会见和出庭时间。",
            by=claim.volunteer.user,
            now=s.at(1),
        )
    kept = s.decide(
        s.register(days_ago=12, name="韩德华", opposing="常州某化工有限公司", kind=INJURY, region="320404"),
        days_ago=10,
    )
    claim = s.assign(kept, days_ago=9)
    if claim is not None:
        market.claim_decline(claim=claim, reason="工作太忙。", by=claim.volunteer.user, now=s.at(8))
        market.claim_refusal_rule(claim=claim, accepted=False, by=s.users["lac"], now=s.at(7))

    # The Wujin district centre.
    s.decide(
        s.register(wujin, "wujin", days_ago=5, name="沈建国", opposing="常州武进某机电有限公司", region="320412"),
        days_ago=2,
        by="wujin",
    )
