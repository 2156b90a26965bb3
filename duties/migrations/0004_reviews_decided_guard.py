"""On PostgreSQL, a decided annual review changes only by the revocation of its certificate.

A decided review records the ledger totals and chain head a regulator signed off on; a plain
SQL UPDATE must not be able to rewrite them. The trigger lets an open review change freely
(deciding is that change) and, once decided, allows only:

- ``certificate_revoked_at`` going from NULL to a time, when there is a certificate (revocation);
- the user, organisation and rule references becoming NULL: the models declare
  ``on_delete=SET_NULL`` for them, so deleting a user or rule keeps working.

Every other column, present or added later, is compared as a whole row (``to_jsonb``), so a
column added by a later migration is frozen on decided reviews too unless that migration says
otherwise. Deleting a decided review is refused. TRUNCATE is left alone: test databases are
flushed with it. SQLite has no such trigger; ``manage.py check_integrity`` compares decided
reviews with the ledger on every database.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION duties_annualreview_guard_decided() RETURNS trigger AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    col text;
BEGIN
    IF OLD.status = 'open' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'duties_annualreview %: a decided review is never deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    old_row := to_jsonb(OLD) - 'certificate_revoked_at';
    new_row := to_jsonb(NEW) - 'certificate_revoked_at';
    FOREACH col IN ARRAY ARRAY['opened_by_id', 'decided_by_id', 'decided_by_org_id', 'rule_id'] LOOP
        IF new_row -> col = 'null'::jsonb THEN
            old_row := old_row - col;
            new_row := new_row - col;
        END IF;
    END LOOP;
    IF old_row IS DISTINCT FROM new_row THEN
        RAISE EXCEPTION 'duties_annualreview %: a decided review changes only by revocation', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.certificate_revoked_at IS DISTINCT FROM OLD.certificate_revoked_at
       AND (OLD.certificate_revoked_at IS NOT NULL
            OR NEW.certificate_revoked_at IS NULL
            OR OLD.certificate_code IS NULL) THEN
        RAISE EXCEPTION 'duties_annualreview %: a certificate is revoked once, never restored', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS duties_annualreview_decided_guard ON duties_annualreview;
CREATE TRIGGER duties_annualreview_decided_guard
    BEFORE UPDATE OR DELETE ON duties_annualreview
    FOR EACH ROW EXECUTE FUNCTION duties_annualreview_guard_decided();
"""

DROP = """
DROP TRIGGER IF EXISTS duties_annualreview_decided_guard ON duties_annualreview;
DROP FUNCTION IF EXISTS duties_annualreview_guard_decided();
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
        ("duties", "0003_ledger_refuse_update_delete_trigger"),
    ]

    operations = [PostgresRunSQL(sql=CREATE, reverse_sql=DROP)]
