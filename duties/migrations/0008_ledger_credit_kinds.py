"""Ledger credits record what kind of work they were (``credit_kind``); duty rules say which kinds
count (``credit_kinds``).

Existing rows are given their credit kind from their claim's task kind (a reversal from the entry
it reverses) and keep ``hash_version`` 1: their hashes, and every chain head a decided review
recorded, stay as they were; rows appended from now on are version 2, hashed with their credit
kind (duties.ledger). On PostgreSQL the append-only trigger is set aside for this one UPDATE.

Existing rules under which a review was decided count every kind, as they did when it was
decided, so that the review's recorded totals still equal the ledger's (check_integrity); every
other rule counts the forms of legal aid only (outreach and community mediation left out).
"""

from django.db import migrations, models

# The task kinds of before this migration and the credit kind of work on them; written out
# here because a migration never imports app code.
ENTRY_CREDIT_KINDS = """
UPDATE duties_dutyentry SET credit_kind = COALESCE((
    SELECT CASE t.kind
        WHEN 'consultation' THEN 'consultation'
        WHEN 'document_drafting' THEN 'document'
        WHEN 'duty_shift' THEN 'duty_shift'
        WHEN 'outreach' THEN 'outreach'
        WHEN 'community_mediation' THEN 'community_mediation'
        ELSE 'case'
    END
    FROM marketplace_claim c JOIN marketplace_aidtask t ON t.id = c.task_id
    WHERE c.id = duties_dutyentry.claim_id
), '')
WHERE claim_id IS NOT NULL AND credit_kind = ''
"""
REVERSAL_CREDIT_KINDS = """
UPDATE duties_dutyentry SET credit_kind = (
    SELECT o.credit_kind FROM duties_dutyentry o WHERE o.id = duties_dutyentry.reverses_id
)
WHERE reverses_id IS NOT NULL AND credit_kind = ''
"""
EVERY_KIND = ",case,community_mediation,consultation,document,duty_shift,outreach,"
DECIDED_RULES_COUNT_EVERYTHING = """
UPDATE duties_dutyrule SET credit_kinds = %s
WHERE EXISTS (
    SELECT 1 FROM duties_annualreview r WHERE r.rule_id = duties_dutyrule.id AND r.status <> 'open'
)
"""
TRIGGER = "duties_dutyentry_append_only"


def backfill(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"ALTER TABLE duties_dutyentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(ENTRY_CREDIT_KINDS)
        cursor.execute(REVERSAL_CREDIT_KINDS)
        if postgresql:
            cursor.execute(f"ALTER TABLE duties_dutyentry ENABLE TRIGGER {TRIGGER}")
        cursor.execute(DECIDED_RULES_COUNT_EVERYTHING, [EVERY_KIND])


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0007_volunteer_service_record"),
        ("marketplace", "0008_task_kinds_of_art_22"),
    ]

    operations = [
        migrations.AddField(
            model_name="dutyentry",
            name="credit_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("case", "Case handling"),
                    ("consultation", "Consultation"),
                    ("document", "Document drafting"),
                    ("duty_shift", "Duty-lawyer legal help"),
                    ("outreach", "Public legal education"),
                    ("community_mediation", "Community mediation"),
                ],
                max_length=24,
                verbose_name="credit kind",
            ),
        ),
        # The rows already there are version 1; new rows default to version 2.
        migrations.AddField(
            model_name="dutyentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="dutyentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AddField(
            model_name="dutyrule",
            name="credit_kinds",
            field=models.CharField(
                default=",case,consultation,document,duty_shift,", max_length=200, verbose_name="credit kinds counted"
            ),
        ),
        migrations.AddConstraint(
            model_name="dutyentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("hash_version", 1), models.Q(("credit_kind", ""), _negated=True), _connector="OR"),
                name="duties_dutyentry_credit_kind_recorded",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
