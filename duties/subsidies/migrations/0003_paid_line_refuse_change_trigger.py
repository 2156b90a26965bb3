"""On PostgreSQL, a paid subsidy line is never changed or deleted, in the database itself.

Money paid out is corrected by a reversing line (``subsidy_reverse``), never by rewriting the
paid one. The ORM path never updates a paid line; the trigger also stops raw SQL and other
clients: any change of a row whose status was ``paid`` (amount, status, schedule, payee, batch,
anything) and its deletion are refused. TRUNCATE is left alone: test databases are flushed with
it. SQLite has no such trigger; ``subsidy_recompute`` proves the amounts on every database.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION subsidies_subsidyline_guard_paid() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'paid' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'subsidies_subsidyline %: a paid line is never deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW) THEN
        RAISE EXCEPTION 'subsidies_subsidyline %: a paid line is reversed, never changed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS subsidies_subsidyline_paid_guard ON subsidies_subsidyline;
CREATE TRIGGER subsidies_subsidyline_paid_guard
    BEFORE UPDATE OR DELETE ON subsidies_subsidyline
    FOR EACH ROW EXECUTE FUNCTION subsidies_subsidyline_guard_paid();
"""

DROP = """
DROP TRIGGER IF EXISTS subsidies_subsidyline_paid_guard ON subsidies_subsidyline;
DROP FUNCTION IF EXISTS subsidies_subsidyline_guard_paid();
"""


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (PL/pgSQL exists only on PostgreSQL)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0002_schedules_versions_batches_and_pricing"),
    ]

    operations = [PostgresRunSQL(sql=CREATE, reverse_sql=DROP)]
