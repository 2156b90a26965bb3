"""Time claims through ``services.claim_create`` on PostgreSQL: one at a time, and under contention.

Not a test (pytest collects ``test_*.py`` only). It creates its own database, ``claimfast_bench``,
and drops it at the end:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimfast_bench \
        .venv/bin/python -m tests.marketplace.bench_claims [--tasks 10] [--claims 200] [--workers 40]

*single*: claims by different providers, one after the other, on a task with free seats (each
accepted); p50/p95 of the service call. *contention*: for each task of 5 seats, ``--claims``
providers claim at once through ``--workers`` threads, each with its own connection opened
beforehand (PostgreSQL here allows 100 connections, shared with others); claims/s is all claims
over the summed burst wall time. Afterwards every task must hold exactly 5 accepted claims.
"""

import argparse
import os
import statistics
import threading
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
# Production mode (no query log), with throwaway keys: the database is dropped afterwards.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "claimfast-bench-throwaway-" + "k" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZC11c2U=")
os.environ.setdefault("CONFLICT_HASH_KEY", "claimfast-bench-throwaway-conflict-hash-key")
os.environ.setdefault("PUBLIC_SITE_URL", "http://127.0.0.1:8000")
DB_NAME = "claimfast_bench"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--workers", type=int, default=40)
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument(
        "--baseline",
        help="another version of marketplace/services.py: single claims alternate between it and the current one",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").endswith("/" + DB_NAME):
        raise SystemExit(f"set DATABASE_URL=postgres://postgres@127.0.0.1:5432/{DB_NAME}")
    _admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _admin(f"CREATE DATABASE {DB_NAME}")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from marketplace import services
    from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
    from organizations.models import OrganizationKind
    from tests.factories import AidTaskFactory, OrganizationFactory, RegionFactory, UserFactory, VolunteerFactory

    call_command("migrate", verbosity=0)
    province = RegionFactory(code="320000", name="江苏省", path="320000/")
    city = RegionFactory(code="320400", name="常州市", parent=province)
    district = RegionFactory(code="320402", name="天宁区", parent=city)
    org = OrganizationFactory(name="中心", kind=OrganizationKind.LEGAL_AID_CENTER, region=city)
    n_providers = max(args.claims, args.single)
    providers = [VolunteerFactory(user=UserFactory(username=f"bench{i}"), region=district) for i in range(n_providers)]
    for v in providers:  # as the view hands them over: region and user loaded
        v.region, v.user  # noqa: B018
    now = timezone.now()
    single_task = AidTaskFactory(
        organization=org, region=district, starts_at=now + timedelta(days=2), seats=args.single, status=TaskStatus.OPEN
    )
    tasks = [
        AidTaskFactory(
            organization=org,
            region=district,
            starts_at=now + timedelta(days=3 + i),
            ends_at=now + timedelta(days=3 + i, hours=2),
            seats=5,
            status=TaskStatus.OPEN,
        )
        for i in range(args.tasks)
    ]

    def fresh(task):
        return AidTask.objects.select_related("organization", "region").get(pk=task.pk)

    # --- one claim alone (the first one's statements printed, in order)
    from django.test.utils import CaptureQueriesContext

    first = providers[0]
    with CaptureQueriesContext(connection) as ctx:
        services.claim_create(task=fresh(single_task), volunteer=first, by=first.user)
    print(f"statements of one claim (after fetching the task): {len(ctx.captured_queries) - 1}")
    for q in ctx.captured_queries[1:]:
        print("   ", q["sql"][:110])
    latencies = []
    for v in providers[1 : args.single]:
        task = fresh(single_task)
        started = time.perf_counter()
        claim = services.claim_create(task=task, volunteer=v, by=v.user)
        latencies.append((time.perf_counter() - started) * 1000)
        assert claim.status == ClaimStatus.ACCEPTED, claim.status
    latencies.sort()
    print(
        f"single: n={len(latencies)} p50={statistics.median(latencies):.2f} ms "
        f"p95={latencies[int(len(latencies) * 0.95)]:.2f} ms"
    )
    if args.baseline:  # A/B under the same load: alternate claims, each version on its own task
        import importlib.util

        spec = importlib.util.spec_from_file_location("baseline_services", args.baseline)
        baseline = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(baseline)
        ab_tasks = {
            name: AidTaskFactory(
                organization=org,
                region=district,
                starts_at=now + timedelta(days=40 + 2 * j),
                ends_at=now + timedelta(days=40 + 2 * j, hours=2),
                seats=args.single,
            )
            for j, name in enumerate(("baseline", "current"))
        }
        ab = {"baseline": [], "current": []}
        for i, v in enumerate(providers[: args.single]):
            order = [("baseline", baseline), ("current", services)]
            for name, module in order if i % 2 else order[::-1]:
                task = fresh(ab_tasks[name])
                started = time.perf_counter()
                module.claim_create(task=task, volunteer=v, by=v.user)
                ab[name].append((time.perf_counter() - started) * 1000)
        for name, values in ab.items():
            values.sort()
            print(
                f"single A/B {name}: n={len(values)} p50={statistics.median(values):.2f} ms "
                f"p95={values[int(len(values) * 0.95)]:.2f} ms"
            )
    connection.close()

    # --- contention
    walls, all_lat, outcomes = [], [], {}
    for task in tasks:
        base = fresh(task)
        todo = list(providers[: args.claims])
        chunks = [todo[i :: args.workers] for i in range(args.workers)]
        ready = threading.Barrier(args.workers + 1)
        lat_lock = threading.Lock()
        finished = []

        def work(chunk, base=base, ready=ready, lat_lock=lat_lock, finished=finished):
            connection.ensure_connection()
            ready.wait(timeout=60)
            for v in chunk:
                started = time.perf_counter()
                try:
                    outcome = services.claim_create(task=base, volunteer=v, by=v.user).status
                except Exception as exc:
                    outcome = f"error:{type(exc).__name__}:{getattr(exc, 'code', '')}"
                ms = (time.perf_counter() - started) * 1000
                with lat_lock:
                    all_lat.append(ms)
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
            with lat_lock:
                finished.append(time.perf_counter())
            connection.close()

        threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        ready.wait(timeout=60)
        released = time.perf_counter()
        for t in threads:
            t.join()
        walls.append(max(finished) - released)
        accepted = Claim.objects.filter(task=task, status=ClaimStatus.ACCEPTED).count()
        task.refresh_from_db()
        if (accepted, task.seats_taken, task.status) != (5, 5, TaskStatus.FILLED):
            raise SystemExit(f"OVERSOLD or wrong: task {task.pk} accepted={accepted} {task.seats_taken} {task.status}")
    total = args.tasks * args.claims
    all_lat.sort()
    print(
        f"contention: {args.tasks} tasks x {args.claims} claims via {args.workers} threads: "
        f"{total / sum(walls):.1f} claims/s, burst wall p50 {statistics.median(walls) * 1000:.0f} ms, "
        f"claim p50 {statistics.median(all_lat):.1f} ms p95 {all_lat[int(len(all_lat) * 0.95)]:.1f} ms; "
        f"outcomes {outcomes}; every task 5 accepted, seats_taken 5, filled"
    )


if __name__ == "__main__":
    main()
