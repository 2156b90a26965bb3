from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace.calendar import calendar_feed
from marketplace.views import healthz

api_v1 = [
    path("", include("organizations.api.urls")),
    path("", include("volunteers.api.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("marketplace.applications.api.urls")),
    path("", include("marketplace.cases.api.urls")),
    path("", include("marketplace.evidence.api.urls")),
    path("", include("marketplace.rosters.api.urls")),
    path("", include("duties.api.urls")),
    path("", include("duties.complaints.api.urls")),
    path("", include("duties.subsidies.api.urls")),
    path("", include("duties.notices.api.urls")),
    path("", include("duties.api.stats")),
    path("", include("marketplace.core.api.jobs")),
    path("", include("duties.api.jobs")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's assets are vendored (sidecar) and its script is served separately, so the
    # strict CSP holds; its widgets set inline styles, allowed on this page only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("duties.urls")),
    path("", include("frontend.urls")),
    path("", include("frontend.subsidy_urls")),
    path("", include("frontend.job_urls")),
    path("", include("frontend.roster_urls")),
]
