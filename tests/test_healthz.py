from unittest import mock

import pytest


@pytest.mark.django_db
def test_healthz_reports_ok_when_database_and_channel_layer_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "channel_layer": "ok"}}


@pytest.mark.django_db
def test_healthz_is_503_when_the_channel_layer_is_down(client):
    with mock.patch("marketplace.views.get_channel_layer", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"].startswith("down")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch("marketplace.views.connection.cursor", side_effect=RuntimeError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down: RuntimeError"
