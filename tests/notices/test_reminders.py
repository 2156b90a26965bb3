"""The periodic job moves with the clock: each reminder reaches the right people once, by email (a
real SMTP server receives it) and in the notification centre; a second run sends nothing."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from duties.notices.models import NoticeKind, Notification, ReminderSent
from duties.notices.tasks import run_reminders
from marketplace.applications.models import Application, ApplicationStatus

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 11, 9, 0, tzinfo=TZ)  # a Monday morning


def make_application(centre, region, **fields) -> Application:
    values = {
        "organization": centre,
        "centre": centre,
        "channel": "walk_in",
        "received_at": NOW - timedelta(days=6),
        "review_started_at": NOW - timedelta(days=6),
        "matter_kind": "consultation",
        "category": "labor_wages",
        "beneficiary_group": "migrant_workers",
        "region": region,
        "summary": "欠薪",
        "hardship_basis": "hardship_certified",
        "status": ApplicationStatus.UNDER_REVIEW,
    }
    values.update(fields)
    return Application.objects.create(**values)


def run(now, capture):
    with capture(execute=True):
        return run_reminders(now.isoformat())


@pytest.fixture
def cast(coordinator, outsider, legal_aid_center, regions):
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    outsider.email = "outsider@example.org"
    outsider.save()
    return {"coordinator": coordinator, "outsider": outsider}


def test_decision_due_in_two_days_reaches_the_centres_coordinators_once(
    cast, legal_aid_center, regions, smtp, django_capture_on_commit_callbacks
):
    app = make_application(legal_aid_center, regions["changzhou"], decision_due=date(2026, 5, 13), number="常援申1号")
    make_application(legal_aid_center, regions["changzhou"], decision_due=date(2026, 5, 20))  # not yet

    assert run(NOW, django_capture_on_commit_callbacks) == 1

    coordinator = cast["coordinator"]
    notice = Notification.objects.get(user=coordinator)
    assert notice.kind == NoticeKind.DECISION_DUE
    assert notice.url == f"/intake/{app.pk}/"
    [mail] = smtp.to("coordinator@example.org")
    assert "常援申1号" in mail["Subject"]
    body = mail.get_content()
    assert f"/intake/{app.pk}/" in body
    assert "/notices/unsubscribe/" in body
    assert smtp.to("outsider@example.org") == []
    assert ReminderSent.objects.filter(kind=NoticeKind.DECISION_DUE, recipient=coordinator).count() == 1

    # The job runs again a quarter of an hour later (or on a second worker): nothing new.
    assert run(NOW + timedelta(minutes=15), django_capture_on_commit_callbacks) == 0
    assert len(smtp.messages) == 1
    assert Notification.objects.count() == 1
