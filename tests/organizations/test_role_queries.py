"""A request asks the database who its user is once: the navigation, the page guard, the access
helpers, the selectors and the services all read the one roles object (organizations.roles)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from organizations import roles
from tests.factories import AidTaskFactory

PAGES = [
    ("coordinator", "/desk/"),
    ("coordinator", "/desk/hours/"),
    ("coordinator", "/"),
    ("regulator", "/regulator/compliance/"),
    ("regulator", "/regulator/providers/"),
    ("regulator", "/regulator/reviews/"),
    ("regulator", "/regulator/rules/"),
    ("provider", "/"),
    ("provider", "/provider/tasks/"),
]
ENDPOINTS = [
    ("coordinator", "/api/v1/hours/"),
    ("provider", "/api/v1/ledger/"),
    ("regulator", "/api/v1/reviews/"),
    ("regulator", "/api/v1/reports/compliance/"),
    ("regulator", "/api/v1/assignments/declined/"),
]


@pytest.fixture
def cast(legal_aid_center, coordinator, regulator, provider):
    AidTaskFactory(organization=legal_aid_center, created_by=coordinator)
    return {"coordinator": coordinator, "regulator": regulator, "provider": provider}


def page_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # each request loads its user afresh from the session
    return client


def role_queries(queries) -> tuple[int, int]:
    """How many queries read memberships, and how many read a provider profile by its user."""
    sqls = [q["sql"] for q in queries]
    memberships = sum('FROM "organizations_membership"' in sql for sql in sqls)
    profiles = sum(
        sql.startswith('SELECT "volunteers_volunteer"') and '"volunteers_volunteer"."user_id" =' in sql for sql in sqls
    )
    return memberships, profiles


@pytest.mark.parametrize("who,url", PAGES)
def test_a_page_reads_the_users_roles_once(cast, who, url):
    client = page_client(cast[who])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert role_queries(queries.captured_queries) == (1, 1)


@pytest.mark.parametrize("who,url", ENDPOINTS)
def test_an_endpoint_reads_the_users_roles_once(cast, who, url):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(User.objects.get(pk=cast[who].pk))  # a fresh user, as token auth loads it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    memberships, profiles = role_queries(queries.captured_queries)
    assert memberships == 1 and profiles <= 1


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("who,url", [("coordinator", "/desk/"), ("regulator", "/regulator/compliance/")])
def test_the_desk_and_the_regulators_dashboard_make_fewer_queries_than_before(cast, who, url, monkeypatch):
    """Before the roles object the desk made 9 queries (memberships read 4 times) and the
    compliance dashboard 12 (memberships 5 times). Without the kept object (every question asks
    the database again, as before) the same pages make more queries than they make now."""
    client = page_client(cast[who])
    now = queries_of(client, url)
    monkeypatch.setattr(roles, "_freshness", object)  # never fresh: each roles_of() reads anew
    assert queries_of(client, url) - now >= 3
