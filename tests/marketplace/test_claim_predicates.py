"""Each predicate of a claim and of a task, for every status: the one home of those rules.

The expected tables are written out here, not derived from the status sets, so that a change to
a set shows up as a failing row.
"""

import pytest

from marketplace.models import (
    LIVE_CLAIM_STATUSES,
    AidTask,
    Claim,
    ClaimStatus,
    TaskStatus,
)

C = ClaimStatus
T = TaskStatus

CLAIM_PREDICATES = {
    # predicate: the statuses where it holds, for a claim and for an assignment (指派)
    "awaits_decision": ({C.REQUESTED, C.WAITLISTED}, {C.REQUESTED, C.WAITLISTED}),
    "can_withdraw": ({C.REQUESTED, C.WAITLISTED, C.ACCEPTED}, {C.REQUESTED, C.WAITLISTED}),
    "can_decline_assignment": (set(), {C.ACCEPTED}),
    "can_log_hours": ({C.ACCEPTED, C.COMPLETED}, {C.ACCEPTED, C.COMPLETED}),
    "can_reveal": ({C.ACCEPTED, C.COMPLETED}, {C.ACCEPTED, C.COMPLETED}),
}

TASK_PREDICATES = {
    "is_draft": {T.DRAFT},
    "is_open": {T.OPEN},
    "takes_claims": {T.OPEN, T.FILLED},
    "can_complete": {T.OPEN, T.FILLED},
    "is_editable": {T.DRAFT, T.OPEN, T.FILLED},
}


@pytest.mark.parametrize("status", list(ClaimStatus))
@pytest.mark.parametrize("is_assignment", [False, True], ids=["claim", "assignment"])
@pytest.mark.parametrize("predicate", list(CLAIM_PREDICATES))
def test_each_claim_predicate_holds_in_its_statuses_only(predicate, is_assignment, status):
    claim = Claim(status=status, is_assignment=is_assignment)
    expected = status in CLAIM_PREDICATES[predicate][is_assignment]
    assert getattr(claim, predicate) is expected


@pytest.mark.parametrize("status", list(ClaimStatus))
def test_a_provider_can_give_up_exactly_the_unfinished_claims(status):
    # The page offers "withdraw" or "decline" on every unfinished claim, never both.
    for is_assignment in (False, True):
        claim = Claim(status=status, is_assignment=is_assignment)
        assert (claim.can_withdraw or claim.can_decline_assignment) is (
            status in {C.REQUESTED, C.WAITLISTED, C.ACCEPTED}
        )
        assert not (claim.can_withdraw and claim.can_decline_assignment)


@pytest.mark.parametrize("status", list(TaskStatus))
@pytest.mark.parametrize("predicate", list(TASK_PREDICATES))
def test_each_task_predicate_holds_in_its_statuses_only(predicate, status):
    assert getattr(AidTask(status=status), predicate) is (status in TASK_PREDICATES[predicate])


def test_the_one_live_claim_index_covers_the_live_statuses_in_their_order():
    (constraint,) = [c for c in Claim._meta.constraints if c.name == "marketplace_claim_one_live_per_provider"]
    ((lookup, values),) = constraint.condition.children
    assert lookup == "status__in"
    # The literal list the migration recorded: the same values in the same order.
    assert values == ["requested", "waitlisted", "accepted", "completed"]
    assert set(values) == LIVE_CLAIM_STATUSES
