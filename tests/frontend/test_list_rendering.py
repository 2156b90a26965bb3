"""List pages render each row cheaply and truthfully: choice labels once per language, the
board's cards from a cache keyed by everything a card shows, never by the viewer."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from duties.models import AnnualReview
from frontend.templatetags.rows import display
from marketplace.models import AidTask, ClaimStatus, TaskKind, TaskStatus
from organizations.models import Organization
from tests.factories import AidTaskFactory, ClaimFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

CARD = "frontend/partials/task_card.html"


def _card(body: str, task_id: int) -> str:
    match = re.search(rf'<article class="card" data-task-id="{task_id}">.*?</article>', body, re.S)
    assert match, f"no card for task {task_id}"
    return match.group(0)


def _rendered(response) -> list[str]:
    return [t.name for t in response.templates]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "model,field",
    [(AidTask, "kind"), (AidTask, "status"), (AidTask, "category"), (Volunteer, "kind"), (AnnualReview, "status")],
)
def test_display_shows_what_get_display_shows_for_every_choice(model, field, language):
    with translation.override(language):
        for value, _ in model._meta.get_field(field).flatchoices:
            obj = model(**{field: value})
            assert display(obj, field) == getattr(obj, f"get_{field}_display")()
        assert display(model(**{field: "not-a-choice"}), field) == "not-a-choice"


def test_display_follows_the_language():
    task = AidTask(kind=TaskKind.CONSULTATION)
    with translation.override("en"):
        english = display(task, "kind")
    with translation.override("zh-hans"):
        chinese = display(task, "kind")
    assert english != chinese


def test_a_second_visit_takes_the_cards_from_the_cache_with_the_same_markup(client_as, legal_aid_center):
    cache.clear()
    AidTaskFactory.create_batch(3, organization=legal_aid_center)
    client = client_as(None)
    first = client.get("/")
    second = client.get("/")
    assert _rendered(first).count(CARD) == 3
    assert CARD not in _rendered(second)
    results = re.compile(rb'<section id="board-results".*?</section>', re.S)
    assert results.search(second.content).group(0) == results.search(first.content).group(0)


@override_settings(BOARD_CARD_CACHE_SECONDS=0)
def test_without_the_cache_every_visit_renders_every_card(client_as, legal_aid_center):
    AidTaskFactory.create_batch(2, organization=legal_aid_center)
    client = client_as(None)
    client.get("/")
    assert _rendered(client.get("/")).count(CARD) == 2


def test_a_claim_shows_at_once_on_the_cached_card(client_as, legal_aid_center):
    cache.clear()
    task = AidTaskFactory(organization=legal_aid_center, seats=3)
    client = client_as(None)
    assert f'data-seats-for="{task.pk}">3</span>' in _card(client.get("/").content.decode(), task.pk)
    # Written the way the claim service writes it: one UPDATE of the seats and the status.
    AidTask.objects.filter(pk=task.pk).update(seats_taken=1)
    assert f'data-seats-for="{task.pk}">2</span>' in _card(client.get("/").content.decode(), task.pk)
    AidTask.objects.filter(pk=task.pk).update(seats_taken=3, status=TaskStatus.FILLED)
    card = _card(client.get("/", {"has_seats": "false"}).content.decode(), task.pk)
    assert f'data-seats-for="{task.pk}">0</span>' in card
    assert "status-filled" in card


def test_a_renamed_organisation_shows_on_the_cached_card(client_as, legal_aid_center):
    """The task row does not change when its organisation is renamed: the key still does."""
    cache.clear()
    task = AidTaskFactory(organization=legal_aid_center)
    client = client_as(None)
    client.get("/")
    Organization.objects.filter(pk=legal_aid_center.pk).update(name="改名后的法律援助中心")
    assert "改名后的法律援助中心" in _card(client.get("/").content.decode(), task.pk)


def test_a_card_is_the_same_for_every_viewer_and_in_each_language(
    client_as, legal_aid_center, provider, provider_volunteer
):
    """A card holds nothing of the viewer: the provider who claimed the task sees the card the
    anonymous visitor sees (their claim shows on the task's own page), in their language."""
    cache.clear()
    task = AidTaskFactory(organization=legal_aid_center, seats=2)
    ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    AidTask.objects.filter(pk=task.pk).update(seats_taken=1)
    mine = _card(client_as(provider).get("/").content.decode(), task.pk)
    anyone = _card(client_as(None).get("/").content.decode(), task.pk)
    assert mine == anyone
    chinese = _card(client_as(None, language="zh-hans").get("/").content.decode(), task.pk)
    assert chinese != anyone
    assert "Consultation" not in chinese


@pytest.mark.parametrize("n", [10, 100])
def test_the_board_costs_the_same_queries_for_ten_tasks_as_for_a_hundred(
    client_as, legal_aid_center, n, django_assert_max_num_queries
):
    AidTaskFactory.create_batch(n, organization=legal_aid_center)
    client = client_as(None)
    client.get("/")
    # The count, the page of tasks with their organisations and regions, the region list.
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200


def _filters(body: str) -> str:
    return re.search(r'<form id="board-filters".*?</form>', body, re.S).group(0)


def test_the_cached_filter_form_keeps_each_visitors_choices(client_as, legal_aid_center):
    cache.clear()
    client = client_as(None)
    plain = _filters(client.get("/").content.decode())
    family = _filters(client.get("/", {"category": "family"}).content.decode())
    assert '<option value="family" selected>' in family
    assert '<option value="family" selected>' not in plain
    assert _filters(client.get("/").content.decode()) == plain


def test_a_renamed_region_shows_in_the_cached_filter_form(client_as, regions):
    cache.clear()
    client = client_as(None)
    client.get("/")
    region = regions["tianning"]
    region.name = "新天宁区"
    region.save()
    assert "新天宁区" in _filters(client.get("/").content.decode())


def test_the_filter_form_of_a_provider_offers_only_tasks_i_can_claim(client_as, provider):
    cache.clear()
    assert 'name="eligible"' not in _filters(client_as(None).get("/").content.decode())
    assert 'name="eligible"' in _filters(client_as(provider).get("/").content.decode())
