from django.urls import re_path
from rest_framework.routers import SimpleRouter

from duties.complaints.api.views import ComplaintLookupView, ComplaintViewSet

router = SimpleRouter(trailing_slash=True)
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = [
    *router.urls,
    # After the router's addresses: ids (digits) are the bureau's (/complaints/{id}/resolve/),
    # anything else one level down is a tracking code.
    re_path(r"^complaints/(?P<code>[^/]+)/$", ComplaintLookupView.as_view(), name="api-complaint-track"),
]
