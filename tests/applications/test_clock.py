"""The statutory clock: pure functions, calendar and working days, pauses (marketplace/applications/clock.py)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from marketplace.applications import clock
from marketplace.applications.clock import CALENDAR, WORKING, Rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = Rules(counting=CALENDAR)
WORK = Rules(counting=WORKING)
MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)


def test_a_decision_is_due_seven_calendar_days_after_receipt():
    assert clock.decision_due(MONDAY, rules=CAL) == date(2026, 3, 9)


def test_the_day_of_receipt_is_the_day_where_the_product_is_used():
    # 2026-03-01 20:00 UTC is already 2 March in Shanghai.
    received = datetime(2026, 3, 1, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert clock.decision_due(received, rules=CAL) == date(2026, 3, 9)


def test_working_days_skip_saturdays_and_sundays():
    # Friday + 7 working days: Mon..Fri, then Mon, Tue.
    assert clock.decision_due(FRIDAY, rules=WORK) == date(2026, 3, 17)
    assert clock.add_days(FRIDAY, 1, counting=WORKING) == date(2026, 3, 9)


def test_a_period_starting_on_a_weekend_counts_from_the_next_working_day():
    saturday = date(2026, 3, 7)
    assert clock.add_days(saturday, 1, counting=WORKING) == date(2026, 3, 9)
    assert clock.add_days(saturday, 1, counting=CALENDAR) == date(2026, 3, 8)


def test_paused_days_move_the_decision_due():
    assert clock.decision_due(MONDAY, paused_days=4, rules=CAL) == date(2026, 3, 13)
    assert clock.decision_due(MONDAY, paused_days=4, rules=WORK) == date(2026, 3, 17)


@pytest.mark.parametrize(
    ("start", "end", "calendar", "working"),
    [
        (MONDAY, MONDAY, 0, 0),
        (MONDAY, date(2026, 3, 1), 0, 0),  # never negative
        (MONDAY, date(2026, 3, 5), 3, 3),
        (FRIDAY, date(2026, 3, 9), 3, 1),  # Sat, Sun, Mon: one working day
        (FRIDAY, date(2026, 3, 8), 2, 0),
        (MONDAY, date(2026, 3, 23), 21, 15),
        (date(2026, 3, 7), date(2026, 3, 21), 14, 10),
    ],
)
def test_days_between_counts_the_days_after_the_start_up_to_the_end(start, end, calendar, working):
    assert clock.days_between(start, end, counting=CALENDAR) == calendar
    assert clock.days_between(start, end, counting=WORKING) == working


@pytest.mark.parametrize("rules", [CAL, WORK], ids=["calendar", "working"])
@pytest.mark.parametrize("offset", range(0, 14))
def test_shifting_a_due_by_a_pause_equals_recomputing_it_with_the_pause(rules, offset):
    received = MONDAY + timedelta(days=offset)
    due = clock.decision_due(received, rules=rules)
    for pause in range(0, 12):
        assert clock.shifted(due, pause, counting=rules.counting) == clock.decision_due(
            received, paused_days=pause, rules=rules
        )


def test_a_pause_measured_then_added_gives_the_days_that_were_left():
    # Received Monday; materials asked for on Wednesday (2 of 7 days used) and received the next
    # Monday: the 5 days left run from that Monday.
    due = clock.decision_due(MONDAY, rules=WORK)
    pause = clock.days_between(date(2026, 3, 4), date(2026, 3, 9), counting=WORKING)
    assert pause == 3
    assert clock.shifted(due, pause, counting=WORKING) == clock.add_days(date(2026, 3, 9), 5, counting=WORKING)


def test_assignment_is_due_three_days_after_approval():
    assert clock.assign_due(MONDAY, rules=CAL) == date(2026, 3, 5)
    assert clock.assign_due(FRIDAY, rules=WORK) == date(2026, 3, 11)


def test_a_notice_is_assigned_and_decided_within_three_days_of_the_notice():
    assert clock.assign_due(MONDAY, notice=True, rules=CAL) == date(2026, 3, 5)
    assert clock.decision_due(MONDAY, notice=True, rules=CAL) == date(2026, 3, 5)


def test_an_objection_is_due_five_days_after_its_registration():
    assert clock.objection_due(MONDAY, rules=CAL) == date(2026, 3, 7)
    assert clock.objection_due(MONDAY, rules=WORK) == date(2026, 3, 9)


def test_the_day_counts_are_rules_too():
    rules = Rules(counting=CALENDAR, decision_days=10, assign_days=2, notice_assign_days=1, objection_days=15)
    assert clock.decision_due(MONDAY, rules=rules) == date(2026, 3, 12)
    assert clock.assign_due(MONDAY, rules=rules) == date(2026, 3, 4)
    assert clock.assign_due(MONDAY, notice=True, rules=rules) == date(2026, 3, 3)
    assert clock.objection_due(MONDAY, rules=rules) == date(2026, 3, 17)


def test_overdue_only_once_the_due_day_has_passed():
    assert not clock.is_overdue(MONDAY, today=MONDAY)
    assert clock.is_overdue(MONDAY, today=MONDAY + timedelta(days=1))
    assert not clock.is_overdue(None, today=MONDAY)


def test_rules_come_from_the_settings(settings):
    settings.LEGAL_AID_DAY_COUNTING = WORKING
    settings.LEGAL_AID_DECISION_DAYS = 9
    assert clock.rules() == Rules(counting=WORKING, decision_days=9)
