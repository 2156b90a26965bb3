"""The tabs that filter a list (frontend/partials/filter_tabs.html): each tab links to its filter,
the list's current one is marked, and a tab with no value links to the list unfiltered."""

import re

import pytest

pytestmark = pytest.mark.django_db


def tabs(html: str) -> list[tuple[str, str, bool]]:
    """(href, text, current) of each tab of the page's filter nav."""
    nav = re.search(r'<ul class="tags">(.*?)</ul>', html, re.S).group(1)
    found = re.findall(r'<a class="tag" href="([^"]*)"( aria-current="page")?>([^<]*)</a>', nav)
    return [(href, text, bool(current)) for href, current, text in found]


def test_the_desk_tabs_mark_the_status_shown(client_as, coordinator):
    client = client_as(coordinator)
    unfiltered = tabs(client.get("/desk/").content.decode())
    drafts = tabs(client.get("/desk/", {"status": "draft"}).content.decode())

    assert [href for href, _text, _current in unfiltered] == [
        "/desk/",
        "?status=draft",
        "?status=open",
        "?status=filled",
        "?status=completed",
        "?status=cancelled",
    ]
    assert [current for *_tab, current in unfiltered] == [True, False, False, False, False, False]
    assert [current for *_tab, current in drafts] == [False, True, False, False, False, False]


def test_the_providers_tabs_mark_all_when_every_status_is_shown(client_as, regulator):
    client = client_as(regulator)
    pending = tabs(client.get("/regulator/providers/").content.decode())
    every = tabs(client.get("/regulator/providers/", {"status": "all"}).content.decode())

    assert pending[0][0] == "?status=pending" and pending[0][2]
    assert every[-1][0] == "?status=all" and every[-1][2]
    assert sum(current for *_tab, current in every) == 1
