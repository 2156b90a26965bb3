"""Faults: Redis down, hostile bodies. A fault answers ``{detail, code}`` or degrades, never a 500
after a commit (docs/foundation.md, "Faults and proxies")."""

import logging
import socket

import pytest

from marketplace.core.redis_settings import cache_config, channel_layer_config
from marketplace.models import Claim
from tests.factories import AidTaskFactory


def closed_port() -> int:
    """A local port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The production Redis configuration, pointed at a port where nothing answers."""
    monkeypatch.setattr("marketplace.core.cache._warned_at", None)  # the first failure is logged
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = cache_config(url)
    settings.CHANNEL_LAYERS = channel_layer_config(url, prefix="faults")
    return url


class TestRedisDown:
    def test_api_reads_still_work_and_the_cache_failure_is_logged(
        self, redis_down, api, legal_aid_center, caplog, monkeypatch
    ):
        AidTaskFactory(organization=legal_aid_center)
        # Setting up may already have met the closed cache (the regions' version key); the request's
        # own first failure is the one to see logged.
        monkeypatch.setattr("marketplace.core.cache._warned_at", None)
        with caplog.at_level(logging.WARNING):
            response = api.get("/api/v1/tasks/")
        assert response.status_code == 200
        assert response.json()["count"] == 1
        assert any(r.name == "marketplace.core.cache" and r.levelno == logging.WARNING for r in caplog.records)

    @pytest.mark.django_db(transaction=True)
    def test_an_api_claim_is_created_and_answered_201(
        self, redis_down, api_as, legal_aid_center, provider_volunteer, caplog
    ):
        task = AidTaskFactory(organization=legal_aid_center, region=provider_volunteer.region)
        with caplog.at_level(logging.WARNING):
            response = api_as(provider_volunteer.user).post(f"/api/v1/tasks/{task.pk}/claims/", {}, format="json")
        assert response.status_code == 201, response.content
        assert Claim.objects.filter(task=task, volunteer=provider_volunteer).exists()
        assert any(r.name == "marketplace.core.events" and r.levelno == logging.WARNING for r in caplog.records)

    @pytest.mark.django_db(transaction=True)
    def test_an_html_claim_is_committed_and_reported_as_done(
        self, redis_down, client, legal_aid_center, provider_volunteer, caplog
    ):
        task = AidTaskFactory(organization=legal_aid_center, region=provider_volunteer.region)
        client.force_login(provider_volunteer.user)
        with caplog.at_level(logging.WARNING):
            response = client.post(f"/tasks/{task.pk}/claim/")
        claim = Claim.objects.get(task=task, volunteer=provider_volunteer)
        assert response.status_code == 302
        assert response.url == f"/provider/claims/{claim.pk}/"
        assert any(r.name == "marketplace.core.events" and r.levelno == logging.WARNING for r in caplog.records)

    def test_healthz_says_503_naming_the_channel_layer(self, redis_down, client, db):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["channel_layer"].startswith("down")

    def test_events_lost_while_redis_is_down_are_logged_not_raised(self, redis_down, caplog):
        from marketplace.core.events import _deliver

        with caplog.at_level(logging.WARNING):
            _deliver(["board"], {"type": "task.changed", "task": {"id": 1, "status": "open", "seats_left": 1}})
        assert "task.changed" in caplog.text


class TestRedisConfiguration:
    def test_the_channel_layer_reads_longer_than_its_blocking_pop(self):
        from channels_redis.core import RedisChannelLayer

        (host,) = channel_layer_config("redis://127.0.0.1:6379/0", prefix="x")["default"]["CONFIG"]["hosts"]
        # redis-py's default 5 s read timeout equalled the 5 s BZPOPMIN and dropped idle sockets.
        assert host["socket_timeout"] > RedisChannelLayer.brpop_timeout
        assert host["address"] == "redis://127.0.0.1:6379/0"

    def test_the_cache_fails_open(self):
        assert (
            cache_config("redis://127.0.0.1:6379/0")["default"]["BACKEND"]
            == "marketplace.core.cache.FailOpenRedisCache"
        )


class TestHostileBodies:
    """Every answer of the API is ``{detail, code}``, even to a body it cannot read."""

    def test_json_nested_a_hundred_thousand_deep_is_a_400_parse_error(self, api_as, coordinator):
        response = api_as(coordinator).post("/api/v1/tasks/", "[" * 100_000, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["code"] == "parse_error"

    def test_valid_json_nested_deeper_than_any_request_is_a_400_parse_error(self, api_as, coordinator):
        body = '{"title": ' + "[" * 40 + "]" * 40 + "}"
        response = api_as(coordinator).post("/api/v1/tasks/", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["code"] == "parse_error"

    def test_a_12_mb_body_is_a_413_request_too_large(self, api_as, coordinator):
        body = '{"title": "' + "x" * 12_000_000 + '"}'
        response = api_as(coordinator).post("/api/v1/tasks/", body, content_type="application/json")
        assert response.status_code == 413
        assert response.json() == {"detail": response.json()["detail"], "code": "request_too_large"}

    def test_a_12_mb_body_to_the_token_endpoint_is_a_413_in_json(self, api):
        body = '{"username": "' + "x" * 12_000_000 + '"}'
        response = api.post("/api/v1/auth/token/", body, content_type="application/json")
        assert response.status_code == 413
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "request_too_large"

    def test_a_12_mb_body_from_a_signed_in_browser_is_a_413_in_json(self, client, coordinator):
        """The session's CSRF check reads the body first."""
        client.force_login(coordinator)
        body = '{"title": "' + "x" * 12_000_000 + '"}'
        response = client.post("/api/v1/tasks/", body, content_type="application/json")
        assert response.status_code == 413
        assert response.json()["code"] == "request_too_large"

    def test_too_many_form_fields_is_a_400_in_json(self, api, settings):
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
        response = api.post("/api/v1/auth/token/", {f"f{i}": "x" for i in range(20)})
        assert response.status_code == 400
        assert response.json()["code"] == "too_many_fields"


BAD_NUMBERS = ["-5", "99999", "3000000000", "99999999999999999999", "abc", "1e5"]


def warned(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


class TestPageParameters:
    """A page never fails on its address: a bad value falls back to the default, with a message."""

    @pytest.mark.parametrize("year", BAD_NUMBERS)
    def test_a_regulator_sees_this_year_of_a_provider_when_the_year_is_bad(
        self, client_as, regulator, provider_volunteer, year
    ):
        from django.utils import timezone

        response = client_as(regulator).get(f"/regulator/providers/{provider_volunteer.pk}/", {"year": year})
        assert response.status_code == 200
        assert response.context["year"] == timezone.localdate().year
        assert warned(response)

    @pytest.mark.parametrize("year", BAD_NUMBERS)
    def test_a_provider_sees_this_year_of_their_duty_when_the_year_is_bad(self, client_as, provider, year):
        from django.utils import timezone

        response = client_as(provider).get("/provider/duty/", {"year": year})
        assert response.status_code == 200
        assert response.context["year"] == timezone.localdate().year
        assert warned(response)

    def test_a_good_year_is_kept_without_a_message(self, client_as, provider):
        response = client_as(provider).get("/provider/duty/", {"year": "2024"})
        assert response.context["year"] == 2024
        assert not warned(response)

    @pytest.mark.parametrize("year", ["-5", "99999", "abc"])
    def test_compliance_with_a_bad_year_shows_the_default_and_says_so(self, client_as, regulator, year):
        response = client_as(regulator).get("/regulator/compliance/", {"year": year, "region": "320400"})
        assert response.status_code == 200
        assert warned(response)

    def test_reviews_with_a_region_outside_the_jurisdiction_show_the_default_and_say_so(self, client_as, regulator):
        response = client_as(regulator).get("/regulator/reviews/", {"year": "2025", "region": "320500"})
        assert response.status_code == 200
        assert response.context["region"].code == "320400"
        assert warned(response)

    @pytest.mark.parametrize(
        "path, status",
        [
            ("/regulator/providers/", "nonsense"),
            ("/regulator/reviews/", "nonsense"),
            ("/regulator/compliance/", "nonsense"),
        ],
    )
    def test_an_unknown_status_is_ignored_and_said_so(self, client_as, regulator, path, status):
        response = client_as(regulator).get(path, {"status": status})
        assert response.status_code == 200
        assert response.context["status"] == ("pending" if path == "/regulator/providers/" else "")
        assert warned(response)

    def test_an_unknown_desk_filter_is_ignored_and_said_so(self, client_as, coordinator):
        response = client_as(coordinator).get("/desk/", {"status": "nonsense"})
        assert response.status_code == 200
        assert response.context["status"] == ""
        assert warned(response)

    @pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999"])
    @pytest.mark.parametrize("path", ["/", "/regulator/providers/", "/regulator/reviews/", "/regulator/declined/"])
    def test_a_bad_page_number_shows_the_first_page_and_says_so(self, client_as, regulator, path, page):
        response = client_as(regulator).get(path, {"page": page})
        assert response.status_code == 200
        assert response.context["page"].number == 1
        assert warned(response)

    def test_a_page_past_the_last_shows_the_last_without_a_message(self, client_as, regulator):
        response = client_as(regulator).get("/regulator/providers/", {"page": "7"})
        assert response.status_code == 200
        assert response.context["page"].number == 1
        assert not warned(response)

    @pytest.mark.parametrize("ids", ["99999999999999999999", "-1", "abc"])
    def test_bulk_hours_with_ids_that_cannot_exist_change_nothing_and_say_so(self, client_as, coordinator, ids):
        from duties.models import HourLog

        response = client_as(coordinator).post("/desk/hours/bulk/", {"ids": ids}, follow=True)
        assert response.status_code in (200, 404)
        assert not HourLog.objects.exists()
        if response.status_code == 200:
            assert warned(response)


def task_form(organization, **changes) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    start = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    values = {
        "organization": organization.pk,
        "title": "欠薪咨询",
        "summary": "为农民工提供咨询。",
        "kind": "consultation",
        "category": "other",
        "beneficiary_group": "general",
        "region": "320402",
        "location": "天宁区",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "seats": "1",
        "estimated_hours": "1.00",
    }
    return {**values, **changes}


class TestIntegerBounds:
    """Numbers a form or the API accepts fit the database (a 32-bit integer on PostgreSQL)."""

    @pytest.mark.parametrize("seats", ["10001", "3000000000", "99999999999999999999"])
    def test_the_task_form_refuses_seats_past_the_bound_and_creates_nothing(
        self, client_as, coordinator, legal_aid_center, seats
    ):
        from marketplace.models import AidTask

        response = client_as(coordinator).post("/desk/tasks/new/", task_form(legal_aid_center, seats=seats))
        assert response.status_code == 400
        assert "seats" in response.context["form"].errors
        assert not AidTask.objects.exists()

    def test_the_task_form_still_takes_ten_thousand_seats(self, client_as, coordinator, legal_aid_center):
        from marketplace.models import AidTask

        response = client_as(coordinator).post("/desk/tasks/new/", task_form(legal_aid_center, seats="10000"))
        assert response.status_code == 302
        assert AidTask.objects.get().seats == 10000

    def test_editing_a_task_refuses_seats_past_the_bound(self, client_as, coordinator, legal_aid_center):
        task = AidTaskFactory(organization=legal_aid_center, status="draft", seats=2)
        response = client_as(coordinator).post(
            f"/desk/tasks/{task.pk}/edit/", task_form(legal_aid_center, seats="3000000000")
        )
        assert response.status_code == 400
        task.refresh_from_db()
        assert task.seats == 2

    @pytest.mark.parametrize("field, value", [("min_cases", "3000000000"), ("min_hours", "9999.00")])
    def test_the_rule_form_refuses_numbers_past_the_api_bounds(self, client_as, regulator, regions, field, value):
        from duties.models import DutyRule

        values = {"year": "2026", "region": "320400", "volunteer_kind": "lawyer", "min_hours": "10.00"}
        values |= {"min_cases": "1", "satisfied_by": "any", field: value}
        response = client_as(regulator).post("/regulator/rules/", values)
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert not DutyRule.objects.exists()


@pytest.mark.postgres(reason="needs PostgreSQL: SQLite's integers are 64-bit")
class TestIntegerBoundsOnPostgresql:
    def test_three_billion_seats_through_the_page_form_is_a_400_not_a_500(
        self, client_as, coordinator, legal_aid_center
    ):
        from marketplace.models import AidTask

        response = client_as(coordinator).post("/desk/tasks/new/", task_form(legal_aid_center, seats="3000000000"))
        assert response.status_code == 400
        assert not AidTask.objects.exists()

    def test_three_billion_seats_through_the_api_is_a_400_naming_seats(self, api_as, coordinator, task_payload):
        from marketplace.models import AidTask

        body = task_payload(seats=3000000000)
        response = api_as(coordinator).post("/api/v1/tasks/", body, format="json")
        assert response.status_code == 400
        assert "seats" in response.json()
        assert not AidTask.objects.exists()

    def test_three_billion_cases_through_the_rule_form_is_a_400(self, client_as, regulator, regions):
        from duties.models import DutyRule

        values = {"year": "2026", "region": "320400", "volunteer_kind": "lawyer", "min_hours": "10.00"}
        response = client_as(regulator).post(
            "/regulator/rules/", values | {"min_cases": "3000000000", "satisfied_by": "any"}
        )
        assert response.status_code == 400
        assert not DutyRule.objects.exists()
