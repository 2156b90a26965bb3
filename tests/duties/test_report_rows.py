"""The report and review selectors return typed rows that pages and exports read by name."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duties.models import AnnualReview, ReviewStatus
from duties.selectors import (
    REPORT_COLUMNS,
    ComplianceRow,
    ProgressFigures,
    ProgressStatus,
    ReviewRow,
    compliance_export_rows,
    compliance_rows,
    compliance_rows_with_status,
    entries_of_volunteer,
    jurisdiction_regions,
    ledger_latest_first,
    review_rows,
    reviews_in_region,
    reviews_latest_first,
    reviews_of_volunteer,
    year_has_ended,
)
from tests.duties.conftest import NOW, YEAR, day
from tests.duties.test_report_matches_progress import credit
from tests.factories import AnnualReviewFactory, UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(regions, lawyer_rule, provider_volunteer):
    """The cast's lawyer (met by hours), a lawyer behind with a decided review, a notary (no rule)."""
    credit(provider_volunteer, day(3, 1), hours=Decimal("50.5"))
    behind = VolunteerFactory(
        user=UserFactory(first_name="", last_name="", username="behind_lawyer"), region=regions["zhonglou"]
    )
    credit(behind, day(2, 1), hours=Decimal("3"))
    AnnualReviewFactory(volunteer=behind, year=YEAR, status=ReviewStatus.DEFICIENT)
    notary = VolunteerFactory(kind="notary", region=regions["tianning"])
    return {"met": provider_volunteer, "behind": behind, "exempt": notary}


def test_a_compliance_row_names_every_field(regions, providers):
    rows = {row.volunteer_id: row for row in compliance_rows(region=regions["changzhou"], year=YEAR, now=NOW)}

    met = rows[providers["met"].pk]
    assert isinstance(met, ComplianceRow)
    assert met.name == "王律师"
    assert met.kind == "lawyer"
    assert met.licence_number == "13204201910000001"
    assert (met.region_code, met.region_name) == ("320402", "天宁区")
    assert (met.hours, met.cases, met.required_hours, met.required_cases) == (Decimal("50.50"), 0, Decimal(50), 2)
    assert (str(met.hours), str(met.required_hours)) == ("50.50", "50.00")  # two places, as shown
    assert met.progress_status == ProgressStatus.MET
    assert met.review_status == ""  # no review this year

    behind = rows[providers["behind"].pk]
    assert behind.name == "behind_lawyer"  # no name given: the username
    assert (behind.progress_status, behind.review_status) == (ProgressStatus.BEHIND, ReviewStatus.DEFICIENT)
    assert rows[providers["exempt"].pk].progress_status == ProgressStatus.EXEMPT


def test_the_export_row_follows_the_report_columns_by_name(regions, providers):
    rows = {row[0]: row for row in compliance_export_rows(region=regions["changzhou"], year=YEAR, now=NOW)}
    behind = rows[providers["behind"].pk]

    assert len(behind) == len(REPORT_COLUMNS)
    headers = [str(column.header) for column in REPORT_COLUMNS]
    as_read = dict(zip(headers, behind, strict=True))
    assert as_read["Name"] == "behind_lawyer"
    assert as_read["Kind"] == "Lawyer"
    assert as_read["Hours"] == Decimal("3.00")
    assert as_read["Required hours"] == Decimal("50.00")
    assert as_read["Progress"] == "Behind"
    assert as_read["Annual review"] == "Deficient"


def test_the_page_takes_the_first_rows_of_one_progress_status(regions, providers):
    region = regions["changzhou"]

    behind = compliance_rows_with_status(region=region, year=YEAR, now=NOW, status=ProgressStatus.BEHIND, limit=10)
    every = compliance_rows_with_status(region=region, year=YEAR, now=NOW, limit=10)
    first = compliance_rows_with_status(region=region, year=YEAR, now=NOW, limit=1)

    assert [row.volunteer_id for row in behind] == [providers["behind"].pk]
    assert {row.volunteer_id for row in every} == {v.pk for v in providers.values()}
    assert first == every[:1]


def test_review_rows_carry_each_providers_progress_in_one_query(regulator, regions, providers):
    for volunteer in (providers["met"], providers["exempt"]):
        AnnualReviewFactory(volunteer=volunteer, year=YEAR)
    reviews = list(reviews_in_region(regulator, year=YEAR, region=regions["changzhou"]))

    with CaptureQueriesContext(connection) as captured:
        rows = review_rows(reviews, year=YEAR, now=NOW)

    assert len(captured) == 1
    assert all(isinstance(row, ReviewRow) for row in rows)
    by_volunteer = {row.review.volunteer_id: row.progress for row in rows}
    assert by_volunteer[providers["met"].pk] == ProgressFigures(hours=Decimal("50.50"), cases=0, status="met")
    assert by_volunteer[providers["met"].pk].status == ProgressStatus.MET
    assert by_volunteer[providers["behind"].pk].hours == Decimal("3")
    assert by_volunteer[providers["exempt"].pk].status == ProgressStatus.EXEMPT


def test_no_review_rows_cost_no_query(regulator):
    with CaptureQueriesContext(connection) as captured:
        assert review_rows([], year=YEAR, now=NOW) == []
    assert len(captured) == 0


def test_the_reviews_of_a_region_list_decided_ones_first_and_filter_by_status(
    regulator, other_regulator, regions, providers
):
    opened = AnnualReviewFactory(volunteer=providers["met"], year=YEAR)
    decided = AnnualReview.objects.get(volunteer=providers["behind"])

    assert list(reviews_in_region(regulator, year=YEAR, region=regions["changzhou"])) == [decided, opened]
    assert list(reviews_in_region(regulator, year=YEAR, region=regions["tianning"])) == [opened]
    assert list(reviews_in_region(regulator, year=YEAR, region=regions["changzhou"], status="open")) == [opened]
    assert list(reviews_in_region(regulator, year=YEAR - 1, region=regions["changzhou"])) == []
    assert list(reviews_in_region(regulator, year=YEAR, region=None)) == []
    assert list(reviews_in_region(other_regulator, year=YEAR, region=regions["changzhou"])) == []


def test_a_providers_ledger_and_reviews_as_the_caller_may_see_them(provider, regulator, stranger, providers):
    volunteer = providers["met"]
    first = credit(volunteer, day(1, 10), hours=Decimal(1))
    second = credit(volunteer, day(1, 11), hours=Decimal(2))
    credit(volunteer, day(1, 11, YEAR - 1), hours=Decimal(2))
    review = AnnualReviewFactory(volunteer=volunteer, year=YEAR - 1)
    later = AnnualReviewFactory(volunteer=volunteer, year=YEAR)

    oldest_first = list(entries_of_volunteer(regulator, volunteer, year=YEAR, newest_first=False, limit=10))
    assert [e.year for e in oldest_first] == [YEAR] * 3
    assert oldest_first[1:] == [first, second]
    assert list(entries_of_volunteer(provider, volunteer, year=YEAR, newest_first=True, limit=2)) == [second, first]
    assert list(entries_of_volunteer(stranger, volunteer, year=YEAR, newest_first=True, limit=10)) == []
    assert list(reviews_of_volunteer(provider, volunteer)) == [later, review]
    assert list(reviews_of_volunteer(stranger, volunteer)) == []


def test_a_regulator_chooses_among_the_regions_of_its_jurisdiction(regulator, other_regulator, provider, regions):
    assert [r.code for r in jurisdiction_regions(regulator)] == ["320400", "320402", "320404"]
    assert [r.code for r in jurisdiction_regions(other_regulator)] == ["320500"]
    assert list(jurisdiction_regions(provider)) == []


def test_a_year_has_ended_once_the_next_began_in_shanghai():
    assert year_has_ended(YEAR - 1, NOW)
    assert not year_has_ended(YEAR, NOW)
    assert not year_has_ended(YEAR + 1, NOW)
    new_year_in_shanghai = datetime(YEAR, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert year_has_ended(YEAR, new_year_in_shanghai)


def test_the_ledger_newest_first_says_which_entries_a_later_one_reverses(provider, regulator, stranger, providers):
    volunteer = providers["met"]
    first = credit(volunteer, day(1, 10), hours=Decimal(1))
    reversal = credit(volunteer, day(1, 11), kind="reversal", hours=Decimal(-1), reverses=first, created_at=NOW)

    mine = [(e.pk, e.is_reversed) for e in ledger_latest_first(provider)]
    assert mine[:2] == [(reversal.pk, False), (first.pk, True)]
    assert [e.pk for e in ledger_latest_first(regulator)][:2] == [reversal.pk, first.pk]
    assert list(ledger_latest_first(stranger)) == []


def test_the_reviews_latest_year_first(provider, stranger, providers):
    volunteer = providers["met"]
    older = AnnualReviewFactory(volunteer=volunteer, year=YEAR - 1)
    newer = AnnualReviewFactory(volunteer=volunteer, year=YEAR)

    assert list(reviews_latest_first(provider)) == [newer, older]
    assert list(reviews_latest_first(stranger)) == []
