"""进度滞后 ("behind") speaks of a year still running; once it has ended the year reads its
outcome, 达标 / 未达标 / 免除, on the pages and in the exports (DOMAIN: wording)."""

from datetime import datetime

import pytest
from django.utils import translation

from duties.models import ProgressStatus, progress_label
from duties.selectors import REPORT_COLUMNS, compliance_export_rows
from tests.duties.conftest import NOW, SHANGHAI, YEAR, duty_rule

pytestmark = pytest.mark.django_db

with translation.override("en"):
    PROGRESS = [str(column.header) for column in REPORT_COLUMNS].index("Progress")


def test_a_running_year_is_behind_an_ended_one_not_met():
    with translation.override("en"):
        assert progress_label(ProgressStatus.BEHIND, year_ended=False) == "Behind"
        assert progress_label(ProgressStatus.BEHIND, year_ended=True) == "Not met"
        assert progress_label(ProgressStatus.MET, year_ended=True) == "Met"
        assert progress_label(ProgressStatus.EXEMPT, year_ended=True) == "Exempt"


def test_the_chinese_words_follow_the_glossary():
    with translation.override("zh-hans"):
        assert progress_label(ProgressStatus.BEHIND, year_ended=False) == "进度滞后"
        # 未达标 and 免除 come with the catalogue's next merge (/tmp/i18n); never 进度滞后 for an ended year.
        assert progress_label(ProgressStatus.BEHIND, year_ended=True) != "进度滞后"


def test_the_export_of_an_ended_year_says_not_met(regions, provider_volunteer):
    duty_rule(regions, YEAR, min_hours=50, min_cases=0)
    ended = datetime(YEAR + 1, 3, 1, 10, tzinfo=SHANGHAI)

    with translation.override("en"):
        running = {row[0]: row for row in compliance_export_rows(region=regions["changzhou"], year=YEAR, now=NOW)}
        closed = {row[0]: row for row in compliance_export_rows(region=regions["changzhou"], year=YEAR, now=ended)}

    assert running[provider_volunteer.pk][PROGRESS] == "Behind"
    assert closed[provider_volunteer.pk][PROGRESS] == "Not met"
