"""``/verify/`` answers a limited number of checks per client address, then 429."""

import pytest

pytestmark = pytest.mark.django_db

CODE = "/verify/AAAA-BBBB-CCCC-DDDD/"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def limit(settings):
    """Three checks a minute, whatever the deployment sets."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "verify": "3/min"},
    }
    return 3


def test_the_default_limit_is_a_setting(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["verify"]


def test_json_clients_get_429_throttled_after_the_limit(client, limit):
    answers = [client.get(CODE, **JSON) for _ in range(limit + 1)]

    assert [a.status_code for a in answers] == [404] * limit + [429]
    assert answers[-1].json()["code"] == "throttled" and answers[-1].json()["detail"]
    assert int(answers[-1]["Retry-After"]) > 0


def test_the_page_also_answers_429_after_the_limit(client, limit):
    for _ in range(limit):
        client.get(CODE)

    response = client.get(CODE)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert 'role="alert"' in response.content.decode()


def test_the_page_and_json_share_one_count(client, limit):
    client.get(CODE)
    client.get(CODE, **JSON)
    client.get(CODE)

    assert client.get(CODE, **JSON).status_code == 429


def test_the_limit_is_per_client_address(client, limit):
    for _ in range(limit):
        client.get(CODE, REMOTE_ADDR="198.51.100.1", **JSON)

    assert client.get(CODE, REMOTE_ADDR="198.51.100.1", **JSON).status_code == 429
    assert client.get(CODE, REMOTE_ADDR="198.51.100.2", **JSON).status_code == 404


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, limit):
    for n in range(limit):
        client.get(CODE, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", **JSON)

    assert client.get(CODE, HTTP_X_FORWARDED_FOR="203.0.113.99", **JSON).status_code == 429
