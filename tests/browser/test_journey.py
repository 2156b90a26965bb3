"""The whole journey in real browsers: post, see it live, claim, count seats live, confirm hours,
watch progress move, decide the review, verify the certificate on the public page."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import AidTask
from tests.factories import DutyRuleFactory

pytestmark = pytest.mark.browser


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_a_task_goes_from_posting_to_a_verified_certificate(
    open_session, coordinator, provider, regulator, regions, legal_aid_center
):
    year = timezone.localdate().year
    DutyRuleFactory(
        year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=Decimal("3"), min_cases=2
    )
    coord = open_session(coordinator, locale="en-US")
    prov = open_session(provider, locale="en-US")
    watcher = open_session(None, locale="en-US")

    # The provider and an anonymous visitor watch the board.
    prov.goto("/")
    prov.wait_for_socket()
    watcher.goto("/")
    watcher.wait_for_socket()
    expect(prov.page.locator("#board-results .empty")).to_be_visible()

    # The coordinator posts a task for later today and publishes it.
    page = coord.goto("/desk/tasks/new/")
    now = timezone.now()
    page.fill("#id_title", "Wage arrears clinic at the labour bureau")
    page.fill("#id_summary", "Help migrant workers recover unpaid wages.")
    page.select_option("#id_kind", "consultation")
    page.select_option("#id_category", "labor_wages")
    page.select_option("#id_beneficiary_group", "migrant_workers")
    page.select_option("#id_region", "320400")
    page.fill("#id_starts_at", _local(now + timedelta(hours=1)))
    page.fill("#id_ends_at", _local(now + timedelta(hours=4)))
    page.fill("#id_seats", "2")
    page.fill("#id_estimated_hours", "3")
    page.check("input[name=eligible_kinds][value=lawyer]")
    page.fill("#id_aided_name", "张三")
    coord.screenshot("desk-new-task")
    page.click("button[name=publish][value='1']")
    expect(page.locator("#task-status")).to_have_text("Open")
    task_id = int(re.search(r"/desk/tasks/(\d+)/", page.url).group(1))
    coord.screenshot("desk-task")

    # It appears live on the provider's board, with both seats free on the watcher's.
    card = prov.page.locator(f'[data-task-id="{task_id}"]')
    expect(card).to_be_visible()
    seats = watcher.page.locator(f'[data-seats-for="{task_id}"]')
    expect(seats).to_have_text("2")
    watcher.screenshot("board")

    # The provider claims it; the watcher's seat count drops without a reload.
    card.get_by_role("link").click()
    prov.page.wait_for_url(f"**/tasks/{task_id}/")
    prov.screenshot("task-detail")
    prov.page.click("#claim-button")
    expect(prov.page.locator("#claim-status")).to_have_text("Accepted")
    expect(seats).to_have_text("1")

    # The coordinator's desk shows the new claim live.
    expect(coord.page.locator("#task-claims")).to_contain_text(provider.first_name)

    # No conflict confirmed: the aided person is shown.
    prov.page.click("form[action$='/no-conflict/'] button")
    expect(prov.page.locator("#confidential-details")).to_contain_text("张三")

    # Time passes: the session took place (moved into the past, so hours can be logged today).
    AidTask.objects.filter(pk=task_id).update(starts_at=now - timedelta(hours=4), ends_at=now - timedelta(hours=1))

    # The provider logs three hours for the day the session ended (today, but yesterday in the
    # hour after midnight: a log after the task's last day is refused).
    prov.page.fill("#id_date", timezone.localdate(now - timedelta(hours=1)).isoformat())
    prov.page.fill("#id_hours", "3")
    prov.page.click("form[action$='/hours/'] button[type=submit]")
    expect(prov.page.locator("#hour-logs")).to_contain_text("Pending")
    prov.screenshot("provider-claim")

    # The provider watches the duty page; the coordinator confirms the hours.
    duty = prov.goto("/provider/duty/")
    prov.wait_for_socket("ws-me")
    expect(duty.locator("#progress-status")).to_have_text("Behind")
    coord.goto("/desk/hours/")
    coord.screenshot("desk-hours")
    coord.page.locator("tr[data-log-id] button[type=submit]").first.click()
    expect(coord.page.locator("#pending-hours .empty")).to_be_visible()

    # The provider's progress moves live: 3 of 3 hours, the rule is met.
    expect(duty.locator("#progress-status")).to_have_text("Met")
    expect(duty.locator("#progress-numbers")).to_contain_text("3.00 hours")
    prov.screenshot("provider-duty")

    # The regulator opens this year's review early, saying why, and decides the clearly
    # compliant in bulk after looking at the preview; both actions ask first.
    reg = open_session(regulator, locale="en-US")
    page = reg.goto(f"/regulator/reviews/?year={year}&region=320400")
    page.on("dialog", lambda dialog: dialog.accept())
    page.check("#open_early")
    page.fill("#open_reason", "Journey test: the provider leaves the bar this month")
    page.click("form[action$='/reviews/open/'] button")
    expect(page.locator(".opened-early").first).to_contain_text("the provider leaves the bar")
    page.click("form[action$='/reviews/decide-compliant/'] button")
    expect(page.locator("#preview-list")).to_contain_text(provider.first_name)
    page.click("form[method='post'][action$='/reviews/decide-compliant/'] button")
    code_link = page.locator("a.certificate-code").first
    expect(code_link).to_be_visible()
    code = code_link.inner_text().strip()
    reg.screenshot("regulator-reviews")

    # Anyone checks the certificate code on the public page.
    public = open_session(None, locale="en-US")
    page = public.goto("/certificates/check/")
    page.fill("#id_code", code.lower())
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("genuine and valid")
    expect(page.locator("main")).to_contain_text(provider.first_name)
    public.screenshot("verify-certificate")
