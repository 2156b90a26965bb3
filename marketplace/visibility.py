"""Who sees which rows: one rule for the "*_visible_to" selectors of every app."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, Q, QuerySet

from organizations.roles import roles_of


def visible(user: User | AnonymousUser, *, base: Q, coordinated: Iterable[str] = (), regulated: str | None = None) -> Q:
    """The rows matching ``base`` (what the caller sees in any case: its own rows, or the
    published ones), those whose organisation (each lookup of ``coordinated``, an organisation's
    id) the caller coordinates and, for regulators, those whose region (the lookup ``regulated``,
    a region's code) lies in their jurisdiction."""
    condition = base
    roles = roles_of(user)
    org_ids = roles.coordinated_ids
    if org_ids:
        for lookup in coordinated:
            condition |= Q(**{f"{lookup}__in": org_ids})
    if regulated and roles.is_regulator:
        condition |= Q(**{f"{regulated}__in": roles.jurisdiction_codes()})
    return condition


def visible_rows(
    model: type[Model],
    user: User | AnonymousUser,
    *,
    own: Q,
    coordinated: Iterable[str] = (),
    regulated: str | None = None,
) -> QuerySet:
    """The rows of ``model`` the caller sees (``visible``) when ``own`` are its own rows; nothing
    for an anonymous caller."""
    if not user.is_authenticated:
        return model.objects.none()
    return model.objects.filter(visible(user, base=own, coordinated=coordinated, regulated=regulated))
