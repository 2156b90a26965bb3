"""The pages' query parameters: one reading, one answer to a bad value.

A page never fails on its address. A value that is not valid (not a number, out of range, not one
of the choices) is replaced by the page's default and a message says which value was ignored; the
person sees the page they would have seen without it. Bounds match the API's serializers, so a
number a page accepts fits the database (a 32-bit integer column on PostgreSQL).
"""

from collections.abc import Iterable

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from marketplace.core.ids import parse_id

# The years the API and the forms accept (duties.api.serializers, frontend.forms.YearRegionForm).
YEAR_MIN, YEAR_MAX = 2000, 2100
# No list of these pages has more pages than this; a larger page number is an invalid one.
MAX_PAGE = 1_000_000


def ignore_invalid(request, name: str, value: str) -> None:
    """Tell the person that ``name=value`` in the address was not understood and was ignored."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    message = _("“%(value)s” is not a valid %(name)s; it was ignored.") % {"value": shown, "name": name}
    messages.warning(request, message)


def _int_within(raw: str, min_value: int, max_value: int) -> int | None:
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if min_value <= value <= max_value else None


def query_int(request, name: str, *, default: int, min_value: int, max_value: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    value = _int_within(raw.strip(), min_value, max_value)
    if value is None:
        ignore_invalid(request, name, raw)
        return default
    return value


def query_year(request, *, default: int) -> int:
    return query_int(request, "year", default=default, min_value=YEAR_MIN, max_value=YEAR_MAX)


def query_recent_year(request, *, recent: int = 5) -> tuple[int, list[int]]:
    """The year a duty page is about (this year unless ``year`` says otherwise) and the last
    ``recent`` years to choose from, this year first."""
    this_year = timezone.localdate().year
    return query_year(request, default=this_year), list(range(this_year, this_year - recent, -1))


def query_choice(request, name: str, choices: Iterable[str], *, default: str = "") -> str:
    """One of ``choices``; absent or empty (unless ``""`` is a choice), ``default``."""
    raw = request.GET.get(name)
    if raw is None:
        return default
    if raw in choices:
        return raw
    if raw != "":
        ignore_invalid(request, name, raw)
    return default


def query_page(request, items, per_page: int, *, count_cap: int | None = None) -> Page:
    """The page of ``items`` the address asks for; past the last page, the last page. With
    ``count_cap``, the rows are counted only up to it (``CappedPaginator``)."""
    number = query_int(request, "page", default=1, min_value=1, max_value=MAX_PAGE)
    paginator = Paginator(items, per_page) if count_cap is None else CappedPaginator(items, per_page, cap=count_cap)
    return paginator.get_page(number)


def first_and_count(items: QuerySet, limit: int) -> tuple[list, int]:
    """The first ``limit`` of ``items`` and how many there are in all (counted only when the
    first ``limit`` do not hold them all): a list shown whole up to a cap, its heading truthful."""
    first = list(items[:limit])
    return first, len(first) if len(first) < limit else items.count()


def posted_ids(request, name: str = "ids") -> list[int]:
    """The ids a form sent (checkboxes); a value that cannot be an id is ignored, and said so."""
    ids = []
    for raw in request.POST.getlist(name):
        value = parse_id(raw.strip())
        if value is None:
            ignore_invalid(request, name, raw)
        else:
            ids.append(value)
    return ids


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``), so a list
    of a province's open tasks is not walked row by row for a figure nobody pages through; past
    the cap ``capped`` is true and the page says "more than ``cap``". Pages past the cap still
    list their rows (up to the page after the cap: narrow the filters to see more)."""

    def __init__(self, object_list, per_page, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number) -> Page:
        """As ``Paginator.page``, except that past the cap the last page is not cut at the count."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)
