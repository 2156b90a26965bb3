"""The bench's own arithmetic and safety rules (the measurements themselves run with ``make bench``)."""

from tests.bench import env
from tests.bench.run import goals, issue_table, pct, seeded_name


def test_percentiles_are_nearest_rank():
    samples = [i / 1000 for i in range(1, 101)]  # 1 ms .. 100 ms
    assert pct(samples, 50) == 0.050
    assert pct(samples, 95) == 0.095
    assert pct([0.007], 95) == 0.007
    assert pct([], 50) is None


def test_bench_never_takes_the_name_of_the_database_it_is_given(monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://ci@db.internal:5433/test")
    assert env.database_url("small") == "postgres://ci@db.internal:5433/legalaid_bench_small"
    assert env.database_url("full") == "postgres://ci@db.internal:5433/legalaid_bench"


def test_bench_database_defaults_to_local_postgresql_when_the_app_runs_on_sqlite(monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    assert env.database_url("small") == "postgres://postgres@127.0.0.1:5432/legalaid_bench_small"


def test_a_bench_database_url_is_used_as_given(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://u@127.0.0.1/my_bench")
    assert env.database_url("full") == "postgres://u@127.0.0.1/my_bench"


def test_a_missed_speed_goal_says_by_how_much_and_an_oversold_seat_is_a_miss():
    results = {
        "board_list": {"ratio_p50": 6.0, "clients_1": {"p95_ms": 50}},
        "contention": {"oversold_tasks": 1, "claims_per_s": 86.5},
    }
    by_key = {g["key"]: g for g in goals(results)}
    assert by_key["board_list_floor"]["met"] is False
    assert by_key["board_list_floor"]["miss"] == "2.0x the limit"
    assert by_key["board_list_p95"]["met"] is True
    assert by_key["oversold"]["met"] is False
    # Issue 15: five times the peer's 34.6 claims/s.
    assert by_key["contention_throughput"]["limit"] == 173.0
    assert by_key["contention_throughput"]["miss"] == "0.50x the minimum"
    assert by_key["html_board_p50"]["met"] is None


def test_every_goal_of_issue_15_is_printed_and_the_pages_goals_wait_for_their_measurements():
    keys = [g["key"] for g in goals({})]
    for key in (
        "contention_throughput",
        "contention_p95",
        "contention_floor",
        "claim_alone_p50",
        "claim_alone_floor",
        "queries_per_claim",
        "html_per_task",
        "worker_memory",
        "sockets_one_process",
        "sockets_many_processes",
        "board_list_floor",
        "compliance_report",
        "csv_export_memory",
        "xlsx_export_memory",
        "verify_ledger",
        "overdue_queue",
        "stats_page",
    ):
        assert key in keys
    assert len(keys) == len(set(keys))
    measured = {g["key"]: g for g in goals({"overdue_queue": {"p50_ms": 250.0}, "stats_page": {"p50_ms": 20.0}})}
    assert (measured["overdue_queue"]["met"], measured["stats_page"]["met"]) == (False, True)


def test_floor_ratios_and_the_peer_column():
    results = {
        "claim_alone": {"p50_ms": 12.0, "queries": 6, "floor": {"ratio_p50": 2.4}},
        "contention": {"claims_per_s": 90.0, "p95_ms": 900.0, "floor": {"throughput_ratio": 0.6}},
        "board_html": {"p50_ms": 20.0, "tasks_on_page": 20},
        "worker_memory": {"max_rss_mb": 100.0},
    }
    by_key = {g["key"]: g for g in goals(results)}
    assert by_key["claim_alone_floor"]["met"] is False  # more than twice its floor
    assert by_key["contention_floor"]["met"] is True  # at least half the floor's throughput
    assert by_key["queries_per_claim"]["met"] is True
    assert by_key["claim_alone_p50"]["limit"] == 14.1  # 70.5 ms / 5
    assert by_key["html_per_task"]["value"] == 1.0  # 20 ms over 20 tasks
    assert by_key["worker_memory"]["met"] is False  # 184 MB / 2
    table = "\n".join(issue_table(goals(results)))
    assert "| queries per claim | 6 | 38 | ≤ 6 | yes |" in table
    assert "34.6 /s" in table


def test_a_small_socket_measurement_says_the_goal_was_for_more_sockets():
    results = {"sockets": {"redis_many_processes": {"sockets": 400, "processes": 4, "p95_ms": 300.0}}}
    many = {g["key"]: g for g in goals(results)}["sockets_many_processes"]
    assert many["goal"] == "socket delivery p95, 400 (the goal is for 10,000) sockets over 4 processes, Redis"
    assert many["met"] is True


def test_a_bench_on_its_own_database_keeps_its_own_seeded_state():
    assert seeded_name("small", "legalaid_bench_small") == ".small-seeded.json"
    assert seeded_name("small", "legalaid_bench_claim") == ".small-legalaid_bench_claim-seeded.json"
