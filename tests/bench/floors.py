"""The claim's database floor: its own statements, captured once, replayed through psycopg alone.

``capture_claim`` runs one claim through the product in the bench process (Django's test client,
the same view, service and settings as the server) inside a transaction it then rolls back, and
records every statement with its parameters: the ones before the claim's transaction (token,
task), the ones inside it (the seat's UPDATE and what follows it), and the ones its after-commit
callbacks send (the coordinators of the task's organisation, for the event). It does so twice:
on a task with a free seat (the accepted path) and on the same task made full inside the rolled
back transaction (the waitlist path).

``ReplayClaim`` replays those statements for any pool provider on any task, as the product
would: the statements before, then ``BEGIN``, the seat's UPDATE, the accepted or the waitlist
statements after it depending on whether the UPDATE returned a row, ``COMMIT``, then the
after-commit ones. The parameters that name the provider, its user, its token and the task are
substituted by value (never by text). What it leaves out is everything that is not the database:
HTTP, Django, DRF, the service's Python and JSON.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import psycopg


class FloorError(RuntimeError):
    pass


@dataclass
class Path:
    before: list[tuple[str, tuple]] = field(default_factory=list)
    seat: tuple[str, tuple] | None = None
    inside: list[tuple[str, tuple]] = field(default_factory=list)
    after: list[tuple[str, tuple]] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return len(self.before) + (self.seat is not None) + len(self.inside) + len(self.after)


def _is_seat_update(sql: str) -> bool:
    head = sql.lstrip()[:200]
    return ("UPDATE marketplace_aidtask" in head or "WITH seat AS" in head) and "seats_taken + 1" in sql


def capture_claim(*, task_id: int, token: str, full: bool = False) -> tuple[Path, dict]:
    """One claim on ``task_id`` by the token's provider, rolled back; its statements by phase."""
    from django.db import connection, transaction
    from django.test import Client, TestCase

    from marketplace.models import AidTask

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    recorded: list[tuple[str, tuple, str]] = []
    phase = ["before"]

    def record(execute, sql, params, many, context):
        if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            if sql.startswith("SAVEPOINT") and phase[0] == "before" and recording[0]:
                phase[0] = "inside"
            elif sql.startswith("RELEASE") and phase[0] == "inside" and recording[0]:
                phase[0] = "after"
        elif recording[0]:
            recorded.append((sql, tuple(params or ()), phase[0]))
        return execute(sql, params, many, context)

    recording = [False]
    body = None
    with transaction.atomic():
        if full:
            AidTask.objects.filter(pk=task_id).update(seats_taken=1, seats=1, status="filled")
        with connection.execute_wrapper(record), TestCase.captureOnCommitCallbacks(execute=True):
            recording[0] = True
            response = client.post(f"/api/v1/tasks/{task_id}/claims/", data={}, content_type="application/json")
            body = response.content
        recording[0] = False
        transaction.set_rollback(True)
    connection.close()
    if response.status_code != 201:
        raise FloorError(f"capture: claim answered {response.status_code} {body[:300]!r}")
    path = Path()
    for sql, params, where in recorded:
        if where == "inside" and path.seat is None and _is_seat_update(sql):
            path.seat = (sql, params)
        elif where == "before":
            path.before.append((sql, params))
        elif where == "inside":
            path.inside.append((sql, params))
        else:
            path.after.append((sql, params))
    if path.seat is None:
        raise FloorError("capture: no seat UPDATE among the claim's statements")
    return path, response.json()


def _substitute(params: tuple, mapping: dict) -> tuple:
    out = []
    for p in params:
        key = (type(p), p)
        out.append(mapping.get(key, p))
    return tuple(out)


class ReplayClaim:
    """The captured statements of the accepted and the waitlist path, for any provider and task."""

    def __init__(self, accepted: Path, waitlisted: Path, *, captured: dict):
        self.accepted = accepted
        self.waitlisted = waitlisted
        # The values that name who claims what in the captured parameters.
        self.captured = captured
        names = [(type(v), v) for v in captured.values()]
        if len(set(names)) != len(names):
            raise FloorError(f"capture: ambiguous identifiers {captured} (two of them are equal)")

    def _mapping(self, *, task: int, provider: dict) -> dict:
        new = {"task": task, "volunteer": provider["volunteer"], "user": provider["user"], "token": provider["token"]}
        return {(type(v), v): new[k] for k, v in self.captured.items()}

    def run(self, conn: psycopg.Connection, *, task: int, provider: dict) -> bool:
        """One claim; True when its seat UPDATE took a seat."""
        m = self._mapping(task=task, provider=provider)
        for sql, params in self.accepted.before:
            conn.execute(sql, _substitute(params, m)).fetchall()
        with conn.transaction():
            cur = conn.execute(self.accepted.seat[0], _substitute(self.accepted.seat[1], m))
            took = cur.fetchone() is not None
            path = self.accepted if took else self.waitlisted
            for sql, params in path.inside:
                conn.execute(sql, _substitute(params, m))
        for sql, params in path.after:
            conn.execute(sql, _substitute(params, m)).fetchall()
        return took


def task_state(dsn: str, task: int) -> tuple:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(
            "SELECT seats_taken, status, seats, (SELECT coalesce(max(id), 0) FROM marketplace_claim) "
            "FROM marketplace_aidtask WHERE id = %s",
            (task,),
        ).fetchone()


def restore(dsn: str, task: int, state: tuple) -> None:
    """Undo the replayed claims on ``task``: its claims newer than ``state``, its seats and status."""
    seats_taken, status, seats, max_claim = state
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        conn.execute("DELETE FROM marketplace_claim WHERE task_id = %s AND id > %s", (task, max_claim))
        conn.execute(
            "UPDATE marketplace_aidtask SET seats_taken = %s, status = %s, seats = %s WHERE id = %s",
            (seats_taken, status, seats, task),
        )


def replay_single(dsn: str, replay: ReplayClaim, *, task: int, providers: list[dict]) -> list[float]:
    """One claim at a time on one warm connection, each undone (untimed) before the next."""
    samples = []
    state = task_state(dsn, task)
    with psycopg.connect(dsn, autocommit=True) as conn:
        replay.run(conn, task=task, provider=providers[0])  # warm the connection and the plans
        restore(dsn, task, state)
        for provider in providers:
            t0 = time.perf_counter()
            replay.run(conn, task=task, provider=provider)
            samples.append(time.perf_counter() - t0)
            restore(dsn, task, state)
    return samples


def replay_burst(dsn: str, replay: ReplayClaim, *, task: int, providers: list[dict], connections: int) -> dict:
    """Every provider claims ``task`` at the same instant over ``connections`` connections (as
    many as the server's pool holds); each claim's latency runs from the release to its commit,
    queueing for a connection included, as the HTTP claims queue for the server's. Undone after."""
    state = task_state(dsn, task)
    queue = list(providers)
    lock = threading.Lock()
    latencies: list[float] = []
    accepted = [0]
    errors: list[str] = []
    start = threading.Event()
    conns = [psycopg.connect(dsn, autocommit=True) for _ in range(connections)]
    try:
        for conn in conns:  # warm each connection (plans, catalog) on a claim that is undone
            conn.execute("SELECT 1")
        replay.run(conns[0], task=task, provider=providers[0])
        restore(dsn, task, state)

        def worker(conn) -> None:
            start.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    provider = queue.pop()
                try:
                    took = replay.run(conn, task=task, provider=provider)
                except psycopg.Error as exc:
                    with lock:
                        errors.append(type(exc).__name__)
                    continue
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    accepted[0] += took

        threads = [threading.Thread(target=worker, args=(c,)) for c in conns]
        for t in threads:
            t.start()
        time.sleep(0.05)
        t0 = time.perf_counter()
        start.set()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        for conn in conns:
            conn.close()
        restore(dsn, task, state)
    return {"latencies": latencies, "wall": wall, "accepted": accepted[0], "errors": errors}
