"""GET /api/v1/me/ carries unread_notifications, contributed by the notices app through the
kernel's extension point (marketplace.core.me): declared in the schema, one query."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from duties.notices.models import NoticeKind, Notification


def notify(user, n: int, *, read: bool = False) -> None:
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user=user, kind=NoticeKind.DECISION_DUE, title=f"t{i}", created_at=now, read_at=now if read else None
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_me_counts_the_callers_unread_notices_only(api_as, coordinator, outsider):
    notify(coordinator, 3)
    notify(coordinator, 2, read=True)
    notify(outsider, 4)
    body = api_as(coordinator).get("/api/v1/me/").json()
    assert body["unread_notifications"] == 3
    assert api_as(outsider).get("/api/v1/me/").json()["unread_notifications"] == 4


@pytest.mark.django_db
def test_me_without_notices_says_zero(api_as, stranger):
    assert api_as(stranger).get("/api/v1/me/").json()["unread_notifications"] == 0


@pytest.mark.django_db
def test_me_costs_the_same_queries_however_many_notices(api_as, coordinator, django_assert_num_queries):
    def fresh_client():  # a user loaded afresh, as each request's authentication does
        return api_as(User.objects.get(pk=coordinator.pk))

    # The memberships with their organisations, the provider profile, the unread count.
    client = fresh_client()
    with django_assert_num_queries(3):
        client.get("/api/v1/me/")
    notify(coordinator, 30)
    client = fresh_client()
    with django_assert_num_queries(3):
        assert client.get("/api/v1/me/").json()["unread_notifications"] == 30


@pytest.mark.django_db
def test_the_schema_declares_unread_notifications_as_an_integer(api_as, stranger):
    schema = api_as(stranger).get("/api/schema/", {"format": "json"}).json()
    me = schema["components"]["schemas"]["Me"]
    assert me["properties"]["unread_notifications"]["type"] == "integer"
    assert me["properties"]["unread_notifications"]["readOnly"] is True
    assert "unread" in me["properties"]["unread_notifications"]["description"]
    assert "unread_notifications" in me["required"]
