"""Dataset sizes and measurement bounds of each benchmark scale."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    # Dataset.
    providers: int
    organizations: int
    tasks: int
    claims: int
    ledger_entries: int
    districts_per_city: int
    # Providers reserved for the measurements (never given seeded claims), each with an API token.
    pool: int
    # Providers of the one city whose compliance export is the "small" export (the province's is the big one).
    small_export_city_providers: int
    # Measurement bounds.
    board_requests: int
    board_concurrent_requests: int
    html_requests: int
    solo_claims: int
    contention_tasks: int
    contention_claimers: int
    progress_requests: int
    report_requests: int
    sockets: int
    socket_events: int
    # Issue 15: sockets spread over ``socket_processes`` server processes on Redis (10,000 over 4
    # at full scale; the small scale uses fewer and says so in the goal's name).
    sockets_many: int
    socket_processes: int
    # Wall-clock guard for any single measurement, seconds.
    step_timeout: float
    # The bench database's statement_timeout, seconds (BENCH_STATEMENT_TIMEOUT overrides).
    statement_timeout: int


FULL = Scale(
    name="full",
    providers=50_000,
    organizations=2_000,
    tasks=200_000,
    claims=600_000,
    ledger_entries=1_000_000,
    districts_per_city=8,
    pool=300,
    small_export_city_providers=5_000,
    board_requests=200,
    board_concurrent_requests=800,
    html_requests=100,
    solo_claims=100,
    contention_tasks=100,
    contention_claimers=200,
    progress_requests=100,
    report_requests=10,
    sockets=1_000,
    socket_events=20,
    sockets_many=10_000,
    socket_processes=4,
    step_timeout=600,
    statement_timeout=120,
)

SMALL = Scale(
    name="small",
    providers=2_000,
    organizations=100,
    tasks=6_000,
    claims=18_000,
    ledger_entries=30_000,
    districts_per_city=3,
    pool=60,
    small_export_city_providers=200,
    board_requests=40,
    board_concurrent_requests=160,
    html_requests=20,
    solo_claims=20,
    contention_tasks=5,
    contention_claimers=50,
    progress_requests=20,
    report_requests=3,
    sockets=100,
    socket_events=5,
    sockets_many=400,
    socket_processes=4,
    step_timeout=120,
    statement_timeout=15,
)

SCALES = {"full": FULL, "small": SMALL}

# Provider kinds that may claim the bench tasks (they are open to everyone).
BENCH_YEAR_OFFSET = 0
