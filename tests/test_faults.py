"""Faults: Redis down, hostile bodies. A fault answers ``{detail, code}`` or degrades, never a 500
after a commit (docs/foundation.md, "Faults and proxies")."""

import logging
import socket

import pytest

from marketplace.models import Claim
from marketplace.redis_settings import cache_config, channel_layer_config
from tests.factories import AidTaskFactory


def closed_port() -> int:
    """A local port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The production Redis configuration, pointed at a port where nothing answers."""
    monkeypatch.setattr("marketplace.cache._warned_at", None)  # the first failure is logged
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = cache_config(url)
    settings.CHANNEL_LAYERS = channel_layer_config(url, prefix="faults")
    return url


class TestRedisDown:
    def test_api_reads_still_work_and_the_cache_failure_is_logged(self, redis_down, api, legal_aid_center, caplog):
        AidTaskFactory(organization=legal_aid_center)
        with caplog.at_level(logging.WARNING):
            response = api.get("/api/v1/tasks/")
        assert response.status_code == 200
        assert response.json()["count"] == 1
        assert any(r.name == "marketplace.cache" and r.levelno == logging.WARNING for r in caplog.records)

    @pytest.mark.django_db(transaction=True)
    def test_an_api_claim_is_created_and_answered_201(
        self, redis_down, api_as, legal_aid_center, provider_volunteer, caplog
    ):
        task = AidTaskFactory(organization=legal_aid_center, region=provider_volunteer.region)
        with caplog.at_level(logging.WARNING):
            response = api_as(provider_volunteer.user).post(f"/api/v1/tasks/{task.pk}/claims/", {}, format="json")
        assert response.status_code == 201, response.content
        assert Claim.objects.filter(task=task, volunteer=provider_volunteer).exists()
        assert any(r.name == "marketplace.events" and r.levelno == logging.WARNING for r in caplog.records)

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
        assert any(r.name == "marketplace.events" and r.levelno == logging.WARNING for r in caplog.records)

    def test_healthz_says_503_naming_the_channel_layer(self, redis_down, client, db):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["channel_layer"].startswith("down")

    def test_events_lost_while_redis_is_down_are_logged_not_raised(self, redis_down, caplog):
        from marketplace.events import _deliver

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
        assert cache_config("redis://127.0.0.1:6379/0")["default"]["BACKEND"] == "marketplace.cache.FailOpenRedisCache"


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
