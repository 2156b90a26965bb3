"""``make bench [SCALE=small]``: seed a province on PostgreSQL, measure over HTTP, write the results.

    python -m tests.bench.run --scale full|small [--reuse] [--only board,claims,...]

Exit status: 1 when a seat was oversold (or a contention task did not accept exactly its seats),
the ledger chain did not verify, or a measurement crashed; 0 otherwise, also when a speed goal
was missed (the results say by how much).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
import traceback
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from tests.bench import env, floors, pages
from tests.bench.analysis import explain
from tests.bench.config import SCALES, Scale
from tests.bench.servers import Server

RESULTS = Path(__file__).resolve().parent / "results"
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "13")
# Every bench session of the database stops a statement after this long, so a pathological
# query cannot keep the machine busy for the measurements after it.
STATEMENT_TIMEOUT_S = 120  # set from the scale in main()
MEASUREMENTS = ["board", "html", "claims", "contention", "progress", "report", "exports", "ledger", "sockets"]
# The pages' measurements (tests/bench/pages.py): the centre's overdue queue, the public
# statistics, the list pages with the board's caches off.
MEASUREMENTS += ["overdue_queue", "stats_page", "lists"]
FLOOR_APP = "tests.bench.floor_app:app"
# The server's database connections: DB_POOL_MAX_SIZE per worker (tests/bench/env.py) x 2 workers.
SERVER_DB_CONNECTIONS = 20
# Contention bursts replayed at the floor (each of ``contention_claimers`` claims).
FLOOR_BURSTS = 5


def log(msg: str) -> None:
    print(msg, flush=True)


def pct(samples: list[float], p: float) -> float | None:
    if not samples:
        return None
    s = sorted(samples)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))  # nearest rank
    return s[k]


def ms(x: float | None) -> float | None:
    return None if x is None else round(x * 1000, 2)


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": ms(pct(samples, 50)),
        "p95_ms": ms(pct(samples, 95)),
        "max_ms": ms(max(samples) if samples else None),
        "mean_ms": ms(statistics.fmean(samples) if samples else None),
    }


def run_client(spec: dict, timeout: float) -> dict:
    """The load generator runs in its own process."""
    proc = subprocess.run(  # noqa: S603
        [env.PYTHON, "-m", "tests.bench.client"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=env.ROOT,
        timeout=timeout + 60,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"client {spec['scenario']} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


class Bench:
    def __init__(self, scale: Scale, url: str, seeded: dict):
        self.scale = scale
        self.url = url
        self.dsn = env.libpq(url)
        self.seeded = seeded
        self.year = seeded["year"]
        self.results: dict = {}
        self.failures: list[str] = []
        self.notes: list[str] = []
        self._shared: Server | None = None
        self._floor: Server | None = None

    # ---- helpers
    @contextlib.contextmanager
    def shared(self):
        """The 2-worker server most measurements share (one start-up instead of one each);
        restarted if it died (on a shared machine a process can be killed from outside)."""
        srv = self._shared
        if srv is not None and (srv.proc.poll() is not None or len(srv.worker_pids()) < 2):
            self.notes.append("the shared server was gone and was restarted")
            srv.stop()
            srv = None
        if srv is None:
            srv = self.server(workers=2, label="shared")
            srv.wait_ready()
            self._shared = srv
        yield srv

    @contextlib.contextmanager
    def floor_server(self):
        """The HTTP floor: ``tests/bench/floor_app.py`` under the same uvicorn with 2 workers."""
        if self._floor is None or self._floor.proc.poll() is not None:
            srv = Server(env.server_env(self.url), workers=2, label="floor", app=FLOOR_APP)
            srv.wait_ready()
            self._floor = srv
        yield self._floor

    def stop_shared(self) -> None:
        if self._shared is not None:
            self.results["worker_memory"] = self._worker_memory(self._shared)
            self._shared.stop()
            self._shared = None
        if self._floor is not None:
            self._floor.stop()
            self._floor = None

    def _worker_memory(self, srv: Server) -> dict:
        """Each worker of the shared server after the measurements it served (RSS and its peak)."""
        workers = [srv.memory(pid) for pid in srv.worker_pids()]
        return {
            "after": ", ".join(
                m for m in self.results if m in ("board_list", "board_html", "claim_alone", "contention")
            ),
            "workers": workers,
            "max_rss_mb": max((w.get("VmRSS", 0) for w in workers), default=None),
            "max_peak_mb": max((w.get("VmHWM", 0) for w in workers), default=None),
        }

    def server(self, *, workers: int = 1, label: str = "app", redis: bool = False, extra: dict | None = None) -> Server:
        redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}" if redis else ""
        return Server(env.server_env(self.url, redis_url=redis_url, extra=extra), workers=workers, label=label)

    def get(
        self,
        url: str,
        *,
        n: int,
        concurrency: int = 1,
        headers: dict | None = None,
        warmup: bool = True,
        slow_ok: bool = False,
    ) -> dict:
        """``n`` timed GETs from the client process.

        ``slow_ok``: a request cut off by the client's timeout or by the database's
        ``statement_timeout`` (a 500 after that long) counts as a missed goal, not a crash.
        """
        spec = {
            "scenario": "http_get",
            "url": url,
            "n": n,
            "concurrency": concurrency,
            "headers": headers or {},
            "deadline": self.scale.step_timeout,
            "warmup": warmup,
            "request_timeout": STATEMENT_TIMEOUT_S + 30,
        }
        out = run_client(spec, self.scale.step_timeout + STATEMENT_TIMEOUT_S)
        bad = {k: v for k, v in out["statuses"].items() if k != "200"}
        timed_out = slow_ok and bad and min(out["latencies"]) >= STATEMENT_TIMEOUT_S * 0.9
        if bad and not timed_out:
            raise RuntimeError(f"GET {url}: non-200 answers {bad}")
        if timed_out:
            self.notes.append(
                f"GET /{url.split('/', 3)[-1]}: cut off after {STATEMENT_TIMEOUT_S}s ({bad}); "
                "the time shown is a lower bound"
            )
        if out["timed_out"]:
            self.notes.append(f"GET {url} hit its {self.scale.step_timeout}s bound")
        res = summary(out["latencies"])
        res["bytes"] = out["bytes"]
        res["wall_s"] = round(out["wall"], 2)
        res["rps"] = round(len(out["latencies"]) / out["wall"], 1) if out["wall"] else None
        return res

    def token(self, key: str) -> dict:
        return {"Authorization": f"Token {key}"}

    # ---- measurements
    def board(self) -> None:
        s = self.seeded
        path = (
            f"/api/v1/tasks/?region={s['board_city']}&category=labor_wages&kind=consultation"
            f"&search=%E6%AC%A0%E8%96%AA&page_size=50"
        )
        captured = self._capture_sql(path)
        with self.shared() as srv:
            one = self.get(srv.base + path, n=self.scale.board_requests, concurrency=1)
            many = self.get(srv.base + path, n=self.scale.board_concurrent_requests, concurrency=16)
        # The same with CONN_MAX_AGE alone (no pool): a new connection per request under ASGI.
        with self.server(workers=2, label="board-nopool", extra={"DB_POOL_MAX_SIZE": "0"}) as srv:
            no_pool = self.get(srv.base + path, n=self.scale.board_requests, concurrency=1)
        bare = self._time_sql(captured["sql"], n=self.scale.board_requests)
        with self.floor_server() as floor:
            asgi = self.get(floor.base + path, n=self.scale.board_requests, concurrency=1)
        self.results["board_list"] = {
            "path": path,
            "results_on_page": captured["results"],
            "count": captured["count"],
            "queries": len(captured["sql"]),
            "clients_1": one,
            "clients_16": many,
            "clients_1_without_pool": no_pool,
            "bare_sql": bare,
            "ratio_p50": round(one["p50_ms"] / bare["p50_ms"], 2) if bare["p50_ms"] else None,
            "asgi_floor": asgi,
            # Over the floor: the bare SQL and the floor app's answer added.
            "ratio_to_floor_p50": round(one["p50_ms"] / (bare["p50_ms"] + asgi["p50_ms"]), 2)
            if bare["p50_ms"] and asgi["p50_ms"]
            else None,
            "sql": captured["sql"],
        }

    def _capture_sql(self, path: str, headers: dict | None = None) -> dict:
        """Run the view once in this process and record the SQL it sends (a one-off, not timed)."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(**(headers or {}))
        client.get(path)  # warm caches the view may have (content types, regions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"capture {path}: {response.status_code} {response.content[:300]!r}")
        body = response.json()
        sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        connection.close()
        return {"sql": sql, "results": len(body.get("results", [])), "count": body.get("count")}

    def _time_sql(self, statements: list[str], *, n: int) -> dict:
        """The same statements, bare through psycopg on one connection: the database's floor."""
        samples = []
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            for _ in range(3):
                for q in statements:
                    conn.execute(q).fetchall()
            for _ in range(n):
                t0 = time.perf_counter()
                for q in statements:
                    conn.execute(q).fetchall()
                samples.append(time.perf_counter() - t0)
        return summary(samples)

    def html(self) -> None:
        with self.shared() as srv:
            res = self.get(srv.base + "/", n=self.scale.html_requests, concurrency=1)
            import httpx

            body = httpx.get(srv.base + "/").text
        # Each task is one card: <article class="card" data-task-id="...">.
        res["tasks_on_page"] = body.count("data-task-id=")
        self.results["board_html"] = res

    def _claim_replay(self) -> floors.ReplayClaim:
        """The claim's statements, captured once on the solo task (floors.capture_claim)."""
        if getattr(self, "_replay", None) is None:
            s = self.seeded
            who = s["pool"][-1]  # the pool's last provider never claims the solo task
            accepted, _ = floors.capture_claim(task_id=s["solo_task"], token=who["token"])
            waitlisted, _ = floors.capture_claim(task_id=s["solo_task"], token=who["token"], full=True)
            captured = {
                "task": s["solo_task"],
                "volunteer": who["volunteer"],
                "user": who["user"],
                "token": who["token"],
            }
            self._replay = floors.ReplayClaim(accepted, waitlisted, captured=captured)
        return self._replay

    def claims(self) -> None:
        s = self.seeded
        pool = s["pool"]
        n = self.scale.solo_claims
        spec = {
            "scenario": "claims_solo",
            "task": s["solo_task"],
            "tokens": [p["token"] for p in pool[:n]],
            "deadline": self.scale.step_timeout,
        }
        with self.shared() as srv:
            out = run_client(spec | {"base": srv.base}, self.scale.step_timeout)
        if out["statuses"].get("201", 0) != len(spec["tokens"]):
            raise RuntimeError(f"solo claims: {out['statuses']} {out['claim_statuses']}")
        res = summary(out["latencies"])
        res["claim_statuses"] = out["claim_statuses"]
        # The floor: the same statements through psycopg alone (other pool providers, each claim
        # undone before the next), and the same requests answered by the floor app.
        replay = self._claim_replay()
        sql = summary(floors.replay_single(self.dsn, replay, task=s["solo_task"], providers=pool[n : 2 * n]))
        with self.floor_server() as floor:
            http = summary(run_client(spec | {"base": floor.base}, self.scale.step_timeout)["latencies"])
        floor_p50 = round(sql["p50_ms"] + http["p50_ms"], 2)
        res["floor"] = {
            "sql": sql,
            "asgi": http,
            "p50_ms": floor_p50,
            "ratio_p50": round(res["p50_ms"] / floor_p50, 2) if floor_p50 else None,
        }
        res["queries"] = replay.accepted.statements
        res["queries_waitlisted"] = replay.waitlisted.statements
        res["sql"] = [q for q, _ in replay.accepted.before] + [replay.accepted.seat[0]]
        res["sql"] += [q for q, _ in replay.accepted.inside] + [q for q, _ in replay.accepted.after]
        self.results["claim_alone"] = res

    def contention(self) -> None:
        s = self.seeded
        pool = s["pool"]
        claimers = [p["token"] for p in pool[: self.scale.contention_claimers]]
        tasks = s["contention_tasks"][: self.scale.contention_tasks]
        floor = self._contention_floor(tasks[:FLOOR_BURSTS], claimers=pool[: self.scale.contention_claimers])
        # In chunks of 10 tasks, checking between chunks that the server is still up: on a shared
        # machine a server can be killed from outside, and a dead server is not a seat problem.
        out = {"per_task": [], "latencies": [], "statuses": {}, "errors": {}, "wall": 0.0}
        deadline = time.monotonic() + self.scale.step_timeout
        for i in range(0, len(tasks), 10):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.notes.append(f"contention stopped at its {self.scale.step_timeout}s bound after {i} tasks")
                break
            with self.shared() as srv:
                spec = {
                    "scenario": "contention",
                    "base": srv.base,
                    "tasks": tasks[i : i + 10],
                    "tokens": claimers,
                    "deadline": remaining,
                }
                part = run_client(spec, remaining)
            out["per_task"] += part["per_task"]
            out["latencies"] += part["latencies"]
            out["wall"] += part["wall"]
            for key in ("statuses", "errors"):
                for k, v in part[key].items():
                    out[key][k] = out[key].get(k, 0) + v
            if part["errors"] and (srv.proc.poll() is not None or len(srv.worker_pids()) < 2):
                self.notes.append(f"contention: the server died during tasks {i + 1}-{i + 10}")
        with psycopg.connect(self.dsn) as conn:
            rows = conn.execute(
                "SELECT t.id, t.seats, t.seats_taken, "
                "(SELECT count(*) FROM marketplace_claim c WHERE c.task_id = t.id AND c.status = 'accepted') "
                "FROM marketplace_aidtask t WHERE t.id = ANY(%s) ORDER BY t.id",
                (tasks[: len(out["per_task"])],),
            ).fetchall()
        oversold = [r for r in rows if r[3] > r[1] or r[2] > r[1]]
        not_exact = [r for r in rows if r[3] != r[1] or r[2] != r[3]]
        per_task_http = [t["accepted"] for t in out["per_task"]]
        claims_total = len(out["latencies"])
        res = summary(out["latencies"])
        res.update(
            {
                "tasks": len(rows),
                "claimers_per_task": len(claimers),
                "seats_per_task": 5,
                "accepted_per_task_db": sorted({r[3] for r in rows}),
                "accepted_per_task_http": sorted(set(per_task_http)),
                "oversold_tasks": len(oversold),
                "tasks_not_exactly_full": len(not_exact),
                "claims": claims_total,
                "claims_per_s": round(claims_total / out["wall"], 1) if out["wall"] else None,
                "statuses": out["statuses"],
                "errors": out["errors"],
                "floor": floor,
            }
        )
        if floor.get("claims_per_s") and res["claims_per_s"]:
            floor["throughput_ratio"] = round(res["claims_per_s"] / floor["claims_per_s"], 2)
        self.results["contention"] = res
        if out["errors"]:
            # A claim that failed with a 5xx or a dropped connection is a crash, even if no seat
            # was oversold.
            self.failures.append(f"contention: failed claims {out['errors']}")
        if oversold:
            self.failures.append(f"OVERSOLD: {len(oversold)} contention tasks accepted more claims than seats")
        # The tasks burst (fewer than planned when the step's time bound stopped it, which the
        # notes say): each of them must hold exactly its seats.
        if not_exact or len(rows) != len(out["per_task"]):
            self.failures.append(f"contention: {len(not_exact)} of {len(rows)} tasks did not accept exactly 5")

    def _contention_floor(self, tasks: list[int], *, claimers: list[dict]) -> dict:
        """The same bursts at their floor: the claim's statements through psycopg alone over the
        server's number of database connections (each burst undone afterwards, before the HTTP
        bursts on the same tasks), and the same HTTP bursts answered by the floor app. The
        floor's claims/s is all claims over the two walls added: what a claim costs when nothing
        but its SQL and its HTTP round trip is paid."""
        replay = self._claim_replay()
        sql_lat: list[float] = []
        sql_wall = 0.0
        accepted: set[int] = set()
        errors: list[str] = []
        for task in tasks:
            out = floors.replay_burst(
                self.dsn, replay, task=task, providers=claimers, connections=SERVER_DB_CONNECTIONS
            )
            sql_lat += out["latencies"]
            sql_wall += out["wall"]
            accepted.add(out["accepted"])
            errors += out["errors"]
        with self.floor_server() as srv:
            spec = {
                "scenario": "contention",
                "base": srv.base,
                "tasks": tasks,
                "tokens": [p["token"] for p in claimers],
                "deadline": self.scale.step_timeout,
            }
            http = run_client(spec, self.scale.step_timeout)
        claims = len(sql_lat)
        sql = summary(sql_lat) | {
            "claims_per_s": round(claims / sql_wall, 1) if sql_wall else None,
            "connections": SERVER_DB_CONNECTIONS,
            "accepted_per_burst": sorted(accepted),
            "errors": dict(Counter(errors)),
        }
        asgi = summary(http["latencies"]) | {
            "claims_per_s": round(len(http["latencies"]) / http["wall"], 1) if http["wall"] else None
        }
        both = sql_wall + http["wall"]
        return {
            "bursts": len(tasks),
            "sql": sql,
            "asgi": asgi,
            "claims_per_s": round(claims / both, 1) if both and claims == len(http["latencies"]) else None,
        }

    def progress(self) -> None:
        s = self.seeded
        path = f"/api/v1/volunteers/{s['progress_volunteer']}/progress/?year={self.year}"
        with self.shared() as srv:
            res = self.get(srv.base + path, n=self.scale.progress_requests, headers=self.token(s["progress_token"]))
        res["volunteer"] = s["progress_volunteer"]
        self.results["progress"] = res

    def report(self) -> None:
        s = self.seeded
        path = f"/api/v1/reports/compliance/?year={self.year}&region={s['province']}"
        with self.shared() as srv:
            auth = self.token(s["regulator_token"])
            res = self.get(srv.base + path, n=1, headers=auth, slow_ok=True, warmup=False)
            if res["p50_ms"] < 10_000:  # repeat only what is worth repeating
                res = self.get(srv.base + path, n=self.scale.report_requests, headers=auth, warmup=False)
        res["providers"] = self.scale.providers
        self.results["compliance_report"] = res

    def exports(self) -> None:
        s = self.seeded
        out = {}
        for fmt in ("csv", "xlsx"):
            for label, region, rows in (
                ("small", s["export_city"], self.scale.small_export_city_providers),
                ("large", s["province"], self.scale.providers),
            ):
                path = f"/api/v1/reports/compliance/?year={self.year}&region={region}&format={fmt}"
                with self.server(workers=1, label=f"export-{fmt}-{label}") as srv:
                    warm = f"/api/v1/reports/compliance/?year={self.year}&region=320402&format={fmt}"
                    auth = self.token(s["regulator_token"])
                    self.get(srv.base + warm, n=1, headers=auth, warmup=False, slow_ok=True)
                    before = srv.memory()
                    res = self.get(srv.base + path, n=1, headers=auth, warmup=False, slow_ok=True)
                    after = srv.memory()
                out[f"{fmt}_{rows}"] = {
                    "rows": rows,
                    "seconds": round(res["p50_ms"] / 1000, 2),
                    "bytes": res["bytes"],
                    "rss_before_mb": before.get("VmRSS"),
                    "peak_mb": after.get("VmHWM"),
                    "growth_mb": round(after.get("VmHWM", 0) - before.get("VmRSS", 0), 1),
                }
        self.results["exports"] = out

    def ledger(self) -> None:
        t0 = time.perf_counter()
        proc = subprocess.run(  # noqa: S603
            [env.PYTHON, "manage.py", "verify_ledger"],
            cwd=env.ROOT,
            env=env.server_env(self.url),
            capture_output=True,
            text=True,
            timeout=self.scale.step_timeout,
        )
        seconds = time.perf_counter() - t0
        entries = self.seeded["counts"]["ledger_entries"]
        output = (proc.stdout + proc.stderr).strip()
        # The command times its own walk; the wall clock adds the interpreter and Django start-up.
        own = re.search(r"([\d.]+)s \(([\d,]+) entries/s\)", output)
        walk_seconds = float(own.group(1)) if own else seconds
        self.results["verify_ledger"] = {
            "entries": entries,
            "seconds": round(walk_seconds, 2),
            "command_wall_seconds": round(seconds, 2),
            "entries_per_s": round(entries / walk_seconds),
            "entries_per_s_with_startup": round(entries / seconds),
            "exit": proc.returncode,
            "output": (proc.stdout + proc.stderr).strip()[-500:],
        }
        if proc.returncode != 0:
            self.failures.append(f"verify_ledger exited {proc.returncode}: {(proc.stdout + proc.stderr)[-300:]}")

    def sockets(self) -> None:
        s = self.seeded
        tokens = [p["token"] for p in s["pool"]]
        n_events = self.scale.socket_events
        res = {}
        with self.server(workers=1, label="ws-memory") as srv:
            res["in_memory"] = self._sockets(srv, srv, s["ws_tasks"][0], tokens[-n_events:])
        a = self.server(workers=1, label="ws-redis-a", redis=True)
        b = self.server(workers=1, label="ws-redis-b", redis=True)
        try:
            a.wait_ready()
            b.wait_ready()
            res["redis_two_processes"] = self._sockets(b, a, s["ws_tasks"][1], tokens[-n_events:])
        finally:
            a.stop()
            b.stop()
        # Issue 15: many sockets spread over several processes on Redis (uvicorn --workers: the
        # kernel hands each connection to one of them), the claims on another process.
        procs = self.scale.socket_processes
        many = self.server(workers=procs, label="ws-redis-many", redis=True)
        trigger = self.server(workers=1, label="ws-redis-trigger", redis=True)
        try:
            many.wait_ready()
            trigger.wait_ready()
            res["redis_many_processes"] = self._sockets(
                many, trigger, s["ws_tasks"][1], tokens[-2 * n_events : -n_events], sockets=self.scale.sockets_many
            )
            res["redis_many_processes"]["processes"] = procs
        finally:
            many.stop()
            trigger.stop()
        self.results["sockets"] = res

    def _sockets(
        self, socket_srv: Server, trigger_srv: Server, task: int, tokens: list[str], *, sockets: int | None = None
    ) -> dict:
        sockets = sockets or self.scale.sockets
        spec = {
            "scenario": "sockets",
            "ws_url": f"ws://127.0.0.1:{socket_srv.port}/ws/board/",
            "origin": f"http://127.0.0.1:{socket_srv.port}",
            "trigger_base": trigger_srv.base,
            "task": task,
            "tokens": tokens,
            "events": self.scale.socket_events,
            "sockets": sockets,
            "deadline": self.scale.step_timeout,
        }
        out = run_client(spec, self.scale.step_timeout)
        res = summary(out["latencies"])
        res.update(
            {
                "sockets": out["connected"],
                "connect_failures": out["connect_failures"],
                "events": len(out["request_latencies"]),
                "missed_deliveries": out["missed"],
                "after_response": summary(out["after_response"]),
                "trigger_request": summary(out["request_latencies"]),
                "statuses": out["statuses"],
            }
        )
        if out["connected"] < sockets or not out["latencies"]:
            raise RuntimeError(f"sockets: {out['connected']} connected, {len(out['latencies'])} deliveries")
        return res

    # ---- the pages' measurements (issue 15 items 3 and 5), in tests/bench/pages.py
    def overdue_queue(self) -> None:
        pages.overdue_queue(self)

    def stats_page(self) -> None:
        pages.stats_page(self)

    def lists(self) -> None:
        pages.lists(self)


# Issue 15 compares the product with a well-known open-source Django volunteer-shift system,
# measured side by side elsewhere (the same machine class, 2 workers each, PostgreSQL). Its figures
# are a reference: the bench does not run the peer.
PEER = {
    "claims_per_s": 34.6,
    "contention_p95_ms": 5500,
    "claim_alone_p50_ms": 70.5,
    "html_per_task_ms": 2.9,
    "queries_per_claim": 38,
    "worker_memory_mb": 184,
}


def _count(n: int | None, goal: int) -> str:
    """A socket count, and the goal's count when the measurement used fewer (small scale)."""
    if n is None or n >= goal:
        return f"{goal:,}"
    return f"{n:,} (the goal is for {goal:,})"


def goals(results: dict) -> list[dict]:
    """Each goal of issue 15 (and the goals of issue 6 it keeps) with the measured value, whether it
    holds and by how much it misses. ``key`` names a goal for good; ``peer`` is the reference
    figure of issue 15's table where it has one. A goal whose measurement is absent is "not
    measured" (``met`` None), e.g. ``overdue_queue`` and ``stats_page`` until their measurements
    run."""
    out = []

    def goal(key: str, name: str, value, limit, *, unit: str, at_most: bool = True, peer=None, issue=15) -> None:
        row = {"key": key, "goal": name, "value": value, "limit": limit, "unit": unit, "at_most": at_most}
        row |= {"peer": peer, "issue": issue}
        if value is None:
            out.append(row | {"met": None, "miss": "not measured"})
            return
        met = value <= limit if at_most else value >= limit
        miss = None
        if not met and not limit:
            miss = f"{value} instead of {limit}"
        elif not met:
            miss = f"{value / limit:.1f}x the limit" if at_most else f"{value / limit:.2f}x the minimum"
        out.append(row | {"met": met, "miss": miss})

    r = results
    c = r.get("contention", {})
    one = r.get("claim_alone", {})
    goal("oversold", "oversold seats", c.get("oversold_tasks"), 0, unit="tasks")
    h = r.get("board_html", {})
    per_task = h.get("per_task_ms")
    if per_task is None and h.get("p50_ms") and h.get("tasks_on_page"):
        per_task = round(h["p50_ms"] / h["tasks_on_page"], 2)
    # (key, goal, value, the peer's figure, how many times better, unit, at most?)
    against_peer = (
        (
            "contention_throughput",
            "claims per second under contention",
            c.get("claims_per_s"),
            "claims_per_s",
            5,
            "/s",
            False,
        ),
        (
            "contention_p95",
            "claim p95 inside the contention burst",
            c.get("p95_ms"),
            "contention_p95_ms",
            5,
            "ms",
            True,
        ),
        ("claim_alone_p50", "one claim alone p50", one.get("p50_ms"), "claim_alone_p50_ms", 5, "ms", True),
        ("html_per_task", "HTML list page, cost per task shown", per_task, "html_per_task_ms", 3, "ms", True),
        (
            "worker_memory",
            "worker memory, RSS after the measurements",
            r.get("worker_memory", {}).get("max_rss_mb"),
            "worker_memory_mb",
            2,
            "MB",
            True,
        ),
    )
    for key, name, value, peer_key, times, unit, at_most in against_peer:
        peer = PEER[peer_key]
        limit = round(peer / times, 2) if at_most else round(peer * times, 1)
        wording = f"{times}x below the peer's" if at_most else f"{times}x the peer's"
        goal(key, f"{name} ({wording})", value, limit, unit=unit, at_most=at_most, peer=peer)
    goal(
        "contention_floor",
        "contention throughput / its floor's",
        c.get("floor", {}).get("throughput_ratio"),
        0.5,
        unit="x",
        at_most=False,
    )
    goal("claim_alone_floor", "one claim alone p50 / its floor p50", one.get("floor", {}).get("ratio_p50"), 2, unit="x")
    goal("queries_per_claim", "queries per claim", one.get("queries"), 6, unit="", peer=PEER["queries_per_claim"])
    sk = r.get("sockets", {})
    mem, many = sk.get("in_memory", {}), sk.get("redis_many_processes", {})
    goal(
        "sockets_one_process",
        f"socket delivery p95, {_count(mem.get('sockets'), 1000)} sockets, one process",
        mem.get("p95_ms"),
        250,
        unit="ms",
    )
    goal(
        "sockets_many_processes",
        f"socket delivery p95, {_count(many.get('sockets'), 10_000)} sockets over "
        f"{many.get('processes', 4)} processes, Redis",
        many.get("p95_ms"),
        1000,
        unit="ms",
    )
    goal(
        "sockets_redis_two",
        "socket delivery p95, Redis, two processes",
        sk.get("redis_two_processes", {}).get("p95_ms"),
        250,
        unit="ms",
        issue=6,
    )
    b = r.get("board_list", {})
    goal("board_list_floor", "board list p50 / bare SQL p50", b.get("ratio_p50"), 3, unit="x")
    goal("board_list_p95", "board list p95, 1 client", b.get("clients_1", {}).get("p95_ms"), 100, unit="ms", issue=6)
    goal("html_board_p50", "HTML board page p50", h.get("p50_ms"), 50, unit="ms", issue=6)
    goal(
        "compliance_report",
        "compliance report, province, p50",
        r.get("compliance_report", {}).get("p50_ms"),
        1000,
        unit="ms",
    )
    e = r.get("exports", {})
    for fmt in ("csv", "xlsx"):
        rows = sorted((v for k, v in e.items() if k.startswith(fmt)), key=lambda v: v["rows"])
        if len(rows) == 2:
            goal(
                f"{fmt}_export_memory",
                f"{fmt.upper()} export peak memory, {rows[1]['rows']} vs {rows[0]['rows']} rows",
                round(rows[1]["peak_mb"] - rows[0]["peak_mb"], 1),
                30,
                unit="MB",
            )
        else:
            goal(f"{fmt}_export_memory", f"{fmt.upper()} export peak memory difference", None, 30, unit="MB")
    goal(
        "verify_ledger",
        "verify_ledger",
        r.get("verify_ledger", {}).get("entries_per_s"),
        100_000,
        unit="entries/s",
        at_most=False,
    )
    # Measured by the pages' part of the bench (results "overdue_queue" and "stats_page", p50).
    goal("overdue_queue", "the centre's overdue queue p50", r.get("overdue_queue", {}).get("p50_ms"), 200, unit="ms")
    goal("stats_page", "the public statistics page p50", r.get("stats_page", {}).get("p50_ms"), 200, unit="ms")
    return out


def _met(goal: dict) -> str:
    return {True: "yes", False: f"**no** ({goal['miss']})", None: "not measured"}[goal["met"]]


def issue_table(goal_rows: list[dict]) -> list[str]:
    """Issue 15's table: this product's figure beside the peer's (a reference measured elsewhere)."""
    lines = [
        "## Issue 15: this product and the peer",
        "",
        "The peer's column is issue 15's (measured elsewhere, side by side on a 2-core machine); it "
        "is a reference, not measured by this run.",
        "",
        "| measure | this product | the peer | goal | met? |",
        "|---|---|---|---|---|",
    ]
    for x in goal_rows:
        if x.get("peer") is None:
            continue
        unit = f" {x['unit']}" if x["unit"] else ""
        value = "–" if x["value"] is None else f"{x['value']}{unit}"
        sign = "≤" if x.get("at_most", True) else "≥"
        lines.append(f"| {x['goal']} | {value} | {x['peer']}{unit} | {sign} {x['limit']}{unit} | {_met(x)} |")
    return lines


def markdown(doc: dict) -> str:
    m, g, d = doc["machine"], doc["git"], doc["dataset"]
    r = doc["results"]
    lines = [
        f"# Benchmark results: {doc['scale']} scale",
        "",
        f"- Measured {doc['finished_at']} on commit `{g['short']}`"
        + (" (working tree had changes)" if g["dirty"] else ""),
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}; load average (1/5/15 min) before {m.get('load_average_before')}, "
        f"after {m.get('load_average')} (the machine is shared)",
        "- Dataset: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in d["counts"].items()),
        f"- Seeded in {d['seconds']} s (migrate {d.get('migrate_seconds', '?')} s)",
        "",
        "| measurement | p50 | p95 | other |",
        "|---|---|---|---|",
    ]

    def row(name: str, x: dict | None, other: str = "") -> None:
        other = other.splitlines()[0] if other else other
        if not x:
            lines.append(f"| {name} | – | – | {other or 'not measured'} |")
        else:
            lines.append(f"| {name} | {x.get('p50_ms')} ms | {x.get('p95_ms')} ms | {other} |")

    b = r.get("board_list")
    if b:
        row("board list (3 filters + search, page 50), 1 client", b["clients_1"], f"{b['results_on_page']} rows")
        row("board list, 16 clients", b["clients_16"], f"{b['clients_16']['rps']} req/s")
        row("board list, 1 client, CONN_MAX_AGE=60 and no pool", b.get("clients_1_without_pool"))
        row("same SQL bare via psycopg", b["bare_sql"], f"{b['queries']} queries; ratio p50 {b['ratio_p50']}x")
        if b.get("asgi_floor"):
            row("floor app, same GET, 1 client", b["asgi_floor"], f"over SQL + floor app: {b['ratio_to_floor_p50']}x")
    else:
        row("board list", None, doc["errors"].get("board", ""))
    h = r.get("board_html")
    row("HTML board page", h, f"{h['tasks_on_page']} tasks on the page" if h else doc["errors"].get("html", ""))
    one = r.get("claim_alone")
    row(
        "one claim alone",
        one,
        f"{one.get('queries')} queries (waitlisted: {one.get('queries_waitlisted')})"
        if one
        else doc["errors"].get("claims", ""),
    )
    if one and one.get("floor"):
        f = one["floor"]
        row("  its SQL alone via psycopg (floor)", f["sql"])
        row("  the floor app, same POSTs (floor)", f["asgi"], f"floor p50 {f['p50_ms']} ms; ratio {f['ratio_p50']}x")
    c = r.get("contention")
    row(
        "contention claims",
        c,
        f"{c['claims_per_s']} claims/s; accepted per task {c['accepted_per_task_db']}; oversold {c['oversold_tasks']}"
        if c
        else doc["errors"].get("contention", ""),
    )
    if c and c.get("floor"):
        f = c["floor"]
        row(
            f"  its SQL alone, {f['sql']['connections']} connections (floor)",
            f["sql"],
            f"{f['sql']['claims_per_s']} claims/s over {f['bursts']} bursts",
        )
        row(
            "  the floor app, same bursts (floor)",
            f["asgi"],
            f"{f['asgi']['claims_per_s']} claims/s; floor {f['claims_per_s']} claims/s; "
            f"ratio {f.get('throughput_ratio')}x",
        )
    w = r.get("worker_memory")
    if w:
        lines.append(
            f"| worker memory (RSS) | – | – | max {w['max_rss_mb']} MB, peak {w['max_peak_mb']} MB "
            f"over {len(w['workers'])} workers, after {w['after']} |"
        )
    row("provider progress", r.get("progress"), doc["errors"].get("progress", ""))
    row(
        "compliance report, province",
        r.get("compliance_report"),
        f"{r['compliance_report']['providers']:,} providers" if r.get("compliance_report") else "",
    )
    for key, x in r.get("exports", {}).items():
        lines.append(
            f"| export {key.split('_')[0].upper()} {x['rows']:,} rows | {x['seconds']} s | – | "
            f"peak {x['peak_mb']} MB (grew {x['growth_mb']} MB), {x['bytes']:,} bytes |"
        )
    v = r.get("verify_ledger")
    if v:
        rate = f"{v['entries_per_s']:,} entries/s over {v['entries']:,}"
        lines.append(f"| verify_ledger | {v['seconds']} s | – | {rate} |")
    for key, label in (
        ("in_memory", "in-memory layer"),
        ("redis_two_processes", "Redis, 2 processes"),
        ("redis_many_processes", "Redis, many processes"),
    ):
        x = r.get("sockets", {}).get(key)
        row(
            f"socket delivery, {label}",
            x,
            f"{x['sockets']} sockets x {x['events']} events, {x['missed_deliveries']} missed" if x else "",
        )
    lines += ["", *issue_table(doc["goals"])]
    lines += ["", "## Goals", "", "| key | goal | value | limit | met | issue |", "|---|---|---|---|---|---|"]
    for x in doc["goals"]:
        value = "–" if x["value"] is None else f"{x['value']} {x['unit']}"
        lines.append(
            f"| `{x['key']}` | {x['goal']} | {value} | {x['limit']} {x['unit']} | {_met(x)} | {x.get('issue', '')} |"
        )
    missed = [x for x in doc["goals"] if x["met"] is False]
    if missed:
        lines += ["", "## Missed goals: why, and what would close it", ""]
        for x in missed:
            lines.append(f"- **{x['goal']}** ({x['miss']}): {explain(x['goal']) or 'not analysed yet.'}")
    if doc["errors"]:
        lines += ["", "## Crashed measurements", ""]
        lines += [f"- {k}: {v.splitlines()[0] if v else ''}" for k, v in doc["errors"].items()]
    if doc["failures"]:
        lines += ["", "## Failures", ""] + [f"- {f}" for f in doc["failures"]]
    if doc["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in doc["notes"]]
    return "\n".join(lines) + "\n"


def reset_bench_tasks(dsn: str, seeded: dict) -> None:
    """``--reuse``: the tasks reserved for the claim measurements lose the claims an earlier run
    made (only the bench claims them) and get their seats back, so claims, contention and sockets
    can be measured again on the same data."""
    tasks = [seeded["solo_task"], *seeded["contention_tasks"], *seeded["ws_tasks"]]
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        conn.execute("DELETE FROM marketplace_claim WHERE task_id = ANY(%s)", (tasks,))
        conn.execute(
            "UPDATE marketplace_aidtask SET seats_taken = 0, status = 'open' WHERE id = ANY(%s)",
            (tasks,),
        )


def seeded_name(scale: str, database: str) -> str:
    """What ``--reuse`` reads: per database, so benches on two databases (BENCH_DATABASE_URL) at
    once never read each other's tokens and ids."""
    default = env.db_name(env.DEFAULT_URLS[scale]) if scale in env.DEFAULT_URLS else None
    return f".{scale}-seeded.json" if database == default else f".{scale}-{database}-seeded.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--reuse", action="store_true", help="measure the database seeded by the last run")
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(MEASUREMENTS))
    parser.add_argument("--render", action="store_true", help="rewrite the Markdown from the latest JSON")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    global STATEMENT_TIMEOUT_S
    STATEMENT_TIMEOUT_S = int(os.environ.get("BENCH_STATEMENT_TIMEOUT", scale.statement_timeout))
    if args.render:
        path = RESULTS / f"{scale.name}-latest.json"
        doc = json.loads(path.read_text())
        doc["goals"] = goals(doc["results"])
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        (RESULTS / f"{scale.name}-latest.md").write_text(markdown(doc))
        return 0
    url = env.database_url(scale.name)
    only = [m for m in args.only.split(",") if m] or MEASUREMENTS
    started = time.monotonic()
    log(f"bench {scale.name}: database {env.db_name(url)}")

    os.environ.update(env.server_env(url))
    seeded_file = RESULTS / seeded_name(scale.name, env.db_name(url))
    if args.reuse and seeded_file.exists():
        seeded = json.loads(seeded_file.read_text())
        log("reusing the seeded database")
        reset_bench_tasks(env.libpq(url), seeded)
    else:
        t0 = time.monotonic()
        env.recreate_database(url)
        env.migrate(url)
        migrate_seconds = round(time.monotonic() - t0, 1)
        log(f"migrated in {migrate_seconds}s")
        import django

        django.setup()
        from tests.bench import hooks
        from tests.bench.seed import seed

        seeded = seed(env.libpq(url), scale, log=log).as_dict()
        seeded["migrate_seconds"] = migrate_seconds
        seeded["sources"] = dict(hooks.SOURCES)
        RESULTS.mkdir(exist_ok=True)
        seeded_file.write_text(json.dumps(seeded))
        log(f"seeded in {seeded['seconds']}s: {seeded['counts']}")
    with psycopg.connect(env.libpq(url), autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE \"{env.db_name(url)}\" SET statement_timeout = '{STATEMENT_TIMEOUT_S}s'")
    env.collectstatic(url)
    import django

    django.setup()

    load_before = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None
    bench = Bench(scale, url, seeded)
    errors: dict[str, str] = {}
    timings: dict[str, float] = {}
    for name in MEASUREMENTS:
        if name not in only:
            continue
        log(f"measuring {name} ...")
        t0 = time.monotonic()
        try:
            getattr(bench, name)()
        except Exception as exc:
            errors[name] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            log(traceback.format_exc())
        timings[name] = round(time.monotonic() - t0, 1)
        log(f"  {name} done in {timings[name]}s" + (f" (CRASHED: {errors[name][:200]})" if name in errors else ""))

    bench.stop_shared()
    doc = {
        "scale": scale.name,
        "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": env.git_commit(),
        "machine": env.machine(url) | {"load_average_before": load_before},
        "dataset": {
            "counts": seeded["counts"],
            "seconds": seeded["seconds"],
            "migrate_seconds": seeded.get("migrate_seconds"),
            "sources": seeded.get("sources", {}),
        },
        "results": bench.results,
        "goals": goals(bench.results),
        "errors": errors,
        "failures": bench.failures,
        "notes": bench.notes,
        "step_seconds": timings,
        "total_seconds": round(time.monotonic() - started, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    suffix = ""
    if only != MEASUREMENTS:  # a partial run on another database than the default is named after it
        own = seeded_name(scale.name, env.db_name(url)) != f".{scale.name}-seeded.json"
        suffix = (f"-{env.db_name(url)}" if own else "") + "-partial"
    (RESULTS / f"{scale.name}{suffix}-latest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    md = markdown(doc)
    (RESULTS / f"{scale.name}{suffix}-latest.md").write_text(md)
    log("")
    log(md)
    log(f"total {doc['total_seconds']}s")
    return 1 if (errors or bench.failures) else 0


if __name__ == "__main__":
    sys.exit(main())
