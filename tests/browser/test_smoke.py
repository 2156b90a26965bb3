import pytest

from tests.factories import AidTaskFactory

pytestmark = pytest.mark.browser


def test_the_board_lists_open_tasks_and_obeys_the_csp(open_session, legal_aid_center):
    AidTaskFactory(organization=legal_aid_center, title="Wage arrears consultation")
    visitor = open_session()
    page = visitor.goto("/")
    page.get_by_role("link", name="Wage arrears consultation").wait_for()
    visitor.wait_for_socket()
    visitor.screenshot("board")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
