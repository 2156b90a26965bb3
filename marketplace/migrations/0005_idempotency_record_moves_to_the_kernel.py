from django.db import migrations


class Migration(migrations.Migration):
    """IdempotencyRecord now belongs to the kernel (marketplace.core); the table stays (state only)."""

    dependencies = [
        ("marketplace", "0004_task_text_bounds"),
        ("core", "0001_idempotency_record_moves_to_the_kernel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyRecord")],
            database_operations=[],
        ),
    ]
