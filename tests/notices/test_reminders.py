"""The periodic job moves with the clock: each reminder reaches the right people once, by email (a
real SMTP server receives it) and in the notification centre; a second run sends nothing."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from duties.notices.models import NoticeKind, Notification, ReminderSent
from duties.notices.tasks import run_reminders
from marketplace.applications.models import Application, ApplicationStatus, FirmAssignment, FirmAssignmentStatus
from marketplace.cases.models import Milestone, MilestoneKind, MilestoneSource
from marketplace.evidence.models import EvidenceRequest
from marketplace.models import ClaimStatus, TaskKind
from organizations.models import OrganizationKind, Role
from tests.factories import (
    AidTaskFactory,
    ApplicationFactory,
    ClaimFactory,
    DutyRuleFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 11, 9, 0, tzinfo=TZ)  # a Monday morning


def make_application(centre, region, **fields) -> Application:
    return ApplicationFactory(
        centre=centre, region=region, received_at=NOW - timedelta(days=6), matter_kind="consultation", **fields
    )


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


def with_email(user, address):
    user.email = address
    user.save()
    return user


def test_each_clock_reminder_reaches_the_right_person_once(
    coordinator,
    outsider,
    bureau_reviewer,
    provider_volunteer,
    legal_aid_center,
    regions,
    smtp,
    django_capture_on_commit_callbacks,
):
    """The issue's "done when": the clock moves; each reminder is received by the SMTP server and
    is in the recipient's centre, once; a second run sends nothing."""
    changzhou = regions["changzhou"]
    with_email(coordinator, "centre@example.org")
    with_email(outsider, "outsider@example.org")
    with_email(bureau_reviewer, "bureau@example.org")
    handler = with_email(provider_volunteer.user, "handler@example.org")
    firm = OrganizationFactory(name="常州某律师事务所", kind=OrganizationKind.LAW_FIRM, region=changzhou)
    director = with_email(UserFactory(username="director"), "director@example.org")
    MembershipFactory(user=director, organization=firm, role=Role.COORDINATOR)
    department = OrganizationFactory(
        name="常州市不动产登记中心", kind=OrganizationKind.GOVERNMENT_DEPARTMENT, region=changzhou
    )
    clerk = with_email(UserFactory(username="clerk"), "clerk@example.org")
    MembershipFactory(user=clerk, organization=department, role=Role.COORDINATOR)

    approved = make_application(
        legal_aid_center,
        changzhou,
        status=ApplicationStatus.APPROVED,
        decided_at=NOW - timedelta(days=3),
        assign_due=date(2026, 5, 11),
        number="常援申2号",
    )
    objected = make_application(
        legal_aid_center,
        changzhou,
        status=ApplicationStatus.OBJECTION_PENDING,
        objection_due=date(2026, 5, 12),
        number="常援申3号",
    )
    case = AidTaskFactory(organization=legal_aid_center, kind=TaskKind.CIVIL_REPRESENTATION, title="欠薪诉讼")
    ClaimFactory(task=case, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    Milestone.objects.create(
        task=case,
        kind=MilestoneKind.JUDGMENT,
        date=date(2026, 3, 20),
        source=MilestoneSource.HANDLER,
        recorded_by=handler,
        recorded_at=NOW - timedelta(days=50),
    )
    firm_case = AidTaskFactory(organization=legal_aid_center, kind=TaskKind.CRIMINAL_DEFENSE, title="刑事辩护")
    FirmAssignment.objects.create(
        task=firm_case,
        law_firm=firm,
        status=FirmAssignmentStatus.AWAITING_HANDLER,
        assigned_at=NOW - timedelta(hours=30),
        assigned_by=coordinator,
        handler_due=NOW - timedelta(hours=6),
    )
    evidence = EvidenceRequest.objects.create(
        task=case,
        department=department,
        handler=provider_volunteer,
        requested_by=handler,
        issuer=legal_aid_center,
        number="常援调〔2026〕1号",
        number_year=2026,
        number_sequence=1,
        items=["房产登记"],
        purpose="查明权属",
        requested_at=NOW - timedelta(days=10),
        due=date(2026, 5, 8),
    )

    assert run(NOW, django_capture_on_commit_callbacks) == 5

    expected = {
        "centre@example.org": (coordinator, NoticeKind.ASSIGN_OVERDUE, f"/intake/{approved.pk}/"),
        "bureau@example.org": (bureau_reviewer, NoticeKind.OBJECTION_DUE, f"/intake/{objected.pk}/"),
        "handler@example.org": (handler, NoticeKind.CLOSING_OVERDUE, f"/cases/{case.pk}/closing/"),
        "director@example.org": (director, NoticeKind.HANDLER_OVERDUE, "/intake/firm/"),
        "clerk@example.org": (clerk, NoticeKind.EVIDENCE_OVERDUE, f"/evidence/{evidence.pk}/"),
    }
    for address, (user, kind, url) in expected.items():
        [mail] = smtp.to(address)
        assert url in mail.get_content()
        [n] = Notification.objects.filter(user=user)
        assert (n.kind, n.url) == (kind, url)
        assert mail["Subject"].endswith(n.title)
    assert smtp.to("outsider@example.org") == []
    assert len(smtp.messages) == 5

    assert run(NOW + timedelta(hours=1), django_capture_on_commit_callbacks) == 0
    assert len(smtp.messages) == 5
    assert Notification.objects.count() == 5


def test_a_provider_behind_on_quota_hears_it_once_at_the_start_of_q4(
    provider_volunteer, regions, smtp, django_capture_on_commit_callbacks
):
    user = with_email(provider_volunteer.user, "provider@example.org")
    DutyRuleFactory(year=2026, region=regions["province"])
    september = datetime(2026, 9, 30, 9, 0, tzinfo=TZ)
    assert run(september, django_capture_on_commit_callbacks) == 0
    october = datetime(2026, 10, 1, 9, 0, tzinfo=TZ)
    assert run(october, django_capture_on_commit_callbacks) == 1
    [mail] = smtp.to("provider@example.org")
    assert "/provider/duty/" in mail.get_content()
    assert Notification.objects.get(user=user).kind == NoticeKind.QUOTA_BEHIND
    assert run(october + timedelta(days=20), django_capture_on_commit_callbacks) == 0
    assert len(smtp.messages) == 1


def test_reviewers_hear_that_last_years_review_is_ready_to_open(
    regulator, other_regulator, regions, smtp, django_capture_on_commit_callbacks
):
    with_email(regulator, "regulator@example.org")
    with_email(other_regulator, "suzhou@example.org")
    DutyRuleFactory(year=2026, region=regions["changzhou"])
    january = datetime(2027, 1, 4, 9, 0, tzinfo=TZ)
    # One reviewer of both 常州's bureau and its lawyers' association: one notice.
    assert run(january, django_capture_on_commit_callbacks) == 1
    assert {n.kind for n in Notification.objects.filter(user=regulator)} == {NoticeKind.REVIEW_READY}
    assert len(smtp.to("regulator@example.org")) == 1
    assert smtp.to("suzhou@example.org") == []  # no rule in 苏州
    assert run(january + timedelta(days=1), django_capture_on_commit_callbacks) == 0
