"""The board's search index, on PostgreSQL only.

It serves ``to_tsvector('simple', search_text) @@ to_tsquery('simple', ...)`` in
marketplace.selectors.tasks_matching. SQLite has no GIN; there the search is a LIKE per token.
"""

from django.db import migrations

INDEX = "marketplace_task_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON marketplace_aidtask "
        "USING gin (to_tsvector('simple'::regconfig, search_text))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
