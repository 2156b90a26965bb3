"""Public statistics (Art. 58): counts by year and region, small cells shown as "<5", shares
from suppressed cells withheld, the page and the API reading one selector, bad input refused."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from duties.stats import Cell, breakdown, public_stats, share
from marketplace.applications.models import Decision
from marketplace.models import ClaimStatus, TaskKind
from organizations.models import OrganizationKind
from tests.factories import AidTaskFactory, ApplicationFactory, ClaimFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/"


@pytest.fixture
def station(regions):
    kind = OrganizationKind.COMMUNITY_STATION
    return OrganizationFactory(name="红梅街道工作站", kind=kind, region=regions["tianning"])


def _application(org, region, user, *, received_at, decided_after=None, outcome="approved", assigned_after=None):
    """A matter with what the intake services record: the first decision and the first assignment,
    each with whether it came by its due date (here 7 and 3 days, the defaults of the settings)."""
    app = ApplicationFactory(centre=org, region=region, received_at=received_at)
    if decided_after is not None:
        decided_at = received_at + decided_after
        Decision.objects.create(application=app, outcome=outcome, reasons="", decided_at=decided_at, decided_by=user)
        app.status = outcome
        app.decided_at, app.decided_on_time = decided_at, decided_after <= timedelta(days=7)
        if outcome == "approved":
            case = AidTaskFactory(
                organization=org, kind=TaskKind.CIVIL_REPRESENTATION, region=region, status="in_progress"
            )
            app.case = case
            if assigned_after is not None:
                ClaimFactory(task=case, status=ClaimStatus.ACCEPTED, is_assignment=True)
                app.assigned_at = decided_at + assigned_after
                app.assigned_on_time = assigned_after <= timedelta(days=3)
        app.save()
    return app


@pytest.fixture
def year_of_matters(regions, station, coordinator):
    """Twelve matters in 天宁区 this year: 8 decided within 7 days (6 approved, 2 refused), 2 late,
    2 undecided; of the 6 approved, 5 assigned within 3 days, 1 later. One matter of last year."""
    now = timezone.now()
    start = now - timedelta(days=20) if now.timetuple().tm_yday > 25 else now
    here = (station, regions["tianning"], coordinator)
    for n in range(6):
        days = timedelta(days=1 if n < 5 else 6)
        _application(*here, received_at=start, decided_after=timedelta(days=2), assigned_after=days)
    for _ in range(2):
        _application(*here, received_at=start, decided_after=timedelta(days=3), outcome="refused")
    for _ in range(2):
        _application(*here, received_at=start, decided_after=timedelta(days=10), outcome="refused")
    for _ in range(2):
        _application(*here, received_at=start)
    last_year = now - timedelta(days=400)
    _application(*here, received_at=last_year, decided_after=timedelta(days=1), outcome="refused")
    return now.year


def test_the_api_counts_the_year_and_suppresses_small_cells(api, regions, year_of_matters):
    response = api.get(URL, {"year": year_of_matters, "region": "320400"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == year_of_matters and body["region"] == "320400"
    assert body["received"] == 12
    assert body["approved"] == 6
    assert body["refused"] == "<5"  # 4
    # 8 of 10 decided within 7 days: the rest (2) is a small cell, so the share is withheld.
    assert body["decided_within_7_days"] is None
    # 5 of 6 approved assigned within 3 days: the rest (1) is small: withheld too.
    assert body["assigned_within_3_days"] is None
    kinds = {row["key"]: row["count"] for row in body["cases_by_kind"]}
    # Every case kind of Art. 22 is listed, those with none as small cells.
    assert kinds == {
        "criminal_defense": "<5",
        "victim_representation": "<5",
        "civil_representation": 6,
        "administrative_representation": "<5",
        "state_compensation": "<5",
        "mediation_arbitration": "<5",
    }
    districts = {row["key"]: row["count"] for row in body["cases_by_district"]}
    assert set(districts) == {"320402", "320404"}
    # 6 in 天宁区, 0 in 钟楼区: one small cell, so the other is hidden too (it equals the total).
    assert districts == {"320402": "<5", "320404": "<5"}
    assert body["stations"] == "<5"
    assert [row["label"] for row in body["station_intake"]] == ["红梅街道工作站"]
    # Nothing personal: no name, number or free text anywhere.
    text = response.content.decode()
    assert "欠薪" not in text and "summary" not in text


def test_the_shares_read_what_the_intake_recorded(api, regions, station, coordinator):
    """The statutory clocks have one home: the application's recorded decided_on_time and
    assigned_on_time, timed against its own due dates (a materials pause and the local settings
    included). When the assignment claim's row was written (the demo's on the seeding day) does not
    make an assignment late."""
    start = timezone.now() - timedelta(days=20) if timezone.now().timetuple().tm_yday > 25 else timezone.now()
    for _ in range(6):
        _application(
            station,
            regions["tianning"],
            coordinator,
            received_at=start,
            decided_after=timedelta(days=2),
            assigned_after=timedelta(days=1),
        )
    body = api.get(URL, {"year": start.year, "region": "320400"}).json()
    assert body["approved"] == 6
    assert body["decided_within_7_days"] == 100
    assert body["assigned_within_3_days"] == 100


def test_the_page_reads_the_same_figures(client_as, regions, year_of_matters):
    response = client_as(None).get("/stats/", {"year": year_of_matters, "region": "320400"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Public legal aid statistics" in html
    assert "&lt;5" in html and "<svg" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert "script-src" in response["Content-Security-Policy"]
    assert "红梅街道工作站" in html


def test_shares_are_shown_only_when_no_small_cell_comes_back():
    assert share(8, 10).percent is None  # the rest is 2
    assert share(3, 10).percent is None  # the numerator is 3
    assert share(10, 10).percent == 100  # the rest is 0: nobody, not a small group
    assert share(5, 10).percent == 50
    assert share(4, 4).percent is None  # the denominator is under 5
    assert str(share(2, 3)) == "—"


def test_one_hidden_cell_in_a_breakdown_hides_a_second():
    rows = breakdown([("a", "A", 3), ("b", "B", 20), ("c", "C", 9)])
    assert [r.count for r in rows] == [Cell(3, True), Cell(20, False), Cell(9, True)]
    assert [r.count.shown for r in breakdown([("a", "A", 5), ("b", "B", 6)])] == [5, 6]


def test_a_region_that_does_not_exist_is_404(api, regions):
    response = api.get(URL, {"region": "999999"})
    assert response.status_code == 404
    assert response.json()["code"] == "region_not_found"
    assert set(response.json()) == {"detail", "code"}


@pytest.mark.parametrize("year", ["abc", "1999", "3000", "-1", "2024.5", "９"])
def test_a_bad_year_is_400(api, regions, year):
    response = api.get(URL, {"year": year, "region": "320400"})
    assert response.status_code == 400
    assert "year" in response.json()


def test_the_page_answers_404_and_400_too(client_as, regions):
    assert client_as(None).get("/stats/", {"region": "999999"}).status_code == 404
    assert client_as(None).get("/stats/", {"year": "abc"}).status_code == 400


def test_the_figures_are_cached_by_year_and_region(regions, year_of_matters, django_assert_num_queries):
    cache.clear()
    first = public_stats(year=year_of_matters, region=regions["changzhou"])
    with django_assert_num_queries(0):
        again = public_stats(year=year_of_matters, region=regions["changzhou"])
    assert again == first


def test_a_cache_that_is_down_is_skipped(regions, year_of_matters, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert public_stats(year=year_of_matters, region=regions["changzhou"]).received.value == 12
