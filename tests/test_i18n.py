"""Chinese is the default language; English is one switch (or one header) away."""

import pytest
from django.test import Client
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_pages_speak_chinese_without_a_preference():
    body = Client().get("/login/").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


@pytest.mark.django_db
def test_pages_speak_english_when_asked():
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert '<html lang="en">' in body


@pytest.mark.django_db
def test_api_errors_are_chinese_by_default_with_a_stable_code():
    body = APIClient().get("/api/v1/me/").json()
    assert body["code"] == "not_authenticated"
    assert body["detail"] == "身份认证信息未提供。"


@pytest.mark.django_db
def test_service_messages_are_translated(api_as, stranger, legal_aid_center):
    from tests.factories import AidTaskFactory

    task = AidTaskFactory(organization=legal_aid_center)
    client = APIClient()  # no language preference: Chinese
    client.force_authenticate(stranger)
    body = client.post(f"/api/v1/tasks/{task.pk}/claims/").json()
    assert body["code"] == "not_eligible"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("zh-hans", "剩余名额："), ("en", "Seats left: ")])
def test_a_label_is_followed_by_the_languages_own_colon(language, label):
    from tests.factories import AidTaskFactory

    task = AidTaskFactory()
    body = Client(HTTP_ACCEPT_LANGUAGE=language).get(f"/tasks/{task.pk}/").content.decode()

    assert label in body


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("zh-hans", ">用户名：</label>"), ("en", ">Username:</label>")])
def test_a_form_label_ends_with_the_languages_own_colon(language, label):
    body = Client(HTTP_ACCEPT_LANGUAGE=language).get("/login/").content.decode()

    assert label in body
