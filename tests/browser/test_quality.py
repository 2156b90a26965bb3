"""Forms, languages and the keyboard, in a real browser."""

import pytest
from playwright.sync_api import expect

from marketplace.models import Claim, ClaimStatus
from tests.factories import AidTaskFactory

pytestmark = pytest.mark.browser


def test_bad_input_shows_the_error_beside_the_field_and_keeps_the_input(open_session, stranger, regions):
    session = open_session(stranger, locale="en-US")
    page = session.goto("/provider/register/")
    page.select_option("#id_kind", "lawyer")
    page.select_option("#id_region", "320402")
    page.fill("#id_phone", "13800000000")
    page.click("main form button[type=submit]")
    error = page.locator("#id_licence_number_error")
    expect(error).to_be_visible()
    expect(page.locator("#id_licence_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_licence_number")).to_have_attribute(
        "aria-describedby", "id_licence_number_helptext id_licence_number_error"
    )
    expect(page.locator("#id_phone")).to_have_value("13800000000")
    # The message sits in the licence field's own group, not at the top of the form.
    expect(page.locator(".field-licence_number #id_licence_number_error")).to_have_count(1)
    session.screenshot("form-error")


def test_the_language_switch_changes_the_language_and_keeps_the_page(open_session, legal_aid_center):
    task = AidTaskFactory(organization=legal_aid_center)
    session = open_session(None, locale="zh-CN")
    page = session.goto(f"/tasks/{task.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.click("form.lang-form button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(f"/tasks/{task.pk}/")
    page.click("form.lang-form button[value=zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert page.url.endswith(f"/tasks/{task.pk}/")


def test_a_provider_claims_a_task_with_the_keyboard_alone(open_session, provider, legal_aid_center):
    task = AidTaskFactory(organization=legal_aid_center, title="Keyboard clinic")
    session = open_session(provider, locale="en-US")
    page = session.goto(f"/tasks/{task.pk}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "claim-button":
            break
    else:
        pytest.fail("the claim button cannot be reached with Tab")
    # The focus ring is visible on the focused button.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page.locator("#claim-status")).to_have_text("Accepted")
    assert Claim.objects.get(task=task).status == ClaimStatus.ACCEPTED


def test_the_board_filters_in_place_and_keeps_the_url_shareable(open_session, legal_aid_center):
    AidTaskFactory(organization=legal_aid_center, title="Family law clinic", category="family")
    AidTaskFactory(organization=legal_aid_center, title="Wage clinic", category="labor_wages")
    session = open_session(None, locale="en-US")
    page = session.goto("/")
    page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded
    page.select_option("#id_category", "family")
    expect(page.locator("#board-results")).not_to_contain_text("Wage clinic")
    expect(page.locator("#board-results")).to_contain_text("Family law clinic")
    assert "category=family" in page.url
    assert page.evaluate("window.__marker") == 1
    shared = open_session(None, locale="en-US").goto(page.url.replace(session.base_url, ""))
    expect(shared.locator("#board-results")).not_to_contain_text("Wage clinic")
