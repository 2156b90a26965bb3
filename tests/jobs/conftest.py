"""Jobs fixtures: last year's reviews of 常州 (one provider who met the rule, one who did not),
a private storage folder of the test's own for the jobs' files, and a probe kind of job."""

import io

import pytest

from duties import services
from duties.models import AnnualReview
from marketplace.core import jobs
from tests.duties.conftest import make_compliant_lawyer, ministry_lawyer_rule

LAST_YEAR = 2025
SCOPE = {"year": LAST_YEAR, "region": "320400"}


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    """The documents storage (where the jobs' files go) in a folder of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": str(tmp_path / "documents")}},
    }
    return tmp_path / "documents"


@pytest.fixture
def rule_last_year(regions):
    return ministry_lawyer_rule(regions, LAST_YEAR)


@pytest.fixture
def compliant_lawyers(legal_aid_center, regions, coordinator, rule_last_year):
    """Two Zhonglou lawyers with two cases each last year: both meet the rule."""
    return [
        make_compliant_lawyer(legal_aid_center, regions["zhonglou"], coordinator, name, year=LAST_YEAR)
        for name in ("李合规", "张达标")
    ]


@pytest.fixture
def opened(regulator, regions, provider_volunteer, compliant_lawyers):
    """Last year's reviews of 常州 opened: the two compliant lawyers and the provider (behind)."""
    services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
    assert AnnualReview.objects.filter(year=LAST_YEAR, status="open").count() == 3


@pytest.fixture
def certified(opened, regulator, regions):
    """The two compliant lawyers decided compliant: two certificates."""
    decided = services.reviews_decide_compliant(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
    assert len(decided) == 2
    return decided


class Probe:
    """A kind of job for these tests: counts its runs, fails as told, makes a small file."""

    def __init__(self):
        self.runs = 0
        self.fail_with = None
        self.during = None

    def __call__(self, job, progress):
        self.runs += 1
        progress.set_total(3)
        for _ in range(3):
            progress.advance()
        if self.during:
            self.during(job)
        if self.fail_with:
            raise self.fail_with
        return jobs.JobOutput(
            file=io.BytesIO(b"a,b\n"), file_name="probe.csv", content_type="text/csv", result={"ok": True}
        )


@pytest.fixture
def probe():
    runner = Probe()
    jobs.register("probe", runner, label="Probe")
    yield runner
    jobs._KINDS.pop("probe", None)
