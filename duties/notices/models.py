from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    DECISION_DUE = "decision_due", _("Application decision due soon")
    ASSIGN_OVERDUE = "assign_overdue", _("Approved matter not yet assigned")
    HANDLER_OVERDUE = "handler_overdue", _("Law firm has not named its handler")
    OBJECTION_DUE = "objection_due", _("Objection decision due")
    CLOSING_OVERDUE = "closing_overdue", _("Case closing overdue")
    EVIDENCE_OVERDUE = "evidence_overdue", _("Evidence request overdue")
    SHIFT_UNCOVERED = "shift_uncovered", _("Duty shift not covered")
    QUOTA_BEHIND = "quota_behind", _("Behind on the yearly duty quota")
    REVIEW_READY = "review_ready", _("Annual review ready to open")
    JOB_ENDED = "job_ended", _("Background job finished")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Notification(models.Model):
    """One notice to one user, shown in their notification centre."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The centre's list and the nav's unread count: a user's notices, unread first.
            models.Index(fields=["user", "read_at"], name="notices_notification_user_idx"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """The record that a reminder went out. The unique constraint, not a cache lock, is what makes
    the periodic job safe to run twice or on several workers at once: the second insert fails."""

    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    # "<app_label>.<model>:<pk>" of the object whose clock ran.
    object_key = models.CharField(max_length=80)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "due_on"], name="notices_remindersent_once"
            ),
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")


class Preference(models.Model):
    """A user's channels for one kind of notice besides the centre, which keeps every notice; no
    row means the defaults (email on, text messages off)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    email = models.BooleanField(_("email"), default=True)
    sms = models.BooleanField(_("text message"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notices_preference_unique")]


class UsedUnsubscribeToken(models.Model):
    """An unsubscribe link that was used: each link works once."""

    nonce = models.CharField(max_length=40, unique=True)
    used_at = models.DateTimeField()


class FailedJob(models.Model):
    """A background job that failed after its retries: the visible failure list."""

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, blank=True)
    arguments = models.TextField(blank=True)
    exception = models.TextField()
    failed_at = models.DateTimeField()

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = _("failed job")
        verbose_name_plural = _("failed jobs")
