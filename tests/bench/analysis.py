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
    "one claim alone": (
        "A claim is 14 statements: token, memberships, task and volunteer lookups, then BEGIN, the task "
        "row lock (SELECT ... FOR UPDATE), the already-claimed EXISTS, the overlap check, SAVEPOINT, INSERT, "
        "RELEASE, the seats UPDATE, the coordinators query for the event, COMMIT: 8 of them while holding "
        "the task's lock. Close it: "
        "do the checks that do not need the lock before taking it, drop the inner atomic() (catch the "
        "unique violation on the outer one), and take the seat with one conditional "
        "`UPDATE ... SET seats_taken = seats_taken + 1 WHERE id = %s AND seats_taken < seats` whose row "
        "count decides accepted or waitlisted (STYLE.md's pattern)."
    ),
    "claims per second": (
        "Since marketplace 82bd21a the lock is short: eligibility is judged before any lock, the seat is "
        "one conditional UPDATE (4 statements under the task lock for an accepted claim, 3 for a "
        "waitlisted one), and the service alone reaches ~160-175 claims/s on one task with 40 threads "
        "(tests/marketplace/bench_claims.py). Over HTTP the limit is CPU: each claim request costs "
        "~20 ms of Python (token and membership lookups, DRF parsing, the service, the JSON answer) in "
        "2 uvicorn workers on 2 cores that the 200 client connections share, so ~50-100 claims/s is the "
        "ceiling of this machine. Close it: more cores or worker processes (the lock is no longer the "
        "bottleneck), and a lighter claim endpoint (cache the token's user and memberships)."
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
        "The fan-out is Python in the process that holds the sockets: the layer hands the event to each "
        "of the 1,000 consumers (the in-memory layer deep-copies it per channel; channels_redis sends one "
        "message per process, so Redis itself is cheap), and each consumer JSON-encodes and writes its "
        "own frame, so the last socket waits for the 999 before it, on 2 cores shared with the client's "
        "1,000 sockets. With one process the triggering claim's response also waits behind the fan-out. "
        "Close it: encode the event once and write the same text frame to every socket, and spread the "
        "sockets over more server processes with Redis (each fans out to its own share)."
    ),
}


def explain(goal_name: str) -> str | None:
    for prefix, text in ANALYSIS.items():
        if goal_name.startswith(prefix):
            return text
    return None
