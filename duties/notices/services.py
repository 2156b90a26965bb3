"""Notices: create one in a user's centre, deliver it by email and text message, mark read,
preferences, unsubscribe links."""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duties.notices.models import NoticeKind, Notification, Preference, ReminderSent, UsedUnsubscribeToken
from marketplace.core.access import row_or_404
from marketplace.core.errors import DomainError, Invalid, NotFound
from marketplace.core.events import to_users

UNSUBSCRIBE_SALT = "notices.unsubscribe"


class LinkUsed(DomainError):
    status = 410
    code = "link_used"
    default_detail = _("This unsubscribe link was already used.")


def preference_of(*, user: User, kind: str) -> Preference:
    """The user's channels for ``kind`` (an unsaved default row when they chose nothing)."""
    return Preference.objects.filter(user=user, kind=kind).first() or Preference(user=user, kind=kind)


def notification_create(
    *, user: User, kind: str, title: str, body: str, url: str, now: datetime | None = None
) -> Notification:
    """Anyone's code may call it. Creates the notice in the user's centre, pushes it on
    ``/ws/me/`` and queues its email and text message after commit (the user's preferences)."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user, kind=kind, title=title[:200], body=body, url=url, created_at=now
        )
        to_users(
            [user.pk],
            {"type": "notification", "id": notification.pk, "kind": kind, "title": notification.title, "url": url},
        )
        from duties.notices.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


def reminder_record(
    *, kind: str, object_key: str, recipient: User, due_on, title: str, body: str, url: str, now: datetime
) -> Notification | None:
    """The periodic job calls it. Records the reminder and creates its notice, or returns None
    when the same (kind, object, recipient, due date) was recorded before: the database's unique
    constraint decides, so two workers running the job at once send it once."""
    try:
        with transaction.atomic():
            sent = ReminderSent.objects.create(
                kind=kind, object_key=object_key, recipient=recipient, due_on=due_on, sent_at=now
            )
            notification = notification_create(user=recipient, kind=kind, title=title, body=body, url=url, now=now)
            sent.notification = notification
            sent.save(update_fields=["notification"])
    except IntegrityError:
        return None
    return notification


def notification_mark_read(*, user: User, notification_id: int, now: datetime | None = None) -> Notification:
    """The notice's owner calls it; someone else's notice is 404. Marks it read (once)."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = row_or_404(Notification.objects.filter(user=user), notification_id)
        if notification.read_at is None:
            notification.read_at = now
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User, now: datetime | None = None) -> int:
    """The signed-in user calls it. Marks all their unread notices read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now or timezone.now())


def preferences_set(*, user: User, rows: list[dict]) -> None:
    """The signed-in user sets their channels, per kind: rows of {kind, email, sms}."""
    with transaction.atomic():
        for row in rows:
            if row["kind"] not in NoticeKind.values:
                raise Invalid(field="kind")
            Preference.objects.update_or_create(
                user=user,
                kind=row["kind"],
                defaults={"email": row["email"], "sms": row["sms"]},
            )


def unsubscribe_token(*, user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind, "n": secrets.token_urlsafe(12)}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_peek(*, token: str) -> tuple[User, str]:
    """Checks the link without using it: (user, kind). 404 for a bad link, 410 for a used one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=settings.UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        raise NotFound() from None
    if UsedUnsubscribeToken.objects.filter(nonce=data["n"]).exists():
        raise LinkUsed()
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or data["k"] not in NoticeKind.values:
        raise NotFound()
    return user, data["k"]


def unsubscribe_apply(*, token: str, now: datetime | None = None) -> tuple[User, str]:
    """Anyone holding the link calls it, once. Turns the kind's email off for the user."""
    now = now or timezone.now()
    user, kind = unsubscribe_peek(token=token)
    nonce = signing.loads(token, salt=UNSUBSCRIBE_SALT)["n"]
    try:
        with transaction.atomic():
            UsedUnsubscribeToken.objects.create(nonce=nonce, used_at=now)
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"email": False})
    except IntegrityError:
        raise LinkUsed() from None
    return user, kind
