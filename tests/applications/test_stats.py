"""Regulators read counts and timeliness of their region's applications, never identities."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications.models import Application

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/stats/"


def test_the_regulator_reads_counts_and_timeliness_of_the_region(
    api_as, approve, register, coordinator, regulator, make_lawyer, law_firm, django_assert_max_num_queries
):
    on_time, case = approve()
    api_as(coordinator).post(f"/api/v1/tasks/{case}/assign/", {"volunteer": make_lawyer().pk}, format="json")
    _, firm_case = approve()
    api_as(coordinator).post(f"/api/v1/tasks/{firm_case}/assign/", {"law_firm": law_firm.pk}, format="json")
    late = register(coordinator, received_at=(timezone.now() - timedelta(days=10)).isoformat()).json()["id"]
    refused = register(coordinator).json()["id"]
    api_as(coordinator).post(
        f"/api/v1/applications/{refused}/decide/", {"decision": "refuse", "reasons": "不符合条件"}, format="json"
    )
    # A matter received last year counts in last year's figures only.
    old = register(coordinator).json()["id"]
    Application.objects.filter(pk=old).update(received_at=timezone.now() - timedelta(days=400))
    client = api_as(regulator)
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["region"], body["year"]) == ("320400", timezone.localdate().year)
    counts = {k: body[k] for k in body if k not in ("region", "region_name", "year")}
    expected_received = (
        4 if timezone.localdate().replace(month=1, day=1) <= (timezone.localdate() - timedelta(days=10)) else 3
    )
    assert counts["received"] == expected_received
    assert (counts["decided"], counts["approved"], counts["refused"]) == (3, 2, 1)
    assert (counts["decided_within_time"], counts["assigned"], counts["assigned_within_time"]) == (3, 2, 2)
    assert counts["overdue_now"] == (1 if expected_received == 4 else 0)
    assert late and on_time
    text = response.content.decode()
    assert "张秘密" not in text and "number" not in text


def test_stats_matrix(api, api_as, regulator, other_regulator, coordinator, provider, regions):
    assert api.get(URL).status_code == 401
    for user in (coordinator, provider):
        response = api_as(user).get(URL)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    outside = api_as(regulator).get(f"{URL}?region={regions['suzhou'].code}")
    assert outside.status_code == 400 and outside.json()["code"] == "outside_jurisdiction"
    for query in ("year=1999", "year=abc", "region=999999"):
        bad = api_as(regulator).get(f"{URL}?{query}")
        assert bad.status_code == 400, query
    district = api_as(regulator).get(f"{URL}?region={regions['tianning'].code}&year=2025")
    assert district.status_code == 200 and district.json()["received"] == 0
    assert api_as(other_regulator).get(URL).json()["region"] == "320500"
    assert api_as(regulator).post(URL).status_code == 405
