"""Demo organisations, regions and staff accounts for Changzhou (DOMAIN.md)."""

from datetime import datetime

from django.contrib.auth.models import User

from organizations.models import OrganizationKind as K
from organizations.models import Role
from organizations.services import membership_grant, organization_create, region_create

DEMO_PASSWORD = "legalaid-demo-2026"  # noqa: S105 (demo accounts only, printed by make run)

REGIONS = [
    # code, name, English name, parent code
    ("320000", "江苏省", "Jiangsu", None),
    ("320400", "常州市", "Changzhou", "320000"),
    ("320402", "天宁区", "Tianning", "320400"),
    ("320404", "钟楼区", "Zhonglou", "320400"),
    ("320411", "新北区", "Xinbei", "320400"),
    ("320412", "武进区", "Wujin", "320400"),
    ("320413", "金坛区", "Jintan", "320400"),
    ("320481", "溧阳市", "Liyang", "320400"),
]

ORGANIZATIONS = [
    # key, name, English name, kind, region
    ("lac", "常州市法律援助中心", "Changzhou Legal Aid Centre", K.LEGAL_AID_CENTER, "320400"),
    ("wujin_lac", "常州市武进区法律援助中心", "Wujin District Legal Aid Centre", K.LEGAL_AID_CENTER, "320412"),
    ("bureau", "常州市司法局", "Changzhou Justice Bureau", K.JUSTICE_BUREAU, "320400"),
    ("tianning_bureau", "常州市天宁区司法局", "Tianning District Justice Bureau", K.JUSTICE_BUREAU, "320402"),
    ("association", "常州市律师协会", "Changzhou Lawyers' Association", K.LAWYERS_ASSOCIATION, "320400"),
    ("union", "常州市总工会", "Changzhou Federation of Trade Unions", K.TRADE_UNION, "320400"),
    ("women", "常州市妇女联合会", "Changzhou Women's Federation", K.WOMENS_FEDERATION, "320400"),
    ("disability", "常州市残疾人联合会", "Changzhou Disabled Persons' Federation", K.DISABILITY_FEDERATION, "320400"),
    ("youth", "共青团常州市委员会", "Changzhou Communist Youth League Committee", K.YOUTH_LEAGUE, "320400"),
    ("clinic", "常州大学史良法学院法律诊所", "Changzhou University Law Clinic", K.LAW_SCHOOL, "320411"),
    (
        "station_chashan",
        "天宁区茶山街道法律援助工作站",
        "Chashan Street Legal Aid Station",
        K.COMMUNITY_STATION,
        "320402",
    ),
    ("station_hutang", "武进区湖塘镇法律援助工作站", "Hutang Town Legal Aid Station", K.COMMUNITY_STATION, "320412"),
    ("firm_longcheng", "江苏龙城律师事务所", "Jiangsu Longcheng Law Firm", K.LAW_FIRM, "320402"),
    ("firm_mingli", "江苏明理律师事务所", "Jiangsu Mingli Law Firm", K.LAW_FIRM, "320404"),
]

STAFF = [
    # username, display name, organisation key, role, what the README says they do
    ("lac", "周静", "lac", Role.COORDINATOR, "coordinator, Changzhou Legal Aid Centre (posts, assigns)"),
    ("wujin", "顾伟", "wujin_lac", Role.COORDINATOR, "coordinator, Wujin District Legal Aid Centre"),
    ("union", "钱立新", "union", Role.COORDINATOR, "coordinator, city trade union"),
    ("women", "沈丽华", "women", Role.COORDINATOR, "coordinator, women's federation"),
    ("disability", "蒋国平", "disability", Role.COORDINATOR, "coordinator, disability federation"),
    ("youth", "陶晓宇", "youth", Role.COORDINATOR, "coordinator, Youth League"),
    ("clinic", "孔文博", "clinic", Role.COORDINATOR, "coordinator, law school clinic"),
    ("station", "许春梅", "station_chashan", Role.COORDINATOR, "coordinator, Chashan community station"),
    ("bureau", "郑建明", "bureau", Role.REVIEWER, "regulator, Changzhou Justice Bureau (whole city)"),
    ("association", "杨德华", "association", Role.REVIEWER, "regulator, Changzhou Lawyers' Association"),
    ("tianning", "韩玉芳", "tianning_bureau", Role.REVIEWER, "regulator, Tianning District Justice Bureau"),
]

# (username, role) pairs printed by `make run`; volunteers.demo adds the providers.
DEMO_LOGINS: list[tuple[str, str]] = [("admin", "site administrator (Django admin)")] + [
    (username, description) for username, _, _, _, description in STAFF
]


def demo_user(username: str, display_name: str, *, superuser: bool = False) -> User:
    """The demo account, created once with the demo password; later runs leave it alone."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=display_name, is_staff=superuser, is_superuser=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed(*, now: datetime) -> None:
    regions = {}
    for code, name, name_en, parent in REGIONS:
        regions[code] = region_create(code=code, name=name, name_en=name_en, parent=regions.get(parent))
    orgs = {
        key: organization_create(name=name, name_en=name_en, kind=kind, region=regions[region])
        for key, name, name_en, kind, region in ORGANIZATIONS
    }
    demo_user("admin", "系统管理员", superuser=True)
    for username, display_name, org_key, role, _ in STAFF:
        membership_grant(user=demo_user(username, display_name), organization=orgs[org_key], role=role)
