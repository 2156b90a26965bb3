"""What list pages repeat for every row, made cheap: choice labels and the board's cards.

Measured on the bench's board (tests/bench, docs/bench.md): ``get_<field>_display`` rebuilds the
field's choices and translates every one of their labels on each call (about 10 translations per
label shown), and a card rendered through ``{% include %}`` cost ~1.5 ms, most of the page.
"""

import contextlib
import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template import Context
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

CARD_TEMPLATE = "frontend/partials/task_card.html"
_LABELS: dict[tuple, dict] = {}


def choice_labels(field) -> dict:
    """A model field's choices, value -> label in the active language (built once per language)."""
    key = (field.model, field.name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    return labels


@register.filter
def display(obj, field_name: str):
    """``{{ task|display:"status" }}``: what ``task.get_status_display`` shows, without its cost."""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field.attname)
    return choice_labels(field).get(value, value)


def card_key(task, source_digest: str) -> str:
    """Everything a card shows, so a cached card is never stale: a claim (seats), an edit, a new
    status, a renamed organisation or region, another language or time zone, another template
    each make another key. Nothing of the viewer is part of a card (it is rendered without the
    request), so one card serves everyone."""
    shown = (
        task.pk,
        task.updated_at,
        task.title,
        task.organization.name,
        task.region.name,
        task.is_remote,
        task.kind,
        task.category,
        task.beneficiary_group,
        task.starts_at,
        task.ends_at,
        task.estimated_hours,
        task.seats,
        task.seats_taken,
        task.status,
        get_language(),
        timezone.get_current_timezone_name(),
        source_digest,
    )
    return "task-card:" + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


@register.simple_tag(takes_context=True)
def task_cards(context, tasks):
    """The board's cards, ``<li>`` each, from the cache when the same task was shown as it is now
    (``BOARD_CARD_CACHE_SECONDS``; 0 renders every card). One cache round trip for the page."""
    card = context.template.engine.get_template(CARD_TEMPLATE)
    seconds = settings.BOARD_CARD_CACHE_SECONDS
    tasks = list(tasks)
    keys = []
    cached = {}
    if seconds:
        digest = hashlib.blake2b(card.source.encode(), digest_size=8).hexdigest()
        keys = [card_key(task, digest) for task in tasks]
        cached = cache.get_many(keys)
    fresh = {}
    items = []
    for i, task in enumerate(tasks):
        html = cached.get(keys[i]) if seconds else None
        if html is None:
            # A context of its own: the card cannot read the viewer, so sharing it is safe.
            html = card.render(Context({"task": task}, autoescape=context.autoescape))
            if seconds:
                fresh[keys[i]] = str(html)
        items.append(f"<li>{html}</li>")
    if fresh:
        cache.set_many(fresh, seconds)
    return mark_safe("".join(items))  # noqa: S308 (rendered, escaped card templates)


FILTERS_TEMPLATE = "frontend/partials/board_filters.html"
REGIONS_VERSION_KEY = "board-filters:regions-version"


@register.simple_tag(takes_context=True)
def board_filters(context):
    """The board's filter form, from the cache when it was shown with the same values, to a
    provider or not, in the same language (``BOARD_CARD_CACHE_SECONDS``): rendering its eight
    fields and ~100 region options was the page's largest cost after the cards. A region list
    that changes bumps ``REGIONS_VERSION_KEY`` (frontend.apps), which is part of the key."""
    form, is_provider = context["form"], bool(context.get("is_provider"))
    template = context.template.engine.get_template(FILTERS_TEMPLATE)
    seconds = settings.BOARD_CARD_CACHE_SECONDS
    key = None
    if seconds:
        shown = (
            sorted((name, form.data.getlist(name)) for name in form.fields if name in form.data),
            is_provider,
            get_language(),
            cache.get_or_set(REGIONS_VERSION_KEY, 0, None),
            hashlib.blake2b(template.source.encode(), digest_size=8).hexdigest(),
        )
        key = "board-filters:" + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # noqa: S308 (a rendered, escaped template)
    html = template.render(Context({"form": form, "is_provider": is_provider}, autoescape=context.autoescape))
    if key:
        cache.set(key, str(html), seconds)
    return html


def regions_changed(**kwargs) -> None:
    """A region was added, renamed or removed: the cached filter forms list the old regions."""
    with contextlib.suppress(ValueError):  # not set yet: nothing cached depends on it
        cache.incr(REGIONS_VERSION_KEY)
