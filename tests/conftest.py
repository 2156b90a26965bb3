"""The fixed cast of the suite, so that permission tests read as prose.

- ``coordinator``: coordinator of the Changzhou legal aid centre (region 常州市 320400).
- ``provider``: a verified lawyer in 天宁区 (320402), with no organisation role.
- ``outsider``: coordinator of another organisation (a trade union in 钟楼区).
- ``regulator``: reviewer of the Changzhou justice bureau (jurisdiction: 常州市 and below).
- ``other_regulator``: reviewer of the Suzhou justice bureau (320500), outside Changzhou.
- ``stranger``: a signed-in user with no role and no provider profile.
- ``second_coordinator``: another coordinator of the centre; ``other_centre_coordinator``: of the
  Suzhou legal aid centre (``suzhou_centre``).
"""

import os
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import yaml
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from marketplace.core.errors import DomainError
from organizations.models import OrganizationKind, Role
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    VolunteerFactory,
    held_case,
    member,
)


@pytest.fixture
def regions(db):
    province = RegionFactory(code="320000", name="江苏省", path="320000/")
    changzhou = RegionFactory(code="320400", name="常州市", parent=province)
    tianning = RegionFactory(code="320402", name="天宁区", parent=changzhou)
    zhonglou = RegionFactory(code="320404", name="钟楼区", parent=changzhou)
    suzhou = RegionFactory(code="320500", name="苏州市", parent=province)
    return {"province": province, "changzhou": changzhou, "tianning": tianning, "zhonglou": zhonglou, "suzhou": suzhou}


def organization(name: str, kind: str, region: str, doc: str = ""):
    """A fixture of the cast: the organisation ``name`` of ``kind`` in ``regions[region]``."""

    def fixture(regions):
        return OrganizationFactory(name=name, kind=kind, region=regions[region])

    fixture.__doc__ = doc or f"{name}: a {kind} in ``regions['{region}']``."
    return pytest.fixture(fixture)


def member_of(organization: str, role: str = Role.COORDINATOR, *, doc: str = "", **user):
    """A fixture of the cast: a user (``UserFactory(**user)``) holding ``role`` in the organisation
    the fixture named ``organization`` gives."""

    def fixture(request):
        return member(request.getfixturevalue(organization), role, **user)

    fixture.__doc__ = doc or f"A {role} of ``{organization}``."
    return pytest.fixture(fixture)


legal_aid_center = organization("常州市法律援助中心", OrganizationKind.LEGAL_AID_CENTER, "changzhou")
other_org = organization("常州市钟楼区总工会", OrganizationKind.TRADE_UNION, "zhonglou")
justice_bureau = organization("常州市司法局", OrganizationKind.JUSTICE_BUREAU, "changzhou")
lawyers_association = organization("常州市律师协会", OrganizationKind.LAWYERS_ASSOCIATION, "changzhou")
suzhou_centre = organization(
    "苏州市法律援助中心",
    OrganizationKind.LEGAL_AID_CENTER,
    "suzhou",
    doc="The Suzhou legal aid centre: another centre, in another city.",
)


coordinator = member_of("legal_aid_center", username="coordinator", first_name="周协调")
outsider = member_of("other_org", username="outsider", first_name="吴外人")


@pytest.fixture
def regulator(justice_bureau, lawyers_association):
    """A reviewer of 常州's justice bureau and of its lawyers' association: assesses and verifies
    every kind of provider (volunteers.models.ASSESSED_BY). Tests of who assesses whom use
    ``bureau_reviewer`` and ``association_reviewer``."""
    user = member(justice_bureau, Role.REVIEWER, username="regulator", first_name="郑审核")
    MembershipFactory(user=user, organization=lawyers_association, role=Role.REVIEWER)
    return user


bureau_reviewer = member_of(
    "justice_bureau",
    Role.REVIEWER,
    username="bureau_reviewer",
    first_name="司审核",
    doc="A reviewer of 常州's justice bureau only: assesses notaries and grassroots workers.",
)
association_reviewer = member_of(
    "lawyers_association",
    Role.REVIEWER,
    username="association_reviewer",
    first_name="律审核",
    doc="A reviewer of 常州's lawyers' association only: assesses lawyers.",
)


@pytest.fixture
def other_regulator(regions):
    bureau = OrganizationFactory(name="苏州市司法局", kind=OrganizationKind.JUSTICE_BUREAU, region=regions["suzhou"])
    return member(bureau, Role.REVIEWER, username="other_regulator", first_name="冯外审")


second_coordinator = member_of(
    "legal_aid_center",
    username="coordinator2",
    first_name="吴复核",
    doc="Another coordinator of the centre (reviews when the first cannot).",
)
other_centre_coordinator = member_of("suzhou_centre", username="suzhou_centre", first_name="孙中心")


@pytest.fixture
def provider_volunteer(regions):
    user = UserFactory(username="provider", first_name="王律师")
    return VolunteerFactory(user=user, region=regions["tianning"], licence_number="13204201910000001")


@pytest.fixture
def provider(provider_volunteer):
    return provider_volunteer.user


@pytest.fixture
def provider_case(legal_aid_center, regions, provider_volunteer):
    """``provider_case(title, kind, **more)``: a case of the centre in 天宁区 that ``provider``
    holds (``tests.factories.held_case``)."""

    def make(title: str, kind: str, **more):
        return held_case(
            provider_volunteer,
            organization=legal_aid_center,
            region=regions["tianning"],
            title=title,
            kind=kind,
            **more,
        )

    return make


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger", first_name="陌生人")


# A small file the document checks take for a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def documents_on_tmp(settings, tmp_path):
    """Documents go to a folder of the test's own, which this returns."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


# The kinds of task that are cases (matters a centre assigns), spelt out rather than read from
# marketplace.models.CASE_KINDS, so that a change there shows in the tests.
CASE_KINDS = [
    "criminal_defense",
    "victim_representation",
    "civil_representation",
    "administrative_representation",
    "state_compensation",
    "mediation_arbitration",
]


@pytest.fixture
def task_payload(legal_aid_center, regions):
    """``task_payload(**overrides)``: the body of ``POST /api/v1/tasks/``, the fields it requires: a
    2-seat consultation of the legal aid centre in 天宁区, in five days, for three hours."""

    def make(**overrides):
        start = timezone.now() + timedelta(days=5)
        return {
            "organization": legal_aid_center.pk,
            "title": "农民工欠薪咨询",
            "kind": "consultation",
            "category": "labor_wages",
            "beneficiary_group": "migrant_workers",
            "region": regions["tianning"].code,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
            "seats": 2,
            "estimated_hours": "3.00",
        } | overrides

    return make


# Tests read messages in English: clients ask for it, and code run outside a request speaks it.
# The Chinese default itself is tested where it matters (tests/test_i18n.py).
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def api():
    """An anonymous API client; ``api.force_authenticate(user)`` signs it in."""
    return APIClient(**ENGLISH)


@pytest.fixture
def client_as():
    """``client_as(user)``: a page client signed in as ``user`` (None for anonymous), asking for
    English pages unless ``language`` says otherwise (None: no preference, the Chinese default)."""

    def make(user=None, *, language="en"):
        client = Client(**({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_as():
    def make(user):
        client = APIClient(**ENGLISH)
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def demo_cast(db):
    """The organisations' and the providers' demos, seeded: the ground the other demos build on.
    Returns the moment they were seeded at, for the demo under test to run at too."""
    from organizations import demo as organizations_demo
    from volunteers import demo as volunteers_demo

    now = timezone.now()
    organizations_demo.seed(now=now)
    volunteers_demo.seed(now=now)
    return now


def seeded_twice(demo, now, snapshot):
    """Seed ``demo`` at ``now`` twice: the second run must change nothing that ``snapshot()`` reads
    (demos are idempotent). Returns that snapshot."""
    demo.seed(now=now)
    first = snapshot()
    demo.seed(now=now)
    assert snapshot() == first
    return first


@pytest.fixture
def page_queries():
    """``page_queries(client, url, **params)``: the queries one read of the list ``url`` runs at
    page_size 10 and at 100 (each must answer 200), so a test can say no row costs a query.
    ``client`` may be a function that gives a fresh client for each read, where what the first
    read caches on the user object (its roles) must be read again."""
    from django.test.utils import CaptureQueriesContext

    def count(client, url, **params) -> list[int]:
        counts = []
        for size in (10, 100):
            reader = client() if callable(client) else client
            with CaptureQueriesContext(connection) as captured:
                response = reader.get(url, {**params, "page_size": size})
            assert response.status_code == 200, response.content
            counts.append(len(captured))
        return counts

    return count


@pytest.fixture(scope="session")
def schema(tmp_path_factory):
    """The OpenAPI schema as ``manage.py spectacular`` writes it, validated and free of warnings."""
    from django.core.management import call_command

    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo data and factories hash many passwords; the strength of the hash is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle and lockout counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def run_all(items, attempt) -> tuple[Counter, float]:
    """A race: ``attempt(item)`` in one thread per item, all let go together, each on its own
    database connection (closed at the end). Returns the outcomes counted (what ``attempt``
    returns, ``error:<exception type>`` if it raises) and the seconds the race took."""
    barrier = threading.Barrier(len(items))
    outcomes = []
    lock = threading.Lock()

    def run(item):
        try:
            barrier.wait(timeout=60)
            outcome = attempt(item)
        except Exception as exc:  # an error is an outcome to count, not to hide
            outcome = f"error:{type(exc).__name__}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes), time.monotonic() - started


def code_or(done: str, action):
    """``action(item)`` as a racer's ``attempt`` for ``run_all``: ``done`` if it goes through, else
    the code of the ``DomainError`` it is refused with (any other error is ``run_all``'s to count)."""

    def attempt(item):
        try:
            action(item)
        except DomainError as exc:
            return exc.code
        return done

    return attempt


def unlocked_give_number(model, prefix: str):
    """The control of a numbering race: a ``_give_number`` that does the same read-then-write on
    ``model`` as the service's, but without the owner's row lock and with a pause that lets the
    other racers read too. Its keyword arguments are the service's: ``year`` and the owner
    (``centre=`` or ``issuer=``); numbers read ``{prefix}〔{year}〕第0001号``."""

    def give_number(record, *, year, **owner):
        last = model.objects.filter(number_year=year, **owner).aggregate(last=Max("number_sequence"))["last"]
        time.sleep(0.2)
        record.number_year, record.number_sequence = year, (last or 0) + 1
        record.number = f"{prefix}〔{year}〕第{record.number_sequence:04d}号"

    return give_number


# --- markers -----------------------------------------------------------------------------------
# ``postgres``, ``sqlite`` and ``redis`` (registered in pyproject.toml) say what a test needs; the
# hook below skips it with the reason where that is missing. ``@pytest.mark.postgres("why")`` gives
# the reason itself. ``slow`` is added here to every test on a transactional database
# (``django_db(transaction=True)``); races, demo loads and the report cross-check carry it by hand.
# ``make test-fast`` (``-m "not slow and not browser"``) leaves them out; ``make test`` runs all.

NEEDS = {
    "postgres": (lambda: connection.vendor == "postgresql", "needs PostgreSQL"),
    "sqlite": (lambda: connection.vendor == "sqlite", "needs SQLite"),
    "redis": (lambda: bool(os.environ.get("REDIS_URL")), "needs REDIS_URL"),
}


def _reason(marker, default: str) -> str:
    return marker.kwargs.get("reason") or (marker.args[0] if marker.args else default)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        for name, (present, default) in NEEDS.items():
            marker = item.get_closest_marker(name)
            if marker is not None and not present():
                item.add_marker(pytest.mark.skip(reason=_reason(marker, default)))
        db = item.get_closest_marker("django_db")
        transactional = (db is not None and db.kwargs.get("transaction")) or "transactional_db" in item.fixturenames
        if transactional and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)
