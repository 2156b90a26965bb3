"""On PostgreSQL, refuse UPDATE and DELETE on the duty ledger in the database itself.

The ORM refuses them too (DutyEntry.save/delete, its queryset); the trigger also stops raw SQL
and other clients. TRUNCATE is left alone: test databases are flushed with it. SQLite has
no such trigger here; the hash chain catches edits on every database.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION duties_dutyentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'duties_dutyentry is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS duties_dutyentry_append_only ON duties_dutyentry;
CREATE TRIGGER duties_dutyentry_append_only
    BEFORE UPDATE OR DELETE ON duties_dutyentry
    FOR EACH ROW EXECUTE FUNCTION duties_dutyentry_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS duties_dutyentry_append_only ON duties_dutyentry;
DROP FUNCTION IF EXISTS duties_dutyentry_refuse_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0002_ledger_append_only_constraints"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
