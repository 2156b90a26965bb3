"""The notification centre's API: the caller's notices only, mark read, mark all read,
preferences; the failure list for site administrators. A failed request changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.notices import services
from duties.notices.models import FailedJob, NoticeKind, Notification, Preference


def notice(user, **fields) -> Notification:
    values = {"kind": NoticeKind.DECISION_DUE, "title": "申请须作决定", "url": "/", "created_at": timezone.now()}
    values.update(fields)
    return Notification.objects.create(user=user, **values)


class TestList:
    def test_the_caller_sees_their_own_notices_newest_first(self, api_as, coordinator, outsider):
        old = notice(coordinator, created_at=timezone.now() - timedelta(hours=1))
        new = notice(coordinator)
        notice(outsider)
        body = api_as(coordinator).get("/api/v1/notifications/").json()
        assert [n["id"] for n in body["results"]] == [new.pk, old.pk]

    def test_unread_filter(self, api_as, coordinator):
        notice(coordinator, read_at=timezone.now())
        unread = notice(coordinator)
        body = api_as(coordinator).get("/api/v1/notifications/?unread=true").json()
        assert [n["id"] for n in body["results"]] == [unread.pk]

    def test_a_bad_filter_is_400(self, api_as, coordinator):
        assert api_as(coordinator).get("/api/v1/notifications/?unread=maybe").status_code == 400

    def test_anonymous_is_401(self, api):
        response = api.get("/api/v1/notifications/")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    @pytest.mark.parametrize("size", [10, 100])
    def test_the_list_costs_the_same_for_10_and_100(self, api_as, coordinator, size, django_assert_max_num_queries):
        for _ in range(size):
            notice(coordinator)
        client = api_as(coordinator)
        with django_assert_max_num_queries(3):
            assert client.get("/api/v1/notifications/?page_size=100").status_code == 200


class TestMarkRead:
    def test_marks_one_read(self, api_as, coordinator):
        n = notice(coordinator)
        body = api_as(coordinator).post(f"/api/v1/notifications/{n.pk}/read/").json()
        assert body["read_at"] is not None
        n.refresh_from_db()
        assert n.read_at is not None

    def test_someone_elses_notice_is_404_and_stays_unread(self, api_as, coordinator, outsider):
        n = notice(outsider)
        response = api_as(coordinator).post(f"/api/v1/notifications/{n.pk}/read/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert "申请" not in response.content.decode()
        n.refresh_from_db()
        assert n.read_at is None

    def test_a_missing_notice_is_404(self, api_as, coordinator):
        assert api_as(coordinator).post("/api/v1/notifications/999999/read/").status_code == 404

    def test_get_is_405(self, api_as, coordinator):
        n = notice(coordinator)
        assert api_as(coordinator).get(f"/api/v1/notifications/{n.pk}/read/").status_code == 405

    def test_mark_all_read_touches_only_the_callers(self, api_as, coordinator, outsider):
        notice(coordinator)
        notice(coordinator)
        theirs = notice(outsider)
        assert api_as(coordinator).post("/api/v1/notifications/read-all/").json() == {"marked": 2}
        assert not Notification.objects.filter(user=coordinator, read_at__isnull=True).exists()
        theirs.refresh_from_db()
        assert theirs.read_at is None


class TestPreferences:
    def test_defaults_list_every_kind(self, api_as, coordinator):
        rows = api_as(coordinator).get("/api/v1/notification-preferences/").json()
        assert {r["kind"] for r in rows} == set(NoticeKind.values)
        assert all(r["email"] and not r["sms"] for r in rows)

    def test_put_sets_the_kinds_listed(self, api_as, coordinator):
        response = api_as(coordinator).put(
            "/api/v1/notification-preferences/",
            [{"kind": "decision_due", "email": False, "sms": True}],
            format="json",
        )
        assert response.status_code == 200
        row = next(r for r in response.json() if r["kind"] == "decision_due")
        assert row == {"kind": "decision_due", "label": row["label"], "email": False, "sms": True}

    def test_an_unknown_kind_is_400_and_changes_nothing(self, api_as, coordinator):
        response = api_as(coordinator).put(
            "/api/v1/notification-preferences/",
            [{"kind": "decision_due", "email": False, "sms": True}, {"kind": "nonsense", "email": True, "sms": True}],
            format="json",
        )
        assert response.status_code == 400
        assert not Preference.objects.exists()


class TestFailedJobs:
    def test_site_administrators_see_the_failure_list(self, api_as, coordinator, django_user_model):
        FailedJob.objects.create(
            task_name="notices.deliver_notification", exception="OSError()", failed_at=timezone.now()
        )
        admin = django_user_model.objects.create_user("admin", is_staff=True)
        body = api_as(admin).get("/api/v1/failed-jobs/").json()
        assert [j["task_name"] for j in body["results"]] == ["notices.deliver_notification"]
        response = api_as(coordinator).get("/api/v1/failed-jobs/")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"


def test_a_new_notice_is_pushed_on_ws_me_after_commit(coordinator, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(services, "to_users", lambda users, event: sent.append((users, event)))
    with django_capture_on_commit_callbacks(execute=False):
        n = services.notification_create(
            user=coordinator, kind=NoticeKind.DECISION_DUE, title="申请须作决定", body="", url="/intake/1/"
        )
    assert sent == [
        (
            [coordinator.pk],
            {"type": "notification", "id": n.pk, "kind": "decision_due", "title": "申请须作决定", "url": "/intake/1/"},
        )
    ]
