from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from duties.notices.models import NoticeKind, Notification, Preference


def notifications_of(user: User | AnonymousUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user: User | AnonymousUser) -> int:
    """One count query (the nav)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences_of(user: User) -> list[dict]:
    """Every kind with the user's channels (the defaults where they chose nothing)."""
    chosen = {p.kind: p for p in Preference.objects.filter(user=user)}
    rows = []
    for kind, label in NoticeKind.choices:
        p = chosen.get(kind) or Preference(kind=kind)
        rows.append({"kind": kind, "label": str(label), "email": p.email, "sms": p.sms})
    return rows
