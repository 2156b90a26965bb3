"""Reads about regions and organisations. Who holds which role where is ``organizations.roles``."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from organizations.models import Organization, Region


def region_contains(outer: Region, inner: Region) -> bool:
    """``inner`` is ``outer`` or a region under it."""
    return inner.path.startswith(outer.path)


def within_region(region: Region, *, field: str = "region") -> Q:
    """``field`` (a foreign key to Region) is ``region`` or a region under it: one indexed prefix
    match on ``Region.path``."""
    return Q(**{f"{field}__path__startswith": region.path})


def within_regions(regions, *, field: str | None = "region") -> Q:
    """``field`` (a foreign key to Region; None: the region itself) lies in one of ``regions`` or
    under it; matches nothing when there are none."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    condition = Q(pk__in=[])
    for region in regions:
        condition |= Q(**{lookup: region.path})
    return condition


def within_region_code(qs: QuerySet, code: str, *, field: str = "region") -> QuerySet:
    """``qs`` narrowed to the region ``code`` and everything under it; an unknown code matches
    nothing (the API filters' ``?region=``)."""
    region = Region.objects.filter(code=code).first()
    return qs.none() if region is None else qs.filter(within_region(region, field=field))


def organizations_visible_to(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Organisations are public: their names, kinds and regions are on every task."""
    return Organization.objects.select_related("region")


def regions_visible_to(user: User | AnonymousUser) -> QuerySet[Region]:
    """Regions are public: every organisation, provider and task names one."""
    return Region.objects.all()
