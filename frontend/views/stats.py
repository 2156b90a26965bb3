"""The public statistics page ``/stats/`` (Legal Aid Law Art. 58): the figures of
``duties.stats.public_stats``, the same the API gives, as charts and tables. Anyone may read it."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from duties.stats import (
    FIRST_YEAR,
    StatsRegionNotFound,
    StatsYearInvalid,
    public_stats,
    stats_region,
    stats_regions,
    stats_year,
)
from frontend.charts import count_bars


@require_GET
def public_statistics(request):
    try:
        year = stats_year(request.GET.get("year"))
    except StatsYearInvalid:
        context = {
            "detail": _("Choose a year from the list."),
            "code": "invalid_year",
            "back_url": reverse("public-stats"),
        }
        return render(request, "frontend/refused.html", context, status=400)
    try:
        region = stats_region(request.GET.get("region"))
    except StatsRegionNotFound:
        raise Http404 from None
    stats = public_stats(year=year, region=region)
    this_year = timezone.localdate().year
    context = {
        "stats": stats,
        "years": list(range(this_year, FIRST_YEAR - 1, -1)),
        "regions": stats_regions(),
        "region": region,
        "kind_chart": count_bars(stats.cases_by_kind),
        "group_chart": count_bars(stats.cases_by_group),
        "district_chart": count_bars(stats.cases_by_district),
        "station_chart": count_bars(stats.station_intake),
    }
    return render(request, "frontend/stats.html", context)
