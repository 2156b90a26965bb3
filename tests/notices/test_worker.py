"""The background engine itself: a real worker thread on the embedded filesystem broker runs the
reminder job; a job that keeps failing is retried and lands in the failure list."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from duties.notices import services
from duties.notices.models import FailedJob, NoticeKind, Notification
from duties.notices.tasks import RETRY, deliver_notification, run_reminders
from tests.notices.test_reminders import make_application
from tests.worker import real_worker, wait_until


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_reminders_from_the_broker(coordinator, legal_aid_center, regions, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_application(legal_aid_center, regions["changzhou"], decision_due=date(2026, 5, 13))
    now = datetime(2026, 5, 11, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with real_worker(settings):
        run_reminders.delay(now.isoformat())
        wait_until(lambda: Notification.objects.filter(user=coordinator).exists())
    assert Notification.objects.get(user=coordinator).kind == NoticeKind.DECISION_DUE


def test_the_tasks_retry_with_backoff_and_survive_a_dead_worker():
    assert RETRY["retry_backoff"] and RETRY["max_retries"] == 5
    assert OSError in RETRY["autoretry_for"]
    assert deliver_notification.acks_late and deliver_notification.reject_on_worker_lost
    assert run_reminders.acks_late and run_reminders.reject_on_worker_lost


def test_a_delivery_that_keeps_failing_lands_in_the_failure_list(coordinator, settings):
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens: connection refused
    settings.EMAIL_TIMEOUT = 2
    n = services.notification_create(
        user=coordinator, kind=NoticeKind.DECISION_DUE, title="a", body="", url="/", now=timezone.now()
    )
    # Its last try (retries used up): it fails instead of retrying again.
    result = deliver_notification.apply(args=[n.pk], retries=RETRY["max_retries"], throw=False)
    assert result.state == "FAILURE"
    assert isinstance(result.result, OSError)
    [failed] = FailedJob.objects.all()
    assert failed.task_name == "notices.deliver_notification"
    assert "Connection refused" in failed.exception or "Errno" in failed.exception
