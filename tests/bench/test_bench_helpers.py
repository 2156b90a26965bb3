"""The bench's own arithmetic and safety rules (the measurements themselves run with ``make bench``)."""

from tests.bench import env
from tests.bench.run import goals, pct


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
        "contention": {"oversold_tasks": 1, "claims_per_s": 50.0},
    }
    by_name = {g["goal"]: g for g in goals(results)}
    assert by_name["board list p50 / bare SQL p50"]["met"] is False
    assert by_name["board list p50 / bare SQL p50"]["miss"] == "2.0x the limit"
    assert by_name["board list p95, 1 client"]["met"] is True
    assert by_name["oversold seats"]["met"] is False
    assert by_name["claims per second under contention"]["miss"] == "0.50x the minimum"
    assert by_name["HTML board page p50"]["met"] is None
