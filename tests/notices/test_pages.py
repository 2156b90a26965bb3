"""The notification centre's pages: the list, the unread count in the nav (one count query), mark
read, mark all read, preferences; the email's unsubscribe link works once."""

import pytest
from django.utils import timezone

from duties.notices import services
from duties.notices.models import NoticeKind, Notification, Preference, UsedUnsubscribeToken


def notice(user, **fields) -> Notification:
    values = {"kind": NoticeKind.DECISION_DUE, "title": "申请须作决定", "url": "/", "created_at": timezone.now()}
    values.update(fields)
    return Notification.objects.create(user=user, **values)


def test_the_nav_shows_the_unread_count(client_as, coordinator):
    notice(coordinator)
    notice(coordinator)
    notice(coordinator, read_at=timezone.now())
    html = client_as(coordinator).get("/notices/").content.decode()
    assert 'id="nav-unread">2<' in html
    assert html.count('class="notice unread"') == 2


def test_the_nav_count_is_one_query(client_as, coordinator, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = coordinator
    template = Template("{% load notices_tags %}{% unread_notices as n %}{{ n }}")
    with django_assert_num_queries(1):
        assert template.render(Context({"request": request})) == "0"


def test_anonymous_is_sent_to_sign_in(client_as):
    response = client_as(None).get("/notices/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_mark_read_goes_to_the_link(client_as, coordinator):
    n = notice(coordinator, url="/intake/7/")
    response = client_as(coordinator).post(f"/notices/{n.pk}/read/", {"go": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/intake/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_someone_elses_notice_is_404(client_as, coordinator, outsider):
    n = notice(outsider)
    assert client_as(coordinator).post(f"/notices/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(client_as, coordinator):
    notice(coordinator)
    client_as(coordinator).post("/notices/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_preferences_page_saves_the_channels(client_as, coordinator):
    client = client_as(coordinator)
    assert client.get("/notices/preferences/").status_code == 200
    client.post("/notices/preferences/", {"sms-decision_due": "on", "email-closing_overdue": "on"})
    p = Preference.objects.get(user=coordinator, kind="decision_due")
    assert (p.email, p.sms) == (False, True)
    assert Preference.objects.get(user=coordinator, kind="closing_overdue").email


class TestUnsubscribe:
    def test_the_link_turns_the_kinds_email_off_once(self, client_as, coordinator):
        token = services.unsubscribe_token(user=coordinator, kind=NoticeKind.DECISION_DUE)
        client = client_as(None)
        assert client.get(f"/notices/unsubscribe/{token}/").status_code == 200
        assert not Preference.objects.exists()  # a mail scanner's GET changes nothing
        response = client.post(f"/notices/unsubscribe/{token}/")
        assert response.status_code == 200
        assert 'id="unsubscribe-done"' in response.content.decode()
        assert Preference.objects.get(user=coordinator, kind="decision_due").email is False

    def test_a_reused_link_is_410_and_changes_nothing(self, client_as, coordinator):
        token = services.unsubscribe_token(user=coordinator, kind=NoticeKind.DECISION_DUE)
        client = client_as(None)
        client.post(f"/notices/unsubscribe/{token}/")
        Preference.objects.filter(user=coordinator).update(email=True)  # they turned it back on
        for method in (client.get, client.post):
            response = method(f"/notices/unsubscribe/{token}/")
            assert response.status_code == 410
            assert 'id="unsubscribe-error"' in response.content.decode()
        assert Preference.objects.get(user=coordinator, kind="decision_due").email is True
        assert UsedUnsubscribeToken.objects.count() == 1

    @pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:1abc:xyz"])
    def test_a_forged_link_is_404(self, client_as, token, db):
        assert client_as(None).post(f"/notices/unsubscribe/{token}/").status_code == 404
        assert not UsedUnsubscribeToken.objects.exists()


def test_email_follows_the_preference_and_sms_goes_to_the_backend(
    coordinator, provider_volunteer, smtp, settings, django_capture_on_commit_callbacks, caplog
):
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    Preference.objects.create(user=coordinator, kind=NoticeKind.DECISION_DUE, email=False, sms=True)
    provider = provider_volunteer.user
    provider.email = "provider@example.org"
    provider.save()
    provider_volunteer.phone = "13912345678"
    provider_volunteer.save()
    Preference.objects.create(user=provider, kind=NoticeKind.CLOSING_OVERDUE, email=True, sms=True)
    with caplog.at_level("INFO", logger="duties.notices.sms"), django_capture_on_commit_callbacks(execute=True):
        services.notification_create(user=coordinator, kind=NoticeKind.DECISION_DUE, title="a", body="", url="/")
        services.notification_create(user=provider, kind=NoticeKind.CLOSING_OVERDUE, title="b", body="", url="/")
    assert smtp.to("coordinator@example.org") == []
    assert len(smtp.to("provider@example.org")) == 1
    assert [r.getMessage() for r in caplog.records if "SMS" in r.getMessage()] == [
        "SMS to 139*** (1 characters) logged, not sent."
    ]
