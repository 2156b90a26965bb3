from django.urls import re_path
from rest_framework.routers import SimpleRouter

from marketplace.applications.api.caseload import CaseCapView
from marketplace.applications.api.views import ApplicationViewSet, FirmAssignmentViewSet

router = SimpleRouter(trailing_slash=True)
router.register("applications", ApplicationViewSet, basename="application")
router.register("firm-assignments", FirmAssignmentViewSet, basename="firm-assignment")

urlpatterns = [
    *router.urls,
    re_path(r"^centres/(?P<centre_id>[0-9]+)/case-cap/$", CaseCapView.as_view(), name="centre-case-cap"),
]
