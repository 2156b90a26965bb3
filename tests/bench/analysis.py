"""Why a goal is missed and what would close it: the profiling behind each, printed beside a miss.

Written from profiles of the full-scale dataset (docs/bench.md, "Findings", has the details and
the measured effect of each fix). Keyed by the start of the goal's name in ``run.goals``.
"""

ANALYSIS = {
    "board list p95": (
        "The database floor of this page is most of it: both statements (COUNT and the page) run a GIN "
        "bitmap scan for 欠薪 over every status (22,000 tasks, open or not) once per district of the "
        "city (7 loops, ~3 ms each), then recheck 1,280 heap blocks: ~25-30 ms each, ~50 ms bare. "
        "Close it: a partial GIN index for the board, "
        "`CREATE INDEX marketplace_task_board_search_gin ON marketplace_aidtask USING gin "
        "(to_tsvector('simple', search_text)) WHERE status IN ('open', 'filled')` (measured: 30 ms -> 7 ms "
        "per statement with the query unchanged), and filter on the region codes "
        "(`region_id IN (codes under the path)`) instead of joining the region per row (-> 3 ms)."
    ),
    "board list p50 / bare": (
        "Django, DRF, django-filter and 50 ModelSerializer rows add ~10 ms of CPU per request on this "
        "machine. Close it: serialise the board from `.values()` with a plain function, and skip the "
        "region-path lookup query (one round trip) by filtering on a subquery."
    ),
    "HTML board page": (
        "`GET /` shows the first 20 of every open and filled task (76,000 at full scale). The page query "
        "ORDER BY starts_at, id cannot use the (status, starts_at) index for two statuses, so PostgreSQL "
        "scans the whole table in parallel, joins and sorts: ~120 ms of the page; the COUNT(*) adds ~8 ms. "
        "Close it: `CREATE INDEX marketplace_task_board_order ON marketplace_aidtask (starts_at, id) "
        "WHERE status IN ('open', 'filled')` (measured: 118 ms -> 0.5 ms, an ordered index scan that stops "
        "at 20 rows). The page also shows 20 tasks, not the 50 of the goal (frontend PAGE_SIZE)."
    ),
    "one claim alone": (
        "claim_create makes ~12 round trips: the task row lock, the already-claimed EXISTS, the eligibility "
        "checks (overlap query, volunteer), a SAVEPOINT and RELEASE around the INSERT, the seats UPDATE, "
        "the coordinators query for the event, COMMIT; plus the token and volunteer lookups. Close it: "
        "do the checks that do not need the lock before taking it, drop the inner atomic() (catch the "
        "unique violation on the outer one), and take the seat with one conditional "
        "`UPDATE ... SET seats_taken = seats_taken + 1 WHERE id = %s AND seats_taken < seats` whose row "
        "count decides accepted or waitlisted (STYLE.md's pattern)."
    ),
    "claims per second": (
        "Every claim on a task serialises on the task's row lock, and the lock is held for the whole "
        "service: eligibility queries, savepoint, insert, update, commit. Throughput per task is "
        "1 / lock-hold time. Close it: as for one claim, keep only the conditional UPDATE and the "
        "INSERT under the lock (two statements and the commit); a waitlisted claim then needs no lock "
        "at all. More worker processes help only once the lock is short."
    ),
    "oversold": "A seat was sold twice: a correctness bug, not a speed goal. The run fails.",
    "compliance report": (
        "duties.selectors.with_progress annotates each provider with correlated subqueries (ledger sums, "
        "the applicable rule found by a prefix match and sorted by length, the review), and the report's "
        "COUNT(... FILTER (WHERE progress_status = s)) inlines the whole progress CASE, with all its "
        "subqueries, once per status and review status: ~11 copies per provider. Close it: one pass, "
        "ledger sums as a hash aggregate (`GROUP BY volunteer_id`), the rule per (region, kind) from "
        "DISTINCT ON over the few rules, the status computed once per provider in a derived table, then "
        "grouped (docs/bench.md has the SQL; it gives the same counts as the current code and runs in "
        "well under a second at full scale)."
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
