"""The load generator: a separate process that talks HTTP and WebSocket to 127.0.0.1 only.

    python -m tests.bench.client < spec.json  > result.json

Every scenario is bounded twice: by its request count and by ``deadline`` seconds. The result is
raw samples (seconds) and status counts; the orchestrator computes percentiles.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit


def _check_local(url: str) -> None:
    host = urlsplit(url).hostname
    if host != "127.0.0.1":
        raise SystemExit(f"the bench client talks to 127.0.0.1 only, not {host!r}")


def http_get(spec: dict) -> dict:
    """``n`` GETs of ``url`` from ``concurrency`` threads, each with its own keep-alive connection."""
    import httpx

    url, n, concurrency = spec["url"], spec["n"], spec["concurrency"]
    _check_local(url)
    headers = spec.get("headers", {})
    deadline = time.monotonic() + spec["deadline"]
    latencies: list[float] = []
    statuses: Counter = Counter()
    sizes: list[int] = []
    lock = threading.Lock()
    remaining = [n]

    request_timeout = spec.get("request_timeout", 60)

    def worker() -> None:
        with httpx.Client(headers=headers, timeout=request_timeout) as client:
            if spec.get("warmup", True):
                with contextlib.suppress(httpx.TimeoutException):
                    client.get(url)  # warm the connection and the view; not counted
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                t0 = time.perf_counter()
                try:
                    r = client.get(url)
                    body, code = r.content, r.status_code
                except httpx.TimeoutException:
                    body, code = b"", "timeout"
                except httpx.HTTPError as exc:  # a dropped connection: recorded, so the run reports it
                    body, code = b"", f"error:{type(exc).__name__}"
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    statuses[code] += 1
                    sizes.append(len(body))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "latencies": latencies,
        "statuses": dict(statuses),
        "wall": wall,
        "bytes": max(sizes) if sizes else 0,
        "timed_out": remaining[0] > 0,
    }


def claims_solo(spec: dict) -> dict:
    """One claim at a time: each pool provider claims the solo task once."""
    import httpx

    base, task = spec["base"], spec["task"]
    _check_local(base)
    deadline = time.monotonic() + spec["deadline"]
    latencies, statuses, bodies = [], Counter(), Counter()
    with httpx.Client(timeout=60) as client:
        client.get(f"{base}/healthz")
        for token in spec["tokens"]:
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            r = client.post(f"{base}/api/v1/tasks/{task}/claims/", json={}, headers={"Authorization": f"Token {token}"})
            latencies.append(time.perf_counter() - t0)
            statuses[r.status_code] += 1
            if r.status_code == 201:
                bodies[r.json().get("status")] += 1
            elif len(bodies) < 5:
                bodies[f"{r.status_code}:{r.text[:200]}"] += 1
    return {"latencies": latencies, "statuses": dict(statuses), "claim_statuses": dict(bodies)}


async def _contention(spec: dict) -> dict:
    import httpx

    base = spec["base"]
    _check_local(base)
    deadline = time.monotonic() + spec["deadline"]
    tokens = spec["tokens"]
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    per_task = []
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    total_wall = 0.0
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await client.get(f"{base}/healthz")
        for task in spec["tasks"]:
            if time.monotonic() > deadline:
                break
            start = asyncio.Event()

            async def one(token: str, task: int = task, start: asyncio.Event = start) -> tuple[int, str, float]:
                await start.wait()
                t0 = time.perf_counter()
                try:
                    r = await client.post(
                        f"{base}/api/v1/tasks/{task}/claims/", json={}, headers={"Authorization": f"Token {token}"}
                    )
                except httpx.TransportError as exc:
                    # Recorded, not raised: the seat check below reads the database anyway.
                    return 0, type(exc).__name__, time.perf_counter() - t0
                dt = time.perf_counter() - t0
                status = r.json().get("status", "") if r.status_code == 201 else r.text[:120]
                return r.status_code, status, dt

            jobs = [asyncio.create_task(one(t)) for t in tokens]
            await asyncio.sleep(0.05)
            t0 = time.perf_counter()
            start.set()
            results = await asyncio.gather(*jobs)
            wall = time.perf_counter() - t0
            total_wall += wall
            accepted = sum(1 for code, status, _ in results if code == 201 and status == "accepted")
            for code, status, dt in results:
                latencies.append(dt)
                statuses[code] += 1
                if code == 0 or code >= 500 or code in (400, 401, 403):
                    errors[f"{code}:{status}"] += 1
            per_task.append({"task": task, "accepted": accepted, "wall": wall})
    return {
        "per_task": per_task,
        "latencies": latencies,
        "statuses": dict(statuses),
        "errors": dict(errors.most_common(5)),
        "wall": total_wall,
    }


async def _sockets(spec: dict) -> dict:
    """``sockets`` clients on ``ws_url``; ``events`` claims made through ``trigger_base``.

    For each event, the time from just before the claim request is sent (the commit happens
    inside that request) to each socket's receipt of the task's ``task.changed``.
    """
    import httpx
    import websockets

    ws_url, trigger_base, task = spec["ws_url"], spec["trigger_base"], spec["task"]
    _check_local(ws_url)
    _check_local(trigger_base)
    origin = spec["origin"]
    deadline = time.monotonic() + spec["deadline"]
    n = spec["sockets"]
    conns = []
    connect_failures = 0
    sem = asyncio.Semaphore(50)

    async def connect():
        nonlocal connect_failures
        async with sem:
            try:
                return await websockets.connect(ws_url, origin=origin, open_timeout=30, max_queue=None)
            except Exception:
                connect_failures += 1
                return None

    conns = [c for c in await asyncio.gather(*(connect() for _ in range(n))) if c is not None]
    latencies: list[float] = []
    after_response: list[float] = []
    missed = 0
    request_latencies = []
    statuses: Counter = Counter()
    received_marks: dict[int, list[float]] = {}

    async def reader(i: int, ws, box: dict) -> None:
        try:
            async for raw in ws:
                t = time.perf_counter()
                msg = json.loads(raw)
                if msg.get("type") == "task.changed" and msg.get("task", {}).get("id") == task:
                    key = msg["task"].get("seats_left")
                    waiter = box.get(key)
                    if waiter is not None and i not in waiter["seen"]:
                        waiter["seen"][i] = t
                        if len(waiter["seen"]) == len(conns):
                            waiter["done"].set()
        except Exception:  # noqa: S110 (a socket closed at the end of the run)
            pass

    box: dict = {}
    readers = [asyncio.create_task(reader(i, ws, box)) for i, ws in enumerate(conns)]
    await asyncio.sleep(1.0)
    async with httpx.AsyncClient(timeout=60) as client:
        r = await client.get(f"{trigger_base}/api/v1/tasks/{task}/")
        seats_left = r.json().get("seats_left") if r.status_code == 200 else None
        for token in spec["tokens"][: spec["events"]]:
            if time.monotonic() > deadline or seats_left is None:
                break
            expected = seats_left - 1
            waiter = {"seen": {}, "done": asyncio.Event()}
            box.clear()
            box[expected] = waiter
            t0 = time.perf_counter()
            r = await client.post(
                f"{trigger_base}/api/v1/tasks/{task}/claims/", json={}, headers={"Authorization": f"Token {token}"}
            )
            t1 = time.perf_counter()
            request_latencies.append(t1 - t0)
            statuses[r.status_code] += 1
            if r.status_code != 201 or r.json().get("status") != "accepted":
                continue
            seats_left = expected
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter["done"].wait(), timeout=10)
            seen = waiter["seen"]
            missed += len(conns) - len(seen)
            latencies.extend(t - t0 for t in seen.values())
            after_response.extend(t - t1 for t in seen.values())
            received_marks[expected] = sorted(seen.values())
            await asyncio.sleep(0.2)
    for ws in conns:
        await ws.close()
    for r in readers:
        r.cancel()
    return {
        "connected": len(conns),
        "connect_failures": connect_failures,
        "latencies": latencies,
        "after_response": after_response,
        "missed": missed,
        "request_latencies": request_latencies,
        "statuses": dict(statuses),
    }


def main() -> None:
    spec = json.load(sys.stdin)
    kind = spec["scenario"]
    if kind == "http_get":
        result = http_get(spec)
    elif kind == "claims_solo":
        result = claims_solo(spec)
    elif kind == "contention":
        result = asyncio.run(_contention(spec))
    elif kind == "sockets":
        result = asyncio.run(_sockets(spec))
    else:
        raise SystemExit(f"unknown scenario {kind!r}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
