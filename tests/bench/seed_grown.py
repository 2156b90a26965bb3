"""The grown product at province scale, seeded after the core (tests/bench/seed.py), with COPY.

A year of legal aid applications (with their decisions and the parties' keyed digests), the case
of each approved matter as a centre's aid task with its handler's assignment, milestones,
documents (rows only: no file bodies), closing reports and reviews; the subsidy schedules of each
city, the subsidy lines of accepted closings and the centres' payment batches; notifications.

The parts the product computes come from the product (``hooks``): the applicant's details are
encrypted and the party digests keyed as intake writes them, the statutory due dates come from
the intake clock, subsidy amounts from the subsidy pricing. Its own ``random.Random``, so the
core's rows do not change when this part does.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import psycopg
from psycopg.types.json import Jsonb

from tests.bench import hooks

NOTICE_TITLES = {
    "decision_due": "申请即将到期，请及时作出决定",
    "assign_overdue": "已批准的法律援助事项尚未指派",
    "handler_overdue": "律师事务所尚未确定承办律师",
    "objection_due": "异议审查即将到期",
    "closing_overdue": "案件结案材料逾期未提交",
    "evidence_overdue": "调查取证协助逾期",
    "shift_uncovered": "值班排班尚有空缺",
    "quota_behind": "年度法律援助义务进度落后",
    "review_ready": "年度考核可以开始",
}
# Rows of each scale: a year of applications (Jiangsu's centres take on the order of 10^5 a year)
# and the notices of a year.
SIZES = {
    "full": {"applications": 120_000, "notifications": 300_000},
    "small": {"applications": 3_000, "notifications": 10_000},
}
MILESTONES = [("met_client", 2), ("filed", 20), ("hearing", 60), ("judgment", 120)]
OUTCOMES = ["supported", "partly_supported", "settled", "not_supported", "withdrawn"]
GRADES = ["excellent", "good", "good", "pass", "pass", "pass"]


@dataclass
class Core:
    """What the core seeder made that this part builds on."""

    now: datetime
    year: int
    cities: list[str]
    districts_by_city: dict[str, list[str]]
    district_name: dict[str, str]
    centre_of_city: dict[str, int]
    bureau_of_city: dict[str, int]
    stations_of_city: dict[str, list[int]]
    coordinator_of: dict[int, int]
    regulator: int
    # Lawyers outside the reserved pool, by city: (volunteer id, user id, firm id or None).
    lawyers_of_city: dict[str, list[tuple[int, int, int | None]]]
    provider_users: list[int]


def grown_core(orgs, volunteers, coordinator_of, districts_by_city, district_name, regulator, now, n_regular) -> Core:
    """``Core`` from the core seeder's rows: organisations (id, name, kind, region) and provider
    rows (seed.py's column order: id, kind, ..., practice org [4], region [5], ..., status [9],
    ..., user [14]); the reserved pool (ids after ``n_regular``) gets no work here either."""
    cities = list(districts_by_city)
    city_of = {d: c for c, ds in districts_by_city.items() for d in ds}
    centre_of_city, bureau_of_city, stations_of_city = {}, {}, {}
    for oid, _, kind, region in orgs:
        if kind == "legal_aid_center" and region in districts_by_city:
            centre_of_city[region] = oid
        elif kind == "justice_bureau" and region in districts_by_city:
            bureau_of_city[region] = oid
        elif kind == "community_station" and region in city_of and oid in coordinator_of:
            stations_of_city.setdefault(city_of[region], []).append(oid)
    lawyers_of_city: dict[str, list] = {c: [] for c in cities}
    provider_users = []
    for row in volunteers[:n_regular]:
        provider_users.append(row[14])
        if row[1] == "lawyer" and row[9] == "verified" and row[5] in city_of:
            lawyers_of_city[city_of[row[5]]].append((row[0], row[14], row[4]))
    return Core(
        now=now,
        year=now.year,
        cities=cities,
        districts_by_city=districts_by_city,
        district_name=district_name,
        centre_of_city=centre_of_city,
        bureau_of_city=bureau_of_city,
        stations_of_city=stations_of_city,
        coordinator_of=coordinator_of,
        regulator=regulator,
        lawyers_of_city=lawyers_of_city,
        provider_users=provider_users,
    )


def _next_id(cur: psycopg.Cursor, table: str) -> int:
    cur.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
    return cur.fetchone()[0]


def _copy_rows(copy, cur: psycopg.Cursor, table: str, rows: list[dict]) -> int:
    if not rows:
        return 0
    columns = list(rows[0])
    return copy(cur, table, columns, ([row[c] for c in columns] for row in rows))


def seed_grown(cur: psycopg.Cursor, core: Core, scale, *, copy, search_text, case_kinds, log) -> dict:
    """Write the grown parts; returns their counts and the busiest centre (its id and its
    coordinator's user id), whose queue the bench measures."""
    rng = random.Random(20260202)  # noqa: S311
    sizes = SIZES[scale.name]
    now, today = core.now, core.now.date()
    encrypt = hooks.encrypt_details()
    name_digest, id_digest = hooks.party_digests()
    clock = hooks.intake_clock()
    price = hooks.subsidy_pricer()
    counts: dict[str, int] = {}
    case_kind_list = sorted(case_kinds)

    # ---- applications over the last year, weighted to the capital
    city_weights = [3 if c == core.cities[0] else 1 for c in core.cities]
    app_id = _next_id(cur, "applications_application")
    task_id = _next_id(cur, "marketplace_aidtask")
    claim_id = _next_id(cur, "marketplace_claim")
    applications, keys, decisions, tasks, claims = [], [], [], [], []
    milestones, documents, reports, reviews, closing_docs = [], [], [], [], []
    lines_to_price = []  # (line dict, schedule key)
    sequence: dict[tuple[int, int], int] = {}
    received = sorted(now - timedelta(seconds=rng.randint(60, 365 * 86400)) for _ in range(sizes["applications"]))
    kinds = case_kind_list + ["consultation", "document_drafting"]
    kind_weights = [10 if k == "criminal_defense" else 6 for k in case_kind_list] + [8, 4]
    for received_at in received:
        city = rng.choices(core.cities, weights=city_weights)[0]
        centre = core.centre_of_city[city]
        coord = core.coordinator_of[centre]
        district = rng.choice(core.districts_by_city[city])
        at_station = rng.random() < 0.3 and core.stations_of_city.get(city)
        org = rng.choice(core.stations_of_city[city]) if at_station else centre
        kind = rng.choices(kinds, weights=kind_weights)[0]
        age_days = (now - received_at).days
        notice = kind == "criminal_defense" and rng.random() < 0.5
        channel = (
            "court_notice" if notice else ("station" if at_station else rng.choice(["walk_in", "online", "phone"]))
        )
        # Recent ones are still being reviewed; a few older ones are late.
        if age_days < 10 or rng.random() < 0.01:
            status = rng.choices(
                ["under_review", "materials_pending", "received"], weights=[70, 20, 10 if at_station else 0]
            )[0]
        else:
            status = rng.choices(["approved", "refused", "objection_pending"], weights=[88, 11, 1])[0]
        name = f"申请人{app_id}"
        id_number = f"3204{app_id:014d}"
        applicant = {"name": name, "id_number": id_number, "phone": f"138{app_id:08d}", "address": "江苏省"}
        local_received = received_at.astimezone(clock.tz).date()
        decision_due = clock.decision_due(local_received, notice=notice)
        row = {
            "id": app_id,
            "organization_id": org,
            "centre_id": None if status == "received" else centre,
            "number": "",
            "number_year": None,
            "number_sequence": None,
            "channel": channel,
            "received_at": received_at,
            "matter_kind": kind,
            "category": rng.choice(["labor_wages", "work_injury", "family", "criminal", "consumer", "housing_land"]),
            "beneficiary_group": rng.choice(["migrant_workers", "workers", "women", "minors", "elderly", "general"]),
            "region_id": district,
            "summary": f"{core.district_name[district]}法律援助申请：请求提供法律援助。",
            "court_or_agency": f"{core.district_name[district]}人民法院" if notice else "",
            "hardship_basis": "criminal_notice" if notice else "hardship_certified",
            "urgent": False,
            "max_penalty": "",
            "attachments": Jsonb(["身份证复印件", "经济困难证明"]),
            "applicant_ciphertext": encrypt(applicant),
            "opposing_ciphertext": "",
            "status": status,
            "review_started_at": received_at,
            "decision_due": decision_due if status in ("received", "under_review") else None,
            "assign_due": None,
            "objection_due": None,
            "paused_days": 0,
            "decided_at": None,
            "decided_on_time": None,
            "assigned_at": None,
            "assigned_on_time": None,
            "forwarded_at": received_at + timedelta(hours=2) if at_station and status != "received" else None,
            "forwarded_by_id": core.coordinator_of[org] if at_station and status != "received" else None,
            "case_id": None,
            "created_by_id": core.coordinator_of[org],
            "created_at": received_at,
            "updated_at": received_at,
        }
        if status != "received":
            seq_key = (centre, received_at.year)
            sequence[seq_key] = sequence.get(seq_key, 0) + 1
            row["number_year"], row["number_sequence"] = received_at.year, sequence[seq_key]
            row["number"] = f"{core.district_name[district][:1]}援申〔{received_at.year}〕第{sequence[seq_key]:04d}号"
        keys.append({"application_id": app_id, "role": "applicant", "kind": "name", "digest": name_digest(name)})
        keys.append({"application_id": app_id, "role": "applicant", "kind": "id", "digest": id_digest(id_number)})
        if status in ("approved", "refused", "objection_pending"):
            decided = received_at + timedelta(hours=rng.randint(4, 24 * 9))
            row["decided_at"] = decided
            row["decided_on_time"] = decided.astimezone(clock.tz).date() <= decision_due
            decisions.append(
                {
                    "application_id": app_id,
                    "outcome": "approved" if status == "approved" else "refused",
                    "reasons": "符合法律援助条件。" if status == "approved" else "不符合经济困难标准。",
                    "decided_at": decided,
                    "decided_by_id": coord,
                }
            )
            if status == "approved" and kind in case_kinds:
                row["assign_due"] = clock.assign_due(decided.astimezone(clock.tz).date(), notice=notice)
                lawyers = core.lawyers_of_city[city]
                held = bool(lawyers) and rng.random() < 0.97
                days_open = (now - decided).days
                if not held:
                    task_status = "open"
                elif days_open > 200:
                    task_status = rng.choices(["completed", "closing_review", "filled"], weights=[85, 5, 10])[0]
                else:
                    task_status = "filled"
                title = f"{core.district_name[district]}法律援助案件{row['number']}"
                summary = "法律援助中心指派的案件。"
                tasks.append(
                    {
                        "id": task_id,
                        "title": title,
                        "summary": summary,
                        "kind": kind,
                        "category": row["category"],
                        "beneficiary_group": row["beneficiary_group"],
                        "location": core.district_name[district],
                        "is_remote": False,
                        "starts_at": decided,
                        "ends_at": decided + timedelta(days=180),
                        "claim_deadline": None,
                        "seats": 1,
                        "seats_taken": 1 if held else 0,
                        "estimated_hours": Decimal("20.00"),
                        "eligible_kinds": Jsonb(["lawyer"]),
                        "requires_approval": True,
                        "status": task_status,
                        "confidential_ciphertext": encrypt({k: applicant[k] for k in ("name", "phone", "id_number")}),
                        "search_text": search_text(title, summary),
                        "cancel_reason": "",
                        "created_at": decided,
                        "updated_at": decided,
                        "created_by_id": coord,
                        "organization_id": centre,
                        "region_id": district,
                    }
                )
                row["case_id"] = task_id
                if held:
                    vid, uid, firm = rng.choice(lawyers)
                    assigned = decided + timedelta(hours=rng.randint(2, 24 * 5))
                    row["assigned_at"] = assigned
                    row["assigned_on_time"] = assigned.astimezone(clock.tz).date() <= row["assign_due"]
                    claims.append(
                        {
                            "id": claim_id,
                            "status": "completed" if task_status == "completed" else "accepted",
                            "is_assignment": True,
                            "reason": "",
                            "declined_by_provider": False,
                            "no_conflict_confirmed_at": assigned,
                            "decided_at": assigned,
                            "created_at": assigned,
                            "updated_at": assigned,
                            "assigned_by_id": coord,
                            "decided_by_id": coord,
                            "task_id": task_id,
                            "volunteer_id": vid,
                        }
                    )
                    # Progress: the milestones that have come by now; a few matters ended long ago
                    # and still wait for their closing (the centre's overdue closings).
                    stale = task_status == "filled" and rng.random() < 0.05
                    ended = None
                    for mkind, offset in MILESTONES:
                        day = (assigned + timedelta(days=offset + rng.randint(0, 10))).date()
                        if stale and mkind == "judgment":
                            day = min(day, today - timedelta(days=45))
                        if day > today or (mkind == "judgment" and task_status == "filled" and not stale):
                            break
                        milestones.append(
                            {
                                "task_id": task_id,
                                "kind": mkind,
                                "date": day,
                                "note": "",
                                "source": "handler",
                                "recorded_by_id": uid,
                                "recorded_at": datetime.combine(day, time(10), tzinfo=UTC),
                            }
                        )
                        ended = day if mkind == "judgment" else ended
                    if task_status in ("completed", "closing_review") and ended is not None:
                        filed = datetime.combine(ended + timedelta(days=rng.randint(3, 40)), time(9), tzinfo=UTC)
                        filed = min(filed, now - timedelta(days=1))
                        doc_ids = []
                        for name_ in ("判决书.pdf", "结案报告.pdf")[: rng.randint(1, 2)]:
                            digest = hashlib.sha256(f"{task_id}{name_}".encode()).hexdigest()
                            doc_ids.append(len(documents) + 1)
                            documents.append(
                                {
                                    "id": len(documents) + 1,
                                    "task_id": task_id,
                                    "name": name_,
                                    "content_type": "application/pdf",
                                    "size": rng.randint(40_000, 900_000),
                                    "sha256": digest,
                                    "file": f"bench/{digest[:32]}.pdf",
                                    "uploaded_by_id": uid,
                                    "uploaded_at": filed - timedelta(hours=1),
                                }
                            )
                        accepted = task_status == "completed"
                        report_id = len(reports) + 1
                        reports.append(
                            {
                                "id": report_id,
                                "task_id": task_id,
                                "claim_id": claim_id,
                                "handler_id": vid,
                                "outcome": rng.choice(OUTCOMES),
                                "summary": "案件已审结，材料齐全。",
                                "status": "accepted" if accepted else "pending",
                                "closing_due": ended + timedelta(days=30),
                                "filed_by_id": uid,
                                "filed_at": filed,
                            }
                        )
                        closing_docs += [{"report_id": report_id, "document_id": d} for d in doc_ids]
                        if accepted:
                            reviewed = min(filed + timedelta(days=rng.randint(1, 10)), now - timedelta(hours=1))
                            grade = rng.choice(GRADES)
                            reviews.append(
                                {
                                    "report_id": report_id,
                                    "accepted": True,
                                    "reasons": "",
                                    "quality": grade,
                                    "reviewed_by_id": coord,
                                    "reviewed_at": reviewed,
                                }
                            )
                            lines_to_price.append(
                                {
                                    "task_id": task_id,
                                    "volunteer_id": vid,
                                    "kind": "case",
                                    "organization_id": centre,
                                    "region_id": district,
                                    "year": reviewed.year,
                                    "case_kind": kind,
                                    "stage": "",
                                    "grade": grade,
                                    "half_days": 0,
                                    "travel": False,
                                    "reference": "",
                                    "payee_org_id": firm,
                                    "reason": "",
                                    "created_at": reviewed,
                                    "_city": city,
                                }
                            )
                    claim_id += 1
                task_id += 1
        applications.append(row)
        app_id += 1
    per_centre = Counter(a["centre_id"] for a in applications)
    busiest = max(core.cities, key=lambda c: per_centre[core.centre_of_city[c]])
    counts["applications"] = _copy_rows(copy, cur, "applications_application", applications)
    overdue = sum(1 for a in applications if a["decision_due"] is not None and a["decision_due"] < today)
    del applications
    counts["party_keys"] = _copy_rows(copy, cur, "applications_partykey", _with_ids(keys))
    counts["application_decisions"] = _copy_rows(copy, cur, "applications_decision", _with_ids(decisions))
    counts["cases"] = _copy_rows(copy, cur, "marketplace_aidtask", tasks)
    _copy_rows(copy, cur, "marketplace_claim", claims)
    counts["milestones"] = _copy_rows(copy, cur, "cases_milestone", _with_ids(milestones))
    counts["case_documents"] = _copy_rows(copy, cur, "cases_casedocument", documents)
    counts["closing_reports"] = _copy_rows(copy, cur, "cases_closingreport", reports)
    _copy_rows(copy, cur, "cases_closingdocument", _with_ids(closing_docs))
    _copy_rows(copy, cur, "cases_closingreview", _with_ids(reviews))
    log(f"  seeded {counts['applications']:,} applications, {counts['cases']:,} cases ({overdue} decisions overdue)")

    # ---- subsidies: a schedule per city and year, the lines of accepted closings, batches
    schedules, rates, schedule_of = [], [], {}
    for year in (core.year - 1, core.year):
        for city in core.cities:
            sid = len(schedules) + 1
            schedule = {
                "id": sid,
                "year": year,
                "region_id": city,
                "version": 1,
                "duty_half_day": Decimal("200.00"),
                "travel_supplement": Decimal("50.00"),
                "note": "",
                "organization_id": core.bureau_of_city[city],
                "created_by_id": core.regulator,
                "created_at": datetime(year, 1, 5, 2, tzinfo=UTC),
                "multiplier_excellent": Decimal("1.20"),
                "multiplier_good": Decimal("1.00"),
                "multiplier_pass": Decimal("0.90"),
                "multiplier_fail": Decimal("0.00"),
            }
            schedules.append(schedule)
            own_rates = []
            for kind, stage in hooks.subsidy_rate_keys():
                amount = Decimal(3000 if kind == "criminal_defense" else 2500)
                own_rates.append(
                    {"id": len(rates) + 1, "schedule_id": sid, "kind": kind, "stage": stage, "amount": amount}
                )
                rates.append(own_rates[-1])
            schedule_of[(city, year)] = (schedule, own_rates)
    lines, batches = [], []
    batch_of: dict[tuple[int, int, int], dict] = {}
    for line in lines_to_price:
        city = line.pop("_city")
        schedule, own_rates = schedule_of.get((city, line["year"]), (None, None))
        amount = price(schedule, own_rates, line) if schedule else None
        line.update(id=len(lines) + 1, schedule_id=schedule["id"] if schedule else None, amount=amount)
        line.update(status="unpriced" if amount is None else "priced", reverses_id=None, batch_id=None)
        age = (now - line["created_at"]).days
        if amount is not None and age > 60:
            key = (line["organization_id"], line["created_at"].year, line["created_at"].month)
            batch = batch_of.get(key)
            if batch is None:
                created = datetime(key[1], key[2], 28, 3, tzinfo=UTC)
                paid = age > 120
                batch = batch_of[key] = {
                    "id": len(batches) + 1,
                    "organization_id": key[0],
                    "status": "paid" if paid else "open",
                    "total": Decimal("0.00"),
                    "note": "",
                    "created_by_id": core.coordinator_of[key[0]],
                    "created_at": created,
                    "paid_by_id": core.coordinator_of[key[0]] if paid else None,
                    "paid_at": created + timedelta(days=20) if paid else None,
                }
                batches.append(batch)
            batch["total"] += amount
            line.update(batch_id=batch["id"], status="paid" if batch["status"] == "paid" else "batched")
        lines.append(line)
    counts["subsidy_schedules"] = _copy_rows(copy, cur, "subsidies_subsidyschedule", schedules)
    _copy_rows(copy, cur, "subsidies_subsidyrate", rates)
    counts["subsidy_batches"] = _copy_rows(copy, cur, "subsidies_subsidybatch", batches)
    counts["subsidy_lines"] = _copy_rows(copy, cur, "subsidies_subsidyline", lines)

    # ---- notifications: to the centres' coordinators and to providers, most of them read
    notes = []
    coordinators = sorted(set(core.coordinator_of.values()))
    for i in range(sizes["notifications"]):
        kind = rng.choice(list(NOTICE_TITLES))
        user = rng.choice(coordinators) if kind in ("decision_due", "assign_overdue", "closing_overdue") else None
        created = now - timedelta(seconds=rng.randint(60, 365 * 86400))
        notes.append(
            {
                "id": i + 1,
                "user_id": user or rng.choice(core.provider_users),
                "kind": kind,
                "title": NOTICE_TITLES[kind],
                "body": "请登录平台查看详情。",
                "url": "/",
                "created_at": created,
                "read_at": created + timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.7 else None,
            }
        )
    counts["notifications"] = _copy_rows(copy, cur, "notices_notification", notes)

    for table in (
        "applications_application",
        "applications_partykey",
        "applications_decision",
        "cases_milestone",
        "cases_casedocument",
        "cases_closingreport",
        "cases_closingdocument",
        "cases_closingreview",
        "subsidies_subsidyschedule",
        "subsidies_subsidyrate",
        "subsidies_subsidybatch",
        "subsidies_subsidyline",
        "notices_notification",
    ):
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))",
            (table,),
        )
    return {
        "counts": counts,
        "centre": core.centre_of_city[busiest],
        "centre_user": core.coordinator_of[core.centre_of_city[busiest]],
    }


def _with_ids(rows: list[dict]) -> list[dict]:
    return [{"id": i + 1, **row} for i, row in enumerate(rows)]
