"""Actions that cannot be undone ask first, in a real browser, under the strict CSP."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import Claim, ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory

pytestmark = pytest.mark.browser


def test_declining_a_claim_shows_a_dialog_and_cancel_sends_nothing(
    open_session, coordinator, legal_aid_center, provider_volunteer
):
    task = AidTaskFactory(organization=legal_aid_center, requires_approval=True, title="Approval clinic")
    claim = ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.REQUESTED)
    session = open_session(coordinator, locale="en-US")
    page = session.goto(f"/desk/tasks/{task.pk}/")
    questions = []

    def dismiss(dialog):
        questions.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.fill(f"#reason-{claim.pk}", "No seat for a second lawyer")
    page.click(f"tr[data-claim-id='{claim.pk}'] button.secondary")
    expect(page.locator(f"tr[data-claim-id='{claim.pk}'] .status")).to_have_text("Requested")
    assert questions and questions[0][0] == "confirm"
    assert provider_volunteer.display_name in questions[0][1]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REQUESTED

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"tr[data-claim-id='{claim.pk}'] button.secondary")
    expect(page.locator(f"tr[data-claim-id='{claim.pk}'] .status")).to_have_text("Declined")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.DECLINED


def test_completing_a_task_asks_in_chinese_first(open_session, coordinator, legal_aid_center):
    task = AidTaskFactory(organization=legal_aid_center, starts_at=timezone.now() - timedelta(hours=1))
    session = open_session(coordinator)
    page = session.goto(f"/desk/tasks/{task.pk}/")
    seen = []
    page.once("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    page.click(f"form[action='/desk/tasks/{task.pk}/complete/'] button")
    page.wait_for_timeout(300)
    assert len(seen) == 1 and seen[0].strip()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    # Nothing was sent, so nothing is marked busy either.
    assert page.locator("form.is-busy").count() == 0
