"""Each predicate of an annual review, an hour log and a progress, for every status:
the one home of those rules. The expected tables are written out here, not derived from the sets."""

from datetime import datetime
from decimal import Decimal

import pytest

from duties.models import (
    CERTIFIED_REVIEW_STATUSES,
    DECIDED_REVIEW_STATUSES,
    DECISION_CHOICES,
    AnnualReview,
    HourLog,
    HourLogStatus,
    ProgressStatus,
    ReviewStatus,
    SatisfiedBy,
)
from duties.selectors import Progress, ProgressFigures

R = ReviewStatus
REVOKED_AT = datetime(2026, 3, 1, 9, 0)


@pytest.mark.parametrize("status", list(ReviewStatus))
def test_only_an_open_review_is_open(status):
    assert AnnualReview(status=status).is_open is (status == R.OPEN)


@pytest.mark.parametrize("status", list(ReviewStatus))
@pytest.mark.parametrize("code", ["ABCD-EFGH-IJKL-MNOP", None])
@pytest.mark.parametrize("revoked_at", [None, REVOKED_AT], ids=["kept", "revoked"])
def test_a_compliant_or_exempt_review_with_a_code_has_a_certificate_valid_until_revoked(status, code, revoked_at):
    review = AnnualReview(status=status, certificate_code=code, certificate_revoked_at=revoked_at)
    has = code is not None and status in {R.COMPLIANT, R.EXEMPT}
    assert review.has_certificate is has
    assert review.certificate_is_valid is (has and revoked_at is None)


def test_the_decisions_and_the_certified_ones():
    assert {R.COMPLIANT, R.DEFICIENT, R.EXEMPT} == DECIDED_REVIEW_STATUSES
    assert {R.COMPLIANT, R.EXEMPT} == CERTIFIED_REVIEW_STATUSES
    # The API's and the pages' choices: in this order, with the statuses' own words.
    assert [value for value, _label in DECISION_CHOICES] == ["compliant", "deficient", "exempt"]
    assert [str(label) for _value, label in DECISION_CHOICES] == ["Compliant", "Deficient", "Exempt"]


@pytest.mark.parametrize("status", list(HourLogStatus))
def test_only_a_pending_hour_log_awaits_a_decision(status):
    assert HourLog(status=status).awaits_decision is (status == HourLogStatus.PENDING)


def test_the_progress_statuses_keep_their_codes_order_and_words():
    assert ProgressStatus.values == ["met", "on_track", "behind", "exempt"]
    assert [str(label) for label in ProgressStatus.labels] == ["Met", "On track", "Behind", "Exempt"]


@pytest.mark.parametrize("satisfied_by", [*SatisfiedBy.values, None])
def test_a_progress_requires_all_only_under_an_all_rule(satisfied_by):
    zero = Decimal(0)
    progress = Progress(
        volunteer=None,
        year=2026,
        rule=None,
        hours=zero,
        cases=0,
        required_hours=zero,
        required_cases=0,
        satisfied_by=satisfied_by,
        status=ProgressStatus.BEHIND,
        exempt_reason=None,
        share_of_year=zero,
        expected_hours=zero,
        review_status=None,
    )
    assert progress.requires_all is (satisfied_by == "all")


@pytest.mark.parametrize("status", list(ProgressStatus))
def test_only_met_progress_is_met(status):
    assert ProgressFigures(hours=Decimal(0), cases=0, status=status).is_met is (status == ProgressStatus.MET)
