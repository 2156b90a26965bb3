"""A province-scale dataset for Jiangsu, written with COPY.

Deterministic (one seeded ``random.Random``): the same scale gives the same rows. Foreign keys are
not checked while loading (``session_replication_role = replica`` skips their triggers; every id is
generated here and points at a row generated here); unique indexes and CHECK constraints stay on.
The task search text and the ledger hash chain come from the apps' own functions, so the bench
measures the data the product would have written itself.
"""

from __future__ import annotations

import random
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import psycopg
from psycopg.types.json import Jsonb

from tests.bench import hooks
from tests.bench.config import Scale
from tests.bench.seed_grown import grown_core, seed_grown

PASSWORD = "bench-password-2026"  # noqa: S105 (a public benchmark fixture, not a secret)

CITIES = [
    ("320100", "南京市"),
    ("320200", "无锡市"),
    ("320300", "徐州市"),
    ("320400", "常州市"),
    ("320500", "苏州市"),
    ("320600", "南通市"),
    ("320700", "连云港市"),
    ("320800", "淮安市"),
    ("320900", "盐城市"),
    ("321000", "扬州市"),
    ("321100", "镇江市"),
    ("321200", "泰州市"),
    ("321300", "宿迁市"),
]
CHANGZHOU_DISTRICTS = [
    ("320402", "天宁区"),
    ("320404", "钟楼区"),
    ("320411", "新北区"),
    ("320412", "武进区"),
    ("320413", "金坛区"),
    ("320481", "溧阳市"),
]
DISTRICT_WORDS = ["玄武", "秦淮", "鼓楼", "江宁", "浦口", "六合", "溧水", "高淳", "新吴", "梁溪", "滨湖", "惠山"]

PROVINCE = "320000"
# The city whose providers make the small export; its size is fixed by the scale.
EXPORT_CITY = "320100"
# The city the board benchmark filters on.
BOARD_CITY = "320400"

CATEGORY_WORDS = {
    "labor_wages": ["欠薪", "讨薪", "工资拖欠", "劳动合同"],
    "work_injury": ["工伤认定", "工伤赔偿", "职业病"],
    "family": ["离婚纠纷", "抚养权", "婚姻家庭"],
    "domestic_violence": ["家庭暴力", "人身安全保护令"],
    "maintenance": ["赡养费", "抚养费"],
    "elderly_rights": ["老年人权益", "养老保险"],
    "disability_rights": ["残疾人权益", "无障碍"],
    "minors": ["未成年人保护", "校园欺凌"],
    "consumer": ["消费维权", "退款纠纷"],
    "housing_land": ["房屋租赁", "土地承包", "拆迁补偿"],
    "administrative": ["行政复议", "行政诉讼"],
    "criminal": ["刑事辩护", "取保候审"],
    "other": ["法律咨询", "合同审查"],
}
CATEGORY_WEIGHTS = {
    "labor_wages": 25,
    "work_injury": 10,
    "family": 10,
    "domestic_violence": 5,
    "maintenance": 5,
    "elderly_rights": 6,
    "disability_rights": 5,
    "minors": 5,
    "consumer": 6,
    "housing_land": 8,
    "administrative": 5,
    "criminal": 6,
    "other": 4,
}
KIND_WORDS = {
    "consultation": "法律咨询",
    "document_drafting": "法律文书代写",
    "criminal_defense": "刑事辩护",
    "civil_representation": "民事诉讼代理",
    "mediation_arbitration": "劳动仲裁代理",
    "duty_shift": "值班律师",
    "outreach": "普法宣传",
}
KIND_WEIGHTS = {
    "consultation": 30,
    "document_drafting": 10,
    "criminal_defense": 8,
    "civil_representation": 15,
    "mediation_arbitration": 12,
    "duty_shift": 15,
    "outreach": 10,
}
GROUP_WORDS = {
    "migrant_workers": "农民工",
    "workers": "职工",
    "women": "妇女",
    "minors": "未成年人",
    "elderly": "老年人",
    "disabled": "残疾人",
    "students": "学生",
    "veterans": "退役军人",
    "general": "群众",
}
GROUP_WEIGHTS = {
    "migrant_workers": 25,
    "workers": 15,
    "women": 12,
    "minors": 8,
    "elderly": 10,
    "disabled": 8,
    "students": 5,
    "veterans": 5,
    "general": 12,
}
VOLUNTEER_KINDS = {
    "lawyer": 60,
    "notary": 5,
    "grassroots_worker": 10,
    "legal_aid_staff": 5,
    "law_student": 10,
    "citizen_volunteer": 10,
}
LICENCE_PREFIX = {"lawyer": "13201", "notary": "23201", "grassroots_worker": "33201"}
# (min_hours, min_cases) of the seeded province rule for each kind; satisfied by either.
RULES = {
    "lawyer": (Decimal("50.00"), 2),
    "notary": (Decimal("30.00"), 1),
    "grassroots_worker": (Decimal("30.00"), 1),
    "legal_aid_staff": (Decimal("40.00"), 0),
    "law_student": (Decimal("20.00"), 0),
    "citizen_volunteer": (Decimal("20.00"), 0),
}
HOURS_CHOICES = [Decimal(x) for x in ("1.00", "1.50", "2.00", "2.50", "3.00", "4.00", "4.00", "6.00", "8.00")]
POSTING_KINDS = [
    ("trade_union", "总工会", 10),
    ("womens_federation", "妇联", 6),
    ("disability_federation", "残联", 5),
    ("youth_league", "团委", 4),
    ("law_school", "法律诊所", 4),
    ("community_station", "社区法律援助工作站", 30),
    ("government_department", "人社局", 3),
]


@dataclass
class Seeded:
    """What the measurements need to know about the seeded data."""

    scale: str
    now: datetime
    year: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    regulator_token: str = ""
    coordinator_token: str = ""
    pool: list[dict] = field(default_factory=list)  # [{"volunteer": id, "user": id, "token": key}]
    contention_tasks: list[int] = field(default_factory=list)
    solo_task: int = 0
    ws_tasks: list[int] = field(default_factory=list)
    progress_volunteer: int = 0
    progress_token: str = ""
    # The grown product (seed_grown.py): the busiest legal aid centre and its coordinator.
    centre: int = 0
    centre_user: int = 0
    centre_token: str = ""
    export_city: str = EXPORT_CITY
    board_city: str = BOARD_CITY
    province: str = PROVINCE

    def as_dict(self) -> dict:
        return {
            "scale": self.scale,
            "now": self.now.isoformat(),
            "year": self.year,
            "counts": self.counts,
            "seconds": self.seconds,
            "regulator_token": self.regulator_token,
            "coordinator_token": self.coordinator_token,
            "pool": self.pool,
            "contention_tasks": self.contention_tasks,
            "solo_task": self.solo_task,
            "ws_tasks": self.ws_tasks,
            "progress_volunteer": self.progress_volunteer,
            "progress_token": self.progress_token,
            "centre": self.centre,
            "centre_user": self.centre_user,
            "centre_token": self.centre_token,
            "export_city": self.export_city,
            "board_city": self.board_city,
            "province": self.province,
        }


def _weighted(rng: random.Random, weights: dict[str, int], n: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=n)


def _unwritten_required_fields(table: str, columns: list[str]) -> list:
    """The model's fields that the seeder does not write but the table requires (NOT NULL, with a
    Python-side default or an empty string): a field added to a model later needs no change here."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.db_table == table:
            return [
                f
                for f in model._meta.concrete_fields
                if f.column not in columns and not f.null and not f.primary_key and f.get_default() is not None
            ]
    return []


def _copy(cur: psycopg.Cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    extra = _unwritten_required_fields(table, columns)
    cols = ", ".join(f'"{c}"' for c in [*columns, *(f.column for f in extra)])
    with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as cp:
        for row in rows:
            if extra:
                defaults = [f.get_default() for f in extra]
                row = [*row, *(Jsonb(v) if isinstance(v, list | dict) else v for v in defaults)]
            cp.write_row(row)
            n += 1
    return n


BULK_TABLES = ("marketplace_aidtask", "marketplace_claim", "duties_hourlog", "duties_dutyentry")


def _drop_plain_indexes(cur: psycopg.Cursor, tables: tuple[str, ...]) -> list[str]:
    """Drop the indexes that are not constraints (rebuilt in bulk after the load, much faster
    than maintained row by row); returns their definitions. Primary keys and unique
    constraints stay, so duplicates are still refused while loading."""
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND i.indexname NOT IN (SELECT conname FROM pg_constraint)",
        (list(tables),),
    )
    rows = cur.fetchall()
    for name, _ in rows:
        cur.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _reset_sequence(cur: psycopg.Cursor, table: str, column: str = "id") -> None:
    cur.execute(
        f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX("{column}") FROM "{table}"), 1))',
        (table, column),
    )


def seed(dsn: str, scale: Scale, *, now: datetime | None = None, log=print) -> Seeded:
    """Fill an empty, migrated database with the dataset of ``scale``."""
    started = time.monotonic()
    rng = random.Random(20260101)  # noqa: S311
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    year = now.year
    out = Seeded(scale=scale.name, now=now, year=year)
    password_hash = hooks.password_hash(PASSWORD)
    search_text = hooks.search_text_function()
    case_kinds = hooks.case_kinds()
    credit_kind_of, counted_by_default = hooks.credit_kinds()
    certified = hooks.certified_review_statuses()

    def step(label: str, t0: float) -> None:
        log(f"  seeded {label} in {time.monotonic() - t0:.1f}s")

    with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '256MB'")
        index_definitions = _drop_plain_indexes(cur, BULK_TABLES)

        # ---- regions
        t0 = time.monotonic()
        regions = [(PROVINCE, "江苏省", "Jiangsu", None, f"{PROVINCE}/")]
        districts_by_city: dict[str, list[str]] = {}
        district_name: dict[str, str] = {}
        for city_code, city_name in CITIES:
            regions.append((city_code, city_name, "", PROVINCE, f"{PROVINCE}/{city_code}/"))
            if city_code == "320400":
                districts = CHANGZHOU_DISTRICTS[: max(scale.districts_per_city, 2)]
            else:
                districts = [
                    (f"{city_code[:4]}{i + 2:02d}", f"{city_name[:-1]}{DISTRICT_WORDS[i % len(DISTRICT_WORDS)]}区")
                    for i in range(scale.districts_per_city)
                ]
            districts_by_city[city_code] = [code for code, _ in districts]
            for code, name in districts:
                district_name[code] = name
                regions.append((code, name, "", city_code, f"{PROVINCE}/{city_code}/{code}/"))
        region_cols = ["code", "name", "name_en", "parent_id", "path"]
        out.counts["regions"] = _copy(cur, "organizations_region", region_cols, regions)
        city_of = {code: city for city, codes in districts_by_city.items() for code in codes}
        all_districts = [code for codes in districts_by_city.values() for code in codes]
        other_districts = [c for c in all_districts if city_of[c] != EXPORT_CITY]
        step("regions", t0)

        # ---- organisations
        t0 = time.monotonic()
        orgs: list[tuple] = []  # (id, name, kind, region)

        def add_org(name: str, kind: str, region: str) -> int:
            orgs.append((len(orgs) + 1, name, kind, region))
            return len(orgs)

        province_bureau = add_org("江苏省司法厅", "justice_bureau", PROVINCE)
        add_org("江苏省律师协会", "lawyers_association", PROVINCE)
        province_center = add_org("江苏省法律援助中心", "legal_aid_center", PROVINCE)
        posting_orgs = [province_center]
        for city_code, city_name in CITIES:
            add_org(f"{city_name}司法局", "justice_bureau", city_code)
            add_org(f"{city_name}律师协会", "lawyers_association", city_code)
            posting_orgs.append(add_org(f"{city_name}法律援助中心", "legal_aid_center", city_code))
        law_firms: list[int] = []
        remaining = scale.organizations - len(orgs)
        n_firms = remaining * 55 // 100
        for i in range(n_firms):
            d = rng.choice(all_districts)
            law_firms.append(add_org(f"江苏{district_name[d]}第{i + 1}律师事务所", "law_firm", d))
        kinds = [k for k, _, _ in POSTING_KINDS]
        labels = {k: label for k, label, _ in POSTING_KINDS}
        drawn = rng.choices(kinds, weights=[w for _, _, w in POSTING_KINDS], k=scale.organizations - len(orgs))
        for i, kind in enumerate(drawn):
            d = rng.choice(all_districts)
            posting_orgs.append(add_org(f"{district_name[d]}{labels[kind]}{i + 1}", kind, d))
        org_region = {oid: region for oid, _, _, region in orgs}
        out.counts["organizations"] = _copy(
            cur,
            "organizations_organization",
            ["id", "name", "name_en", "kind", "region_id", "address", "phone", "created_at"],
            ((oid, name, "", kind, region, "", "", now - timedelta(days=900)) for oid, name, kind, region in orgs),
        )
        step("organisations", t0)

        # ---- users: regulator, bench coordinator, one coordinator per posting org, then providers
        t0 = time.monotonic()
        users: list[tuple] = []
        memberships: list[tuple] = []
        tokens: list[tuple] = []

        def add_user(username: str, first_name: str) -> int:
            uid = len(users) + 1
            joined = now - timedelta(days=rng.randint(30, 2000))
            users.append((uid, password_hash, None, False, username, first_name, "", "", False, True, joined))
            return uid

        def add_token(uid: int) -> str:
            key = secrets.token_hex(20)
            tokens.append((key, now, uid))
            return key

        regulator = add_user("bench_regulator", "省审核")
        memberships.append((len(memberships) + 1, "reviewer", now, province_bureau, regulator))
        out.regulator_token = add_token(regulator)
        bench_coordinator = add_user("bench_coordinator", "省协调")
        memberships.append((len(memberships) + 1, "coordinator", now, province_center, bench_coordinator))
        out.coordinator_token = add_token(bench_coordinator)
        coordinator_of: dict[int, int] = {province_center: bench_coordinator}
        for oid in posting_orgs[1:]:
            uid = add_user(f"coord{oid}", f"协调员{oid}")
            memberships.append((len(memberships) + 1, "coordinator", now, oid, uid))
            coordinator_of[oid] = uid

        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
        given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红"
        volunteers: list[tuple] = []
        v_kind: list[str] = [""]  # 1-based
        v_region: list[str] = [""]
        v_licensed: list[date | None] = [None]
        n_regular = scale.providers - scale.pool
        kinds_drawn = _weighted(rng, VOLUNTEER_KINDS, n_regular)
        for i in range(scale.providers):
            vid = i + 1
            is_pool = i >= n_regular
            kind = "lawyer" if is_pool else kinds_drawn[i]
            if is_pool:
                region = "320402"
            elif i < scale.small_export_city_providers:
                region = rng.choice(districts_by_city[EXPORT_CITY])
            else:
                region = rng.choice(other_districts)
            name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
            uid = add_user(f"p{vid:06d}", name)
            licensed = None
            licence = ""
            if kind in LICENCE_PREFIX:
                licence = f"{LICENCE_PREFIX[kind]}{vid:010d}"
                licensed = (
                    date(year, rng.randint(1, 6), rng.randint(1, 28))
                    if (not is_pool and rng.random() < 0.03)
                    else date(rng.randint(2000, year - 2), rng.randint(1, 12), rng.randint(1, 28))
                )
            firm = rng.choice(law_firms) if kind == "lawyer" and law_firms else None
            status = "verified" if is_pool or rng.random() < 0.94 else rng.choice(["pending", "suspended"])
            specialties = rng.sample(list(CATEGORY_WORDS), k=rng.randint(1, 3))
            volunteers.append(
                (
                    vid,
                    kind,
                    licence,
                    licensed,
                    firm,
                    region,
                    Jsonb(specialties),
                    Jsonb(["zh"]),
                    f"139{vid:08d}",
                    status,
                    "",
                    None,
                    None,
                    now - timedelta(days=rng.randint(30, 2000)),
                    uid,
                )
            )
            v_kind.append(kind)
            v_region.append(region)
            v_licensed.append(licensed)
            if is_pool:
                out.pool.append({"volunteer": vid, "user": uid, "token": add_token(uid)})
        out.counts["users"] = _copy(
            cur,
            "auth_user",
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            users,
        )
        out.counts["providers"] = _copy(
            cur,
            "volunteers_volunteer",
            [
                "id",
                "kind",
                "licence_number",
                "licensed_on",
                "practice_org_id",
                "region_id",
                "specialties",
                "languages",
                "phone",
                "status",
                "status_note",
                "status_changed_by_id",
                "status_changed_at",
                "created_at",
                "user_id",
            ],
            volunteers,
        )
        out.counts["memberships"] = _copy(
            cur, "organizations_membership", ["id", "role", "created_at", "organization_id", "user_id"], memberships
        )
        _copy(cur, "authtoken_token", ["key", "created", "user_id"], tokens)
        step("users and providers", t0)

        # ---- tasks
        t0 = time.monotonic()
        n_bench = scale.contention_tasks + 1 + 2
        n_regular_tasks = scale.tasks - n_bench
        t_kind = _weighted(rng, KIND_WEIGHTS, n_regular_tasks)
        t_cat = _weighted(rng, CATEGORY_WEIGHTS, n_regular_tasks)
        t_group = _weighted(rng, GROUP_WEIGHTS, n_regular_tasks)
        status_weights = {"open": 30, "completed": 50, "filled": 8, "cancelled": 7, "draft": 5}
        t_status = _weighted(rng, status_weights, n_regular_tasks)
        tasks: list[tuple] = []
        task_meta: list[tuple] = []  # (status, seats, kind, starts_at, org, requires_approval)
        for i in range(n_regular_tasks):
            tid = i + 1
            org = rng.choice(posting_orgs)
            region = org_region[org]
            if region == PROVINCE or len(region) == 6 and region.endswith("00"):
                region = rng.choice(districts_by_city.get(region, all_districts))
            kind, cat, group, status = t_kind[i], t_cat[i], t_group[i], t_status[i]
            if status in ("completed",):
                starts = now - timedelta(days=rng.uniform(1, 420))
            elif status == "cancelled":
                starts = now + timedelta(days=rng.uniform(-300, 90))
            else:
                starts = now + timedelta(days=rng.uniform(0.1, 180))
            starts = starts.replace(minute=0, second=0, microsecond=0)
            hours = rng.choice([2, 3, 4, 8])
            ends = starts + timedelta(hours=hours)
            seats = rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
            word = rng.choice(CATEGORY_WORDS[cat])
            title = f"{district_name[region]}{GROUP_WORDS[group]}{word}{KIND_WORDS[kind]}"
            summary = (
                f"为{district_name[region]}{GROUP_WORDS[group]}提供{word}方面的{KIND_WORDS[kind]}，"
                f"涉及{rng.choice(CATEGORY_WORDS[cat])}等问题。地点：{district_name[region]}法律援助工作站。"
            )
            approval = rng.random() < 0.2
            tasks.append(
                [
                    tid,
                    title,
                    summary,
                    kind,
                    cat,
                    group,
                    f"{district_name[region]}法律援助工作站",
                    rng.random() < 0.1,
                    starts,
                    ends,
                    starts - timedelta(days=1),
                    seats,
                    0,
                    Decimal(hours).quantize(Decimal("0.01")),
                    Jsonb(["lawyer"] if kind in case_kinds else []),
                    approval,
                    status,
                    "",
                    search_text(title, summary),
                    "平台测试取消" if status == "cancelled" else "",
                    starts - timedelta(days=rng.uniform(2, 30)),
                    now - timedelta(days=rng.uniform(0, 5)),
                    coordinator_of[org],
                    org,
                    region,
                ]
            )
            task_meta.append((status, seats, kind, starts, org, approval))

        # The measurement tasks: remote, open to every kind, no approval, each in its own time slot
        # so one provider's accepted claims never overlap.
        base = (now + timedelta(days=30)).replace(hour=1, minute=0, second=0, microsecond=0)

        def add_bench_task(title: str, seats: int, starts: datetime) -> int:
            tid = len(tasks) + 1
            summary = "基准测试任务：远程法律咨询。"
            tasks.append(
                [
                    tid,
                    title,
                    summary,
                    "consultation",
                    "other",
                    "general",
                    "远程",
                    True,
                    starts,
                    starts + timedelta(hours=2),
                    starts - timedelta(hours=1),
                    seats,
                    0,
                    Decimal("2.00"),
                    Jsonb([]),
                    False,
                    "open",
                    "",
                    search_text(title, summary),
                    "",
                    now - timedelta(days=1),
                    now - timedelta(days=1),
                    bench_coordinator,
                    province_center,
                    PROVINCE,
                ]
            )
            task_meta.append(("open", seats, "consultation", starts, province_center, False))
            return tid

        for i in range(scale.contention_tasks):
            out.contention_tasks.append(add_bench_task(f"基准争抢任务{i + 1}", 5, base + timedelta(days=i)))
        big = scale.pool * 4
        out.solo_task = add_bench_task("基准单次认领任务", big, base + timedelta(days=scale.contention_tasks + 1))
        out.ws_tasks = [
            add_bench_task("基准推送任务（内存）", big, base + timedelta(days=scale.contention_tasks + 2)),
            add_bench_task("基准推送任务（Redis）", big, base + timedelta(days=scale.contention_tasks + 3)),
        ]
        step("tasks generated", t0)

        # ---- claims: spread over the regular non-draft tasks, exactly ``scale.claims`` of them
        t0 = time.monotonic()
        per_task = [0 if meta[0] == "draft" else rng.randint(0, 6) for meta in task_meta[:n_regular_tasks]]
        claimable = [i for i, m in enumerate(task_meta[:n_regular_tasks]) if m[0] != "draft"]
        diff = scale.claims - sum(per_task)
        while diff:
            i = rng.choice(claimable)
            if diff > 0 and per_task[i] < 12:
                per_task[i] += 1
                diff -= 1
            elif diff < 0 and per_task[i] > 0:
                per_task[i] -= 1
                diff += 1
        claims: list[tuple] = []
        worked: list[tuple] = []  # (claim id, volunteer, task index, completed?)
        for i, n in enumerate(per_task):
            if not n:
                continue
            status, seats, kind, starts, org, approval = task_meta[i]
            vols = set()
            while len(vols) < n:
                vols.add(rng.randint(1, n_regular))
            taken = 0
            if status == "open":
                accept_n = rng.randint(0, seats - 1)
            elif status == "filled":
                accept_n = seats
            else:
                accept_n = seats
            for j, vid in enumerate(sorted(vols)):
                cid = len(claims) + 1
                created = starts - timedelta(days=rng.uniform(1.5, 20))
                decided_at = None
                decided_by = None
                if status == "completed":
                    c_status = "completed" if j < accept_n else rng.choice(["withdrawn", "declined"])
                elif status == "cancelled":
                    c_status = "cancelled"
                elif status == "filled":
                    c_status = "accepted" if j < accept_n else "waitlisted"
                else:  # open
                    if j < accept_n:
                        c_status = "accepted"
                    else:
                        c_status = "requested" if approval else "withdrawn"
                if c_status in ("accepted", "completed"):
                    taken += 1
                    if approval:
                        decided_at = created + timedelta(hours=5)
                        decided_by = coordinator_of[org]
                    worked.append((cid, vid, i, c_status == "completed"))
                claims.append(
                    (
                        cid,
                        c_status,
                        False,
                        "" if c_status not in ("withdrawn", "declined", "cancelled") else "时间冲突",
                        False,
                        created + timedelta(hours=6) if c_status in ("accepted", "completed") else None,
                        decided_at,
                        created,
                        created + timedelta(hours=1),
                        None,
                        decided_by,
                        i + 1,
                        vid,
                    )
                )
            tasks[i][12] = taken
            if status == "open" and taken >= seats:
                tasks[i][16] = "filled"
        out.counts["tasks"] = _copy(
            cur,
            "marketplace_aidtask",
            [
                "id",
                "title",
                "summary",
                "kind",
                "category",
                "beneficiary_group",
                "location",
                "is_remote",
                "starts_at",
                "ends_at",
                "claim_deadline",
                "seats",
                "seats_taken",
                "estimated_hours",
                "eligible_kinds",
                "requires_approval",
                "status",
                "confidential_ciphertext",
                "search_text",
                "cancel_reason",
                "created_at",
                "updated_at",
                "created_by_id",
                "organization_id",
                "region_id",
            ],
            tasks,
        )
        out.counts["claims"] = _copy(
            cur,
            "marketplace_claim",
            [
                "id",
                "status",
                "is_assignment",
                "reason",
                "declined_by_provider",
                "no_conflict_confirmed_at",
                "decided_at",
                "created_at",
                "updated_at",
                "assigned_by_id",
                "decided_by_id",
                "task_id",
                "volunteer_id",
            ],
            claims,
        )
        step("tasks and claims", t0)

        # ---- hour logs and the duty ledger: credits of worked claims, in time order, hash-chained
        t0 = time.monotonic()
        today = now.date()
        # [when, volunteer, kind, hours, cases, claim, occurred_on, coordinator, reverses_idx, credit kind]
        entries: list[list] = []
        target = scale.ledger_entries
        reversals = target // 100
        credit_target = target - reversals
        rng.shuffle(worked)
        k = 0
        while len(entries) < credit_target and worked:
            cid, vid, ti, completed = worked[k % len(worked)]
            k += 1
            status, seats, kind, starts, org, approval = task_meta[ti]
            day = (starts + timedelta(days=rng.randint(0, 3))).date()
            if day > today:
                continue
            when = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC) + timedelta(
                days=rng.randint(0, 5), seconds=rng.randint(0, 86399)
            )
            when = min(when, now - timedelta(seconds=rng.randint(1, 3600)))
            credit = credit_kind_of(kind)
            if k <= len(worked) and completed and kind in case_kinds:
                entries.append([when, vid, "case", Decimal("0.00"), 1, cid, day, coordinator_of[org], None, credit])
            else:
                hours = rng.choice(HOURS_CHOICES)
                entries.append([when, vid, "hours", hours, 0, cid, day, coordinator_of[org], None, credit])
            if k > len(worked) * 20:
                break
        entries = entries[:credit_target]
        hour_idx = [i for i, e in enumerate(entries) if e[2] == "hours"]
        for i in rng.sample(hour_idx, min(reversals, len(hour_idx))):
            orig = entries[i]
            when = min(orig[0] + timedelta(days=rng.randint(1, 20)), now - timedelta(seconds=1))
            entries.append([when, orig[1], "reversal", -orig[3], 0, orig[5], orig[6], orig[7], i, orig[9]])
        order = sorted(range(len(entries)), key=lambda i: entries[i][0])
        id_of = {old: new + 1 for new, old in enumerate(order)}
        hasher = hooks.ledger_hasher()
        ledger_columns = ("id", *hooks.ledger_hashed_fields(), "prev_hash", "hash")
        hour_logs: list[tuple] = []
        ledger_rows: list[tuple] = []
        prev = hooks.GENESIS
        sums: dict[tuple[int, int], list] = defaultdict(lambda: [Decimal("0.00"), 0])
        last_hash_in_year: dict[int, str] = {}
        for new_idx, old in enumerate(order):
            e = entries[old]
            when, vid, kind, hours, cases, cid, day, coord, rev, credit = e
            eid = new_idx + 1
            hour_log_id = None
            if kind == "hours":
                hour_log_id = len(hour_logs) + 1
                hour_logs.append(
                    (
                        hour_log_id,
                        day,
                        hours,
                        hours,
                        "",
                        "",
                        "confirmed",
                        when,
                        when - timedelta(hours=2),
                        cid,
                        coord,
                        vid,
                    )
                )
            row = {
                "id": eid,
                "volunteer_id": vid,
                "year": day.year,
                "occurred_on": day,
                "kind": kind,
                "hours": hours,
                "cases": cases,
                "hour_log_id": hour_log_id,
                "claim_id": cid,
                "reverses_id": id_of[rev] if rev is not None else None,
                "reason": "更正" if kind == "reversal" else "",
                "created_by_id": coord,
                "created_at": when,
                "credit_kind": credit,
                "prev_hash": prev,
            }
            row["hash"] = digest = hasher(row)
            ledger_rows.append(tuple(row[name] for name in ledger_columns))
            prev = digest
            if credit in counted_by_default:  # what the seeded rules count (the model's default)
                s = sums[(vid, day.year)]
                s[0] += hours
                s[1] += cases
            last_hash_in_year[day.year] = digest
        entries.clear()
        step("ledger computed", t0)
        t0 = time.monotonic()
        out.counts["hour_logs"] = _copy(
            cur,
            "duties_hourlog",
            [
                "id",
                "date",
                "hours",
                "confirmed_hours",
                "note",
                "comment",
                "status",
                "decided_at",
                "created_at",
                "claim_id",
                "decided_by_id",
                "volunteer_id",
            ],
            hour_logs,
        )
        del hour_logs
        out.counts["ledger_entries"] = _copy(cur, "duties_dutyentry", list(ledger_columns), ledger_rows)
        del ledger_rows
        step("hour logs and ledger copied", t0)

        # ---- quota rules and last year's annual reviews
        t0 = time.monotonic()
        rules = []
        rule_id: dict[tuple[int, str], int] = {}
        for y in (year - 1, year):
            for kind, (h, c) in RULES.items():
                rid = len(rules) + 1
                rules.append((rid, y, kind, h, c, "any", True, now - timedelta(days=400), regulator, PROVINCE))
                rule_id[(y, kind)] = rid
        _copy(
            cur,
            "duties_dutyrule",
            [
                "id",
                "year",
                "volunteer_kind",
                "min_hours",
                "min_cases",
                "satisfied_by",
                "exempt_if_licensed_in_year",
                "created_at",
                "created_by_id",
                "region_id",
            ],
            rules,
        )
        last = year - 1
        opened = datetime(year, 3, 1, 1, tzinfo=UTC)
        reviews = []
        for vid in range(1, scale.providers + 1):
            kind = v_kind[vid]
            h, c = sums.get((vid, last), (Decimal("0.00"), 0))
            min_h, min_c = RULES[kind]
            licensed = v_licensed[vid]
            if licensed is not None and licensed.year == last:
                status = "exempt"
            elif h >= min_h or (min_c and c >= min_c):
                status = "compliant"
            else:
                status = "deficient"
            decided = opened + timedelta(days=rng.randint(1, 60))
            reviews.append(
                (
                    vid,
                    last,
                    status,
                    h,
                    c,
                    last_hash_in_year.get(last, ""),
                    "",
                    opened,
                    False,
                    "",
                    decided,
                    secrets.token_hex(8).upper() if status in certified else None,
                    None,
                    regulator,
                    province_bureau,
                    regulator,
                    v_region[vid],
                    rule_id[(last, kind)],
                    vid,
                )
            )
        out.counts["annual_reviews"] = _copy(
            cur,
            "duties_annualreview",
            [
                "id",
                "year",
                "status",
                "hours",
                "cases",
                "ledger_head_hash",
                "note",
                "opened_at",
                "opened_early",
                "open_reason",
                "decided_at",
                "certificate_code",
                "certificate_revoked_at",
                "decided_by_id",
                "decided_by_org_id",
                "opened_by_id",
                "region_id",
                "rule_id",
                "volunteer_id",
            ],
            reviews,
        )
        step("rules and reviews", t0)

        # The provider whose progress is measured: the one with the most entries this year.
        this_year = [(v, s) for (v, y), s in sums.items() if y == year]
        out.progress_volunteer = max(this_year, key=lambda vs: (vs[1][0], -vs[0]))[0] if this_year else 1
        out.progress_token = secrets.token_hex(20)
        cur.execute(
            'INSERT INTO "authtoken_token" ("key", "created", "user_id") '
            'SELECT %s, %s, "user_id" FROM "volunteers_volunteer" WHERE "id" = %s',
            (out.progress_token, now, out.progress_volunteer),
        )

        # ---- the grown product: applications, cases, subsidies, notices (seed_grown.py)
        t0 = time.monotonic()
        grown = seed_grown(
            cur,
            grown_core(orgs, volunteers, coordinator_of, districts_by_city, district_name, regulator, now, n_regular),
            scale,
            copy=_copy,
            search_text=search_text,
            case_kinds=case_kinds,
            log=log,
        )
        out.counts.update(grown["counts"])
        out.centre, out.centre_user = grown["centre"], grown["centre_user"]
        out.centre_token = secrets.token_hex(20)
        cur.execute(
            'INSERT INTO "authtoken_token" ("key", "created", "user_id") VALUES (%s, %s, %s)',
            (out.centre_token, now, out.centre_user),
        )
        step("grown product", t0)

        t0 = time.monotonic()
        for definition in index_definitions:
            cur.execute(definition)
        step(f"{len(index_definitions)} indexes rebuilt", t0)

        for table in (
            "auth_user",
            "organizations_organization",
            "organizations_membership",
            "volunteers_volunteer",
            "marketplace_aidtask",
            "marketplace_claim",
            "duties_hourlog",
            "duties_dutyentry",
            "duties_dutyrule",
            "duties_annualreview",
        ):
            _reset_sequence(cur, table)
        conn.commit()

    t0 = time.monotonic()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    step("vacuum analyze", t0)
    out.seconds = round(time.monotonic() - started, 1)
    return out
