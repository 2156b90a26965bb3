"""The kernel's one table: replayable answers for the API's Idempotency-Key."""

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first answer to a creating POST sent with an Idempotency-Key, replayed on retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table kept its name when the model moved from the marketplace app to the kernel.
        db_table = "marketplace_idempotencyrecord"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="marketplace_idempotency_unique_key"),
        ]
