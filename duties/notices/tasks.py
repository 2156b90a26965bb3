"""Background jobs (marketplace/celery.py): deliver a notice by email and text message; run the
reminders. Each retries with backoff and, after its last try, lands in FailedJob (receivers.py)."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from duties.notices import reminders, services, sms
from duties.notices.models import Notification
from marketplace.core.site import site_url
from marketplace.core.tasks import BACKOFF

RETRY = {"autoretry_for": (smtplib.SMTPException, OSError), **BACKOFF}


def recipient_language(user) -> str:
    # No per-user language is stored yet: every recipient reads the default (zh-hans).
    return settings.LANGUAGE_CODE


def render_email(notification: Notification) -> tuple[str, str]:
    """(subject, body) from templates/notices/email/, in the recipient's language."""
    language = recipient_language(notification.user)
    token = services.unsubscribe_token(user=notification.user, kind=notification.kind)
    context = {
        "notification": notification,
        "user": notification.user,
        "link": site_url(notification.url) if notification.url.startswith("/") else notification.url,
        "unsubscribe": site_url(reverse("notices-unsubscribe", args=[token])),
        "kind_label": notification.get_kind_display(),
    }
    with translation.override(language):
        folder = "en" if language.startswith("en") else "zh-hans"
        subject = render_to_string(
            [f"notices/email/{folder}/subject.txt", "notices/email/zh-hans/subject.txt"], context
        )
        body = render_to_string([f"notices/email/{folder}/body.txt", "notices/email/zh-hans/body.txt"], context)
    return " ".join(subject.split()), body


@shared_task(name="notices.deliver_notification", **RETRY)
def deliver_notification(notification_id: int) -> None:
    """Email and text message for one notice, as the user's preferences say."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    user = notification.user
    preference = services.preference_of(user=user, kind=notification.kind)
    if preference.email and user.email:
        subject, body = render_email(notification)
        EmailMessage(subject, body, to=[user.email]).send()
    phone = getattr(getattr(user, "volunteer", None), "phone", "")
    if preference.sms and phone:
        sms.get_backend().send(phone=phone, text=notification.title)


@shared_task(name="notices.run_reminders", **RETRY)
def run_reminders(now: str | None = None) -> int:
    """The periodic job (every 15 minutes): every reminder that is due, once. ``now`` (ISO 8601)
    lets tests move the clock. Returns how many were sent."""
    moment = parse_datetime(now) if now else timezone.now()
    return reminders.run(now=moment)
