"""Rate limits and lockouts count the real client: X-Forwarded-For is believed only as far as
``TRUSTED_PROXY_COUNT`` proxies wrote it (docs/foundation.md, "Faults and proxies")."""

import pytest
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from marketplace.core.api.throttles import ScopedRateThrottle
from marketplace.core.client_ip import client_ip

PROXY = "10.0.0.1"


def request_from(remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def proxies(settings):
    def set_count(count):
        settings.TRUSTED_PROXY_COUNT = count
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return set_count


@pytest.fixture
def token_rate(monkeypatch):
    """The token endpoint allows 3 attempts a minute, so a test reaches the limit quickly (DRF
    reads the rates once, into a class attribute)."""
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "token": "3/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)


class TestClientIp:
    def test_by_default_x_forwarded_for_is_ignored(self, settings):
        assert settings.TRUSTED_PROXY_COUNT == 0
        assert client_ip(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"

    def test_with_one_proxy_the_address_it_appended_is_the_client(self, proxies):
        proxies(1)
        assert client_ip(request_from(PROXY, "6.6.6.6, 203.0.113.5")) == "203.0.113.5"

    def test_with_two_proxies_the_second_address_from_the_right_is_the_client(self, proxies):
        proxies(2)
        assert client_ip(request_from(PROXY, "6.6.6.6, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"

    def test_with_proxies_but_no_header_the_peer_is_the_client(self, proxies):
        proxies(1)
        assert client_ip(request_from(PROXY)) == PROXY

    def test_a_garbage_address_falls_back_to_the_peer(self, proxies):
        proxies(1)
        assert client_ip(request_from(PROXY, "not-an-address")) == PROXY

    @pytest.mark.parametrize("count", [0, 1, 2, 3])
    @pytest.mark.parametrize("forwarded", [None, "203.0.113.5", "6.6.6.6, 203.0.113.5", "1.1.1.1, 2.2.2.2, 10.0.0.2"])
    def test_drf_num_proxies_agrees_with_client_ip(self, proxies, count, forwarded):
        proxies(count)
        request = request_from(PROXY, forwarded)
        assert SimpleRateThrottle.get_ident(None, request) == client_ip(request)


class TestTokenThrottle:
    def attempt(self, client, remote_addr, forwarded):
        # No password: a 400 that axes does not count, so only the throttle can answer 429.
        return client.post(
            "/api/v1/auth/token/", {"username": "provider"}, REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded
        )

    def test_rotating_x_forwarded_for_does_not_escape_the_throttle(self, db, token_rate):
        client = APIClient()
        answers = [self.attempt(client, "198.51.100.7", f"203.0.113.{i}").status_code for i in range(5)]
        assert answers == [400, 400, 400, 429, 429]
        assert client.post("/api/v1/auth/token/", {}, REMOTE_ADDR="198.51.100.7").json()["code"] == "throttled"

    def test_behind_one_proxy_two_clients_are_counted_apart(self, db, token_rate, proxies):
        proxies(1)
        client = APIClient()
        first = [self.attempt(client, PROXY, f"6.6.6.{i}, 203.0.113.5").status_code for i in range(4)]
        assert first == [400, 400, 400, 429]
        assert self.attempt(client, PROXY, "203.0.113.6").status_code == 400


class TestAxesLockout:
    def token(self, client, password, remote_addr, forwarded):
        return client.post(
            "/api/v1/auth/token/",
            {"username": "provider", "password": password},
            REMOTE_ADDR=remote_addr,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    def fail(self, client, remote_addr, forwarded):
        return self.token(client, "wrong", remote_addr, forwarded)

    def sign_in(self, client, remote_addr, forwarded):
        return self.token(client, "pass-word-123", remote_addr, forwarded)

    def test_rotating_x_forwarded_for_does_not_escape_the_lockout(self, provider, settings):
        client = APIClient()
        limit = settings.AXES_FAILURE_LIMIT
        answers = [self.fail(client, "198.51.100.7", f"203.0.113.{i}").status_code for i in range(limit)]
        assert answers == [401] * (limit - 1) + [429]  # the failure that reaches the limit locks out
        response = self.sign_in(client, "198.51.100.7", "203.0.113.99")
        assert response.status_code == 429
        assert not Token.objects.exists()

    def test_behind_one_proxy_a_locked_out_client_does_not_lock_out_another(self, provider, settings, proxies):
        proxies(1)
        client = APIClient()
        for i in range(settings.AXES_FAILURE_LIMIT):
            self.fail(client, PROXY, f"6.6.6.{i}, 203.0.113.5")
        assert self.sign_in(client, PROXY, "203.0.113.5").status_code == 429
        assert self.sign_in(client, PROXY, "203.0.113.6").status_code == 200


def test_a_negative_proxy_count_refuses_to_start():
    from tests.test_settings import _settings_in_subprocess

    result = _settings_in_subprocess({"DEBUG": "1", "TRUSTED_PROXY_COUNT": "-1", "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr
