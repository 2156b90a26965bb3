"""Why a goal is missed and what would close it: the profiling behind each, printed beside a miss.

Written from profiles of the full-scale dataset (docs/bench.md, "Findings", has the details and
the measured effect of each fix). Keyed by the start of the goal's name in ``run.goals``.
"""

ANALYSIS = {
    "board list p95": (
        "The database floor is most of it: COUNT and the page both run the search's GIN bitmap scan once "
        "per district of the filtered city (the planner joins the region table row by row) and recheck "
        "the heap. Migration marketplace 0003 restricts the search index to open and filled tasks "
        "(bare SQL 56 -> 18 ms at full scale). Next: filter `region_id IN (codes under the path)` instead "
        "of joining the region table (one index scan instead of seven; measured ~3 ms per statement)."
    ),
    "board list p50 / bare": (
        "Django, DRF, django-filter and 50 ModelSerializer rows add ~10-30 ms of CPU per request on this "
        "machine. Close it: serialise the board from `.values()` with a plain function, and skip the "
        "region-path lookup query (one round trip) by filtering on a subquery."
    ),
    "HTML board page": (
        "`GET /` shows the first 20 of every open and filled task (76,000 at full scale). Before migration "
        "marketplace 0003 its page query sorted them all (parallel sequential scan, ~120 ms; p50 154 ms); "
        "the partial index (starts_at, id) WHERE status IN ('open', 'filled') makes it an ordered scan "
        "that stops at the page (0.5 ms; p50 53 ms). What is left: Paginator's COUNT(*) over the 76,000 "
        '(~8 ms; cap it at "1,000+" or cache it for a few seconds), and rendering 20 cards through the '
        "template engine plus the middleware stack (cache each card fragment by task id and updated_at). "
        "The page shows 20 tasks, not the 50 of the goal (frontend PAGE_SIZE)."
    ),
    "one claim alone p50 / its floor": (
        "The floor is the claim's own 6 statements through psycopg plus the floor app's answer to the same "
        "POST. What the product adds on top is Python: DRF's request parsing and content negotiation, "
        "the permission and throttle classes, the service's eligibility checks, the serializer and "
        "Django's middleware stack (sessions, locale, CSRF, security headers), each claim's response "
        "rendered through the JSON renderer. Close it: a leaner claim endpoint (a plain async view that "
        "reads the token and calls the service through one sync_to_async hop), fewer middleware on the "
        "API's URLs."
    ),
    "one claim alone": (
        "Since issue 15 a claim is 6 statements (token with the provider profile, task, the seat's "
        "UPDATE that also locks the provider on PostgreSQL, the overlap check once, the INSERT, and the "
        'coordinators after commit; docs/marketplace.md, "The claim path"). On this shared 2-core '
        "machine the p50 is mostly CPU: see the ratio to the floor for what Django and DRF add."
    ),
    "queries per claim": (
        "Counted from the statements one claim sends (tests/bench/floors.py captures them; "
        "tests/marketplace/test_claim_queries.py holds the line at 6)."
    ),
    "claim p95 inside the contention burst": (
        "All 200 claims of a burst arrive at once at 2 workers with 10 database connections each; the "
        "last answered waits for the ~195 before it, so p95 is about the burst's wall time. The lock is "
        "not the queue (the floor, the same statements over 20 connections, shows the database's "
        "share): the CPU is. Close it: more worker processes or cores, and less Python per claim."
    ),
    "contention throughput / its floor": (
        "The floor adds the SQL alone (20 connections, as the server's pool) and the floor app alone for "
        "the same bursts; below half of it, the difference is Python per claim (see the single claim's "
        "ratio) rather than the database."
    ),
    "worker memory": (
        "The RSS of a uvicorn worker after the board, claims and contention measurements: the "
        "interpreter, Django, DRF, drf-spectacular's schema machinery, openpyxl, the apps' modules and "
        "the psycopg pool. Close it: import the exporters (openpyxl) and schema generation lazily, "
        "and measure with tracemalloc which modules dominate."
    ),
    "claims per second": (
        "Since issue 15 an accepted claim holds the task's row lock for the overlap SELECT, the INSERT and "
        "COMMIT only (the seat's UPDATE takes the provider's lock with it), and the statements are 6 in "
        "all; the floor (the same statements through psycopg over the server's 20 connections, plus the "
        "floor app for the HTTP) shows what the database and a bare HTTP answer allow on this machine. "
        "Over HTTP the limit is CPU: each claim still costs several ms of Python (DRF, the service, "
        "the serializer, middleware) in 2 uvicorn workers on 2 cores shared with the 200 client "
        "connections. Close it: more cores or worker processes, and a lighter claim endpoint."
    ),
    "HTML list page, cost per task": (
        "Unless the pages' measurement gives its own per-task figure (board_html.per_task_ms), this is "
        "the HTML board page's p50 over the tasks it shows, so the page's fixed cost (middleware, the "
        "layout, the count) is spread over its 20 cards. See the HTML board page's entry for where the "
        "page's time goes."
    ),
    "oversold": "A seat was sold twice: a correctness bug, not a speed goal. The run fails.",
    "compliance report": (
        "Since duties ca72ddc the report is one pass (it was ~31-50 s with correlated subqueries repeated "
        "in every COUNT FILTER). What is left is summing this year's ledger, ~630,000 entries, on every "
        "request: a parallel sequential scan and hash aggregate of ~1-1.3 s of the ~1.9 s the query takes "
        "in-process on this loaded 2-core machine (tests/bench/proposals/compliance_report.sql did the "
        "same in ~0.5 s on a quieter machine). Close it: keep per-provider yearly totals next to the "
        "ledger (a row per provider and year, updated by the append service in the same transaction), "
        "so the report reads 50,000 rows instead of aggregating 630,000; or a covering index "
        "(year, volunteer_id) INCLUDE (hours, cases) for an index-only aggregate."
    ),
    "CSV export": (
        "Memory: Django under ASGI materialises a StreamingHttpResponse fed by a synchronous iterator "
        "(list()), so the export is buffered whole. Close it: give StreamingHttpResponse an async "
        "iterator that pulls batches of rows through sync_to_async."
    ),
    "XLSX export": (
        "The workbook is written to a temporary file (write_only) and then served; memory follows the "
        "file's chunks. If it grows, it is the ASGI buffering of FileResponse's sync iterator."
    ),
    "verify_ledger": (
        "The walk is Python: fetch, join and SHA-256 per row. Close it: fetch and hash in parallel "
        "(a prefetching thread for the next server-side cursor batch), or compute the hashes in "
        "PostgreSQL (sha256() over the same canonical text) and compare in SQL."
    ),
    "socket delivery": (
        "Since issue 15 the event is encoded once and each process has one board subscription that writes "
        "the same text to each of its sockets (marketplace.core.consumers.BoardHub), so the layer no "
        "longer wakes a consumer per socket. What is left: the latency is measured from just before the "
        "triggering claim request, so it includes that claim (its request takes most of it on a loaded "
        "machine: see trigger_request and after_response in the JSON), and the load client's own "
        "sockets share the 2 cores. Close it: spread the sockets over more processes (Redis) and give "
        "the load client its own machine."
    ),
}


def explain(goal_name: str) -> str | None:
    for prefix, text in ANALYSIS.items():
        if goal_name.startswith(prefix):
            return text
    return None
