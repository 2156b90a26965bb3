"""Two partial indexes for the board (open and filled tasks), on PostgreSQL only. Measured by
tests/bench on the province-scale dataset (docs/bench.md, "Findings"):

- ``marketplace_task_board_order`` serves the board's first page, ORDER BY starts_at, id over
  status IN ('open', 'filled'): an ordered index scan that stops at the page instead of sorting
  every open task (118 ms -> 0.5 ms for the HTML board's page query at 76,000 open tasks).
- ``marketplace_task_board_search_gin`` is the search index restricted to the board's statuses, so
  a board search no longer walks the matches of completed and cancelled tasks
  (30 ms -> 7 ms per statement for a city-filtered search). The full index of migration 0002 stays
  for searches with another ``status``.

Both predicates repeat marketplace.models.CLAIMABLE_TASK_STATUSES (the board's default); the
planner uses a partial index only when the query's WHERE implies its predicate (in any order).
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS marketplace_task_board_order ON marketplace_aidtask (starts_at, id) "
    "WHERE status IN ('open', 'filled')",
    "CREATE INDEX IF NOT EXISTS marketplace_task_board_search_gin ON marketplace_aidtask "
    "USING gin (to_tsvector('simple'::regconfig, search_text)) WHERE status IN ('open', 'filled')",
]
DROP = [
    "DROP INDEX IF EXISTS marketplace_task_board_search_gin",
    "DROP INDEX IF EXISTS marketplace_task_board_order",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0002_task_search_gin_index_on_postgresql")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
