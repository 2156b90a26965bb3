"""Several workers run the reminder job at the same moment: each reminder is still recorded and
sent once. The database's unique constraint decides (no cache lock), on SQLite and PostgreSQL.

Real threads, each with its own database connection, on a real (transactional) database."""

from datetime import date

import pytest
from django.core import mail

from duties.notices import reminders
from duties.notices.models import Notification, ReminderSent
from tests.conftest import run_all
from tests.notices.test_reminders import NOW, make_application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
WORKERS = 4


def test_workers_racing_on_the_same_clock_send_each_reminder_once(coordinator, legal_aid_center, regions, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    for _ in range(3):
        make_application(legal_aid_center, regions["changzhou"], decision_due=date(2026, 5, 12))

    sent, _elapsed = run_all(range(WORKERS), lambda _worker: reminders.run(now=NOW))

    assert [outcome for outcome in sent if isinstance(outcome, str)] == []  # no worker failed ("error:…")
    assert sum(sent.values()) == WORKERS  # every worker finished
    assert sum(sent.elements()) == 3
    assert ReminderSent.objects.count() == 3
    assert Notification.objects.filter(user=coordinator).count() == 3
    assert len(mail.outbox) == 3


def test_control_without_the_record_the_same_race_sends_twice(coordinator, legal_aid_center, regions, monkeypatch):
    """The control: with the unique record bypassed, two runs send the same reminder twice, so the
    test above proves the constraint and not a lucky schedule."""
    from duties.notices import services

    def unguarded(*, kind, object_key, recipient, due_on, title, body, url, now):
        return services.notification_create(user=recipient, kind=kind, title=title, body=body, url=url, now=now)

    monkeypatch.setattr(services, "reminder_record", unguarded)
    make_application(legal_aid_center, regions["changzhou"], decision_due=date(2026, 5, 12))
    assert reminders.run(now=NOW) + reminders.run(now=NOW) == 2
    assert Notification.objects.filter(user=coordinator).count() == 2
