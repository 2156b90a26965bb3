"""The bench's page measurements of issue 15 (items 3 and 5): the centre's overdue queue, the
public statistics, and the list pages with the board's caches off. Called from ``Bench``
(tests/bench/run.py) as the measurements ``overdue_queue``, ``stats_page`` and ``lists``.

Signed-in pages are requested with a session made in the bench process (``force_login`` on the
bench database), API calls with the seeded tokens, everything over HTTP from the client process.
"""

from __future__ import annotations


def _session(user_id: int) -> dict:
    """A session cookie of ``user_id``, as signing in would give (stored in the bench database)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    connection.close()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def _user_id(username: str) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection

    pk = get_user_model().objects.get(username=username).pk
    connection.close()
    return pk


def _rows(body: str, marker: str) -> int:
    return body.count(marker)


def overdue_queue(bench) -> None:
    """What the busiest legal aid centre's coordinator opens to see what is late: the intake desk's
    overdue applications (page and API), the goal's p50 being the slower of the two; beside them the
    cases page (the closings overdue, then the first page of the cases in progress), shown on its
    own (``cases_page``), not folded into the goal."""
    import httpx

    s = bench.seeded
    if not s.get("centre_user"):
        raise RuntimeError("the seeded database has no grown product: seed it again (without --reuse)")
    cookie = _session(s["centre_user"])
    token = bench.token(s["centre_token"])
    n = bench.scale.html_requests
    out = {"centre": s["centre"]}
    with bench.shared() as srv:
        out["page"] = bench.get(srv.base + "/intake/?show=overdue", n=n, headers=cookie)
        out["api"] = bench.get(srv.base + "/api/v1/applications/?overdue=true", n=n, headers=token)
        out["cases_page"] = bench.get(srv.base + "/cases/", n=n, headers=cookie)
        api = httpx.get(srv.base + "/api/v1/applications/?overdue=true", headers=token, timeout=60).json()
        page = httpx.get(srv.base + "/cases/", headers=cookie, timeout=60).text
    out["overdue_applications"] = api.get("count")
    out["cases_page_rows"] = _rows(page, "<tr")
    out["p50_ms"] = max(out["page"]["p50_ms"], out["api"]["p50_ms"])
    bench.results["overdue_queue"] = out


def stats_page(bench) -> None:
    """``/stats/`` and ``GET /api/v1/stats/`` for the province. Warm: the figures are cached for a
    few minutes per year and region (duties/stats.py), so most visitors get them from the cache;
    this is the goal's p50 (the slower of page and API). Cold: one first request for each city and
    the province (a cache miss each, the page for this year, the API for last year), reported
    beside it."""
    s = bench.seeded
    year, province = bench.year, s["province"]
    cities = sorted({d[:4] + "00" for d in _district_codes(bench)})
    n = bench.scale.html_requests
    out = {}
    with bench.shared() as srv:
        cold_page, cold_api = [], []
        for code in [province, *cities]:
            cold_page.append(bench.get(f"{srv.base}/stats/?year={year}&region={code}", n=1, warmup=False)["p50_ms"])
            cold_api.append(
                bench.get(f"{srv.base}/api/v1/stats/?year={year - 1}&region={code}", n=1, warmup=False)["p50_ms"]
            )
        out["page"] = bench.get(f"{srv.base}/stats/?year={year}&region={province}", n=n)
        out["api"] = bench.get(f"{srv.base}/api/v1/stats/?year={year}&region={province}", n=n)
    out["cold_page"] = _spread(cold_page)
    out["cold_api"] = _spread(cold_api)
    out["p50_ms"] = max(out["page"]["p50_ms"], out["api"]["p50_ms"])
    slowest = max(cold_page + cold_api)
    if slowest > 200:
        bench.notes.append(f"stats: a first (uncached) request took up to {slowest:.0f} ms (cold p50s in the JSON)")
    bench.results["stats_page"] = out


def lists(bench) -> None:
    """The list pages of issue 15 item 3 with the board's caches off
    (``BOARD_CARD_CACHE_SECONDS=0``): every card and the filter form rendered on every request,
    so the board's figure is its rendering cost, not the cache's; and the desk and the
    regulator's lists (no cache), each with its rows counted, for a per-row cost."""
    import httpx

    pages = {
        "board_uncached": (None, "/"),
        "desk": ("bench_coordinator", "/desk/?status=completed"),
        "regulator_providers": ("bench_regulator", "/regulator/providers/?status=all"),
        "regulator_reviews": ("bench_regulator", f"/regulator/reviews/?year={bench.year - 1}&region=320000"),
    }
    out = {}
    with bench.server(workers=2, label="lists", extra={"BOARD_CARD_CACHE_SECONDS": "0"}) as srv:
        for name, (username, path) in pages.items():
            headers = _session(_user_id(username)) if username else {}
            res = bench.get(srv.base + path, n=bench.scale.html_requests, headers=headers)
            body = httpx.get(srv.base + path, headers=headers, timeout=60).text
            res["rows"] = body.count("data-task-id=") if name == "board_uncached" else body.count("<tr") - 1
            res["per_row_ms"] = round(res["p50_ms"] / res["rows"], 2) if res["rows"] > 0 else None
            out[name] = res
    bench.results["lists"] = out


def _district_codes(bench) -> list[str]:
    import psycopg

    with psycopg.connect(bench.dsn) as conn:
        rows = conn.execute("SELECT code FROM organizations_region WHERE parent_id IS NOT NULL").fetchall()
    return [r[0] for r in rows]


def _spread(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"n": len(ordered), "p50_ms": ordered[(len(ordered) - 1) // 2], "max_ms": ordered[-1]}
