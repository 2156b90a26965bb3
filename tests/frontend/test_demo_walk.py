"""The demo walked as each of its people, in Chinese: every main page of the role and the pages it
links to. None answers 5xx, and none shows a stored code where a reader expects words
('civil_representation', 'excellent'), nor English words in the Chinese text."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = [
    "lac",
    "union",
    "station",
    "bureau",
    "association",
    "tianning",
    "lawyer01",
    "lawyer20",
    "notary01",
    "student01",
]
MAIN_PAGES = [
    "/",
    "/cases/",
    "/desk/",
    "/desk/hours/",
    "/desk/case-cap/",
    "/intake/",
    "/intake/firm/",
    "/intake/objections/",
    "/intake/stats/",
    "/firm/progress/",
    "/rosters/",
    "/subsidies/",
    "/subsidies/schedules/",
    "/notices/",
    "/jobs/",
    "/stats/",
    "/provider/tasks/",
    "/provider/duty/",
    "/provider/shifts/",
    "/provider/evidence/",
    "/department/evidence/",
    "/bureau/complaints/",
    "/regulator/providers/",
    "/regulator/compliance/",
    "/regulator/reviews/",
    "/regulator/rules/",
    "/regulator/declined/",
]
# Followed one step from the main pages: the records they list. Files, exports and actions are not pages.
NOT_A_PAGE = re.compile(r"^/(api|admin|static|i18n|logout|calendar)/|\.(pdf|csv|xlsx|zip|ics)$|/(download|export)")
PAGES_PER_ROLE = 80
# Words a Chinese page may carry: file formats, the API's name, the language switch.
HEX = re.compile(r"[a-f]+")  # pieces of a document's SHA-256, shown for checking
ALLOWED = {"PDF", "CSV", "XLSX", "ZIP", "JSON", "API", "HTML", "JPEG", "PNG", "SHA", "English", "v1"}


class _Visible(HTMLParser):
    """The text a reader sees (and the labels a screen reader reads); the page's links."""

    HIDDEN = {"script", "style", "code", "time", "svg"}

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        self.text += [attrs[a] for a in ("placeholder", "title", "aria-label", "data-confirm") if attrs.get(a)]

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def _stored_codes() -> set[str]:
    """Every value of every choice field: what a page must never show bare."""
    return {
        str(value)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        for value, _label in getattr(field, "flatchoices", None) or ()
        if isinstance(value, str) and len(value) > 2
    }


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def _walk(client) -> dict[str, str]:
    """Path -> visible text of every page reached: the main pages, then one step from them."""
    seen: dict[str, str] = {}
    queue = [(path, 0) for path in MAIN_PAGES]
    while queue and len(seen) < PAGES_PER_ROLE:
        path, depth = queue.pop(0)
        if path in seen or "?" in path or NOT_A_PAGE.search(path):
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        page = _Visible()
        page.feed(response.content.decode())
        seen[path] = " ".join(page.text)
        if depth == 0:
            queue += [(link, 1) for link in page.links]
    return seen


def test_every_role_reads_words_not_codes_in_chinese(demo):
    codes = _stored_codes()
    problems = []
    for username in ROLES:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(User.objects.get(username=username))
        for path, text in _walk(client).items():
            text = re.sub(r"/\S+", " ", text)  # an address shown as such (/api/v1/stats/)
            words = {w for w in re.findall(r"[A-Za-z][A-Za-z_]+", text) if not HEX.fullmatch(w)} - ALLOWED
            # A code (upper-case runs are certificate and complaint codes, shown on purpose).
            bare = {w for w in words if w in codes or "_" in w}
            english = {w for w in words if w.islower() and len(w) > 3} - bare
            if bare or english:
                problems.append((username, path, sorted(bare), sorted(english)[:5]))

    assert problems == [], "\n".join(map(str, problems))
