"""The subsidy pages: the centre's lines and batches, the bureau's schedules."""

import pytest

from duties.subsidies.models import SubsidyBatch, SubsidyLine, SubsidySchedule

pytestmark = pytest.mark.django_db


def test_the_centre_batches_and_pays_from_its_page(client_as, schedule, close_case, coordinator, legal_aid_center):
    line = SubsidyLine.objects.get(task=close_case(quality="excellent"))
    client = client_as(coordinator)
    page = client.get("/subsidies/")
    assert page.status_code == 200
    assert "2400.00" in page.content.decode()
    done = client.post("/subsidies/", {"organization": legal_aid_center.pk, "lines": [line.pk], "note": "一季度"})
    assert done.status_code == 302
    batch = SubsidyBatch.objects.get()
    assert list(batch.lines.values_list("pk", flat=True)) == [line.pk]
    assert client.post(f"/subsidies/batches/{batch.pk}/paid/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == "paid"
    assert f"/api/v1/subsidy-batches/{batch.pk}/export/?format=xlsx" in client.get("/subsidies/").content.decode()


def test_an_unpriced_line_is_flagged_on_the_page(client_as, close_case, coordinator):
    close_case()
    body = client_as(coordinator).get("/subsidies/").content.decode()
    assert "not priced" in body


def test_the_lines_are_paged_the_latest_first(client_as, schedule, close_case, coordinator, monkeypatch):
    from frontend.views import subsidies as subsidy_pages

    monkeypatch.setattr(subsidy_pages, "LINES_PAGE", 1)
    first, second = (SubsidyLine.objects.get(task=close_case()) for _ in range(2))
    client = client_as(coordinator)

    page_1 = client.get("/subsidies/").content.decode()
    page_2 = client.get("/subsidies/", {"page": 2}).content.decode()

    assert f'id="line-{second.pk}"' in page_1 and f'id="line-{first.pk}"' not in page_1
    assert f'id="line-{first.pk}"' in page_2 and f'id="line-{second.pk}"' not in page_2
    assert '<span class="count">(2)</span>' in page_1 and "?page=2#subsidy-lines" in page_1


def test_the_bureau_sets_a_new_version_from_its_page(client_as, schedule, regulator, this_year):
    client = client_as(regulator)
    assert client.get("/subsidies/schedules/").status_code == 200
    response = client.post(
        "/subsidies/schedules/",
        {
            "year": this_year,
            "region": "320400",
            "duty_half_day": "220.00",
            "travel_supplement": "100.00",
            "multiplier_excellent": "1.2",
            "multiplier_good": "1",
            "multiplier_pass": "0.8",
            "multiplier_fail": "0",
            "rate_civil_representation_none": "2100.00",
        },
    )
    assert response.status_code == 302
    latest = SubsidySchedule.objects.get(version=2)
    assert [(r.kind, str(r.amount)) for r in latest.rates.all()] == [("civil_representation", "2100.00")]


def test_a_negative_amount_is_refused_beside_its_field(client_as, regulator, this_year):
    response = client_as(regulator).post(
        "/subsidies/schedules/",
        {
            "year": this_year,
            "region": "320400",
            "duty_half_day": "-1",
            "travel_supplement": "0",
            "multiplier_excellent": "1",
            "multiplier_good": "1",
            "multiplier_pass": "1",
            "multiplier_fail": "0",
        },
    )
    assert response.status_code == 400
    assert not SubsidySchedule.objects.exists()


def test_a_centre_reads_schedules_but_may_not_set_one(client_as, coordinator, this_year):
    client = client_as(coordinator)
    assert client.get("/subsidies/schedules/").status_code == 200
    assert client.post("/subsidies/schedules/", {"year": this_year}).status_code == 403


@pytest.mark.parametrize("who", ["provider", "outsider"])
def test_other_roles_get_403(client_as, request, who):
    assert client_as(request.getfixturevalue(who)).get("/subsidies/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client_as):
    response = client_as(None).get("/subsidies/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_nav_links_the_subsidies_for_centres_and_bureaus_only(client_as, coordinator, regulator, outsider):
    assert 'href="/subsidies/"' in client_as(coordinator).get("/").content.decode()
    assert 'href="/subsidies/"' in client_as(regulator).get("/").content.decode()
    assert 'href="/subsidies/"' not in client_as(outsider).get("/").content.decode()


def test_the_pages_name_kinds_and_grades_in_chinese(client_as, schedule, close_case, coordinator):
    close_case(quality="excellent")
    client = client_as(coordinator, language=None)

    lines = client.get("/subsidies/").content.decode()
    schedules = client.get("/subsidies/schedules/").content.decode()

    assert "优秀" in lines and ">excellent<" not in lines
    assert "民事案件代理" in schedules and ">civil_representation<" not in schedules
