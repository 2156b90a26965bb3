"""The provider's secret calendar link: held shifts, sessions and hearings as iCalendar, a new link
revokes the old, and any other token is a plain 404."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from marketplace.cases.models import Milestone
from marketplace.models import ClaimStatus, TaskKind
from tests.factories import AidTaskFactory, ClaimFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _feed_path(url: str) -> str:
    return url[url.index("/calendar/") :]


@pytest.fixture
def schedule(provider_volunteer, provider, legal_aid_center):
    shift = AidTaskFactory(organization=legal_aid_center, kind=TaskKind.DUTY_SHIFT, title="看守所值班")
    ClaimFactory(task=shift, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    case = AidTaskFactory(organization=legal_aid_center, kind=TaskKind.CIVIL_REPRESENTATION, title="欠薪诉讼")
    ClaimFactory(task=case, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    Milestone.objects.create(
        task=case,
        kind="hearing",
        date=date(2026, 12, 3),
        source="handler",
        recorded_by=provider,
        recorded_at=timezone.now(),
    )
    requested = AidTaskFactory(organization=legal_aid_center, title="只是申请的咨询")
    ClaimFactory(task=requested, volunteer=provider_volunteer, status=ClaimStatus.REQUESTED)
    return shift, case


def test_the_provider_imports_shifts_sessions_and_hearings(api_as, provider, schedule):
    shift, case = schedule
    me = api_as(provider).get("/api/v1/me/").json()
    assert me["calendar_url"].startswith("http") and "/calendar/" in me["calendar_url"]
    response = api_as(None).get(_feed_path(me["calendar_url"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"task-{shift.pk}@legalaid.calendar", f"task-{case.pk}@legalaid.calendar"} | {
        uid for uid in events if uid.startswith("hearing-")
    }
    assert len(events) == 3
    start = events[f"task-{shift.pk}@legalaid.calendar"].decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert start == shift.starts_at.replace(microsecond=0)
    hearing = next(e for uid, e in events.items() if uid.startswith("hearing-"))
    assert hearing.decoded("dtstart") == date(2026, 12, 3)
    assert "欠薪诉讼" in str(hearing["summary"])
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    # The same link again: stable until reset.
    assert api_as(provider).get("/api/v1/me/").json()["calendar_url"] == me["calendar_url"]


def test_a_reset_revokes_the_old_link(api_as, provider, schedule):
    old = api_as(provider).get("/api/v1/me/").json()["calendar_url"]
    response = api_as(provider).post("/api/v1/me/calendar/reset/")
    assert response.status_code == 200
    new = response.json()["calendar_url"]
    assert new != old
    assert api_as(provider).get("/api/v1/me/").json()["calendar_url"] == new
    assert api_as(None).get(_feed_path(new)).status_code == 200
    gone = api_as(None).get(_feed_path(old))
    assert gone.status_code == 404
    assert b"BEGIN:VCALENDAR" not in gone.content


@pytest.mark.parametrize(
    "token",
    [
        "0" * 32 + ".forged",
        "not-a-token",
        "a" * 500,
        "",
    ],
)
def test_a_guessed_token_is_a_plain_404(api_as, provider, schedule, token):
    api_as(provider).get("/api/v1/me/")  # a real link exists
    response = api_as(None).get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert b"VCALENDAR" not in response.content


def test_a_signed_token_of_a_replaced_nonce_is_404(provider_volunteer):
    from volunteers.calendar import calendar_token, reset_calendar_token, volunteer_for_calendar_token

    first = calendar_token(provider_volunteer)
    assert volunteer_for_calendar_token(first) == provider_volunteer
    assert len(provider_volunteer.calendar_nonce) == 32  # 128 bits, hex
    reset_calendar_token(provider_volunteer)
    assert volunteer_for_calendar_token(first) is None


def test_others_have_no_link_and_cannot_reset(api_as, coordinator):
    assert api_as(coordinator).get("/api/v1/me/").json()["calendar_url"] is None
    response = api_as(coordinator).post("/api/v1/me/calendar/reset/")
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code"}


def test_a_cancelled_task_or_another_providers_task_stays_out(api_as, provider, provider_volunteer, schedule):
    other_org = OrganizationFactory()
    theirs = AidTaskFactory(organization=other_org, title="别人的值班")
    ClaimFactory(task=theirs, status=ClaimStatus.ACCEPTED)
    url = api_as(provider).get("/api/v1/me/").json()["calendar_url"]
    body = api_as(None).get(_feed_path(url)).content.decode()
    assert "别人的值班" not in body and "只是申请的咨询" not in body
    past = AidTaskFactory(starts_at=timezone.now() - timedelta(days=400))
    ClaimFactory(task=past, volunteer=provider_volunteer, status=ClaimStatus.COMPLETED)
    assert past.title not in api_as(None).get(_feed_path(url)).content.decode()


def test_my_tasks_shows_the_link_and_resets_it(client_as, provider, provider_volunteer):
    client = client_as(provider)
    page = client.get("/provider/tasks/").content.decode()
    old = f"/calendar/{type(provider_volunteer).objects.get(pk=provider_volunteer.pk).calendar_token()}.ics"
    assert old in page and 'id="calendar-url"' in page and "readonly" in page
    response = client.post("/provider/calendar/reset/")
    assert response.status_code == 302
    page = client.get("/provider/tasks/").content.decode()
    assert old not in page
    assert client_as(None).get(old).status_code == 404


def test_the_reset_button_is_post_only(client_as, provider):
    assert client_as(provider).get("/provider/calendar/reset/").status_code == 405
