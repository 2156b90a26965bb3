from rest_framework.routers import SimpleRouter

from marketplace.evidence.api.views import EvidenceRequestViewSet

router = SimpleRouter(trailing_slash=True)
router.register("evidence-requests", EvidenceRequestViewSet, basename="evidence-request")

urlpatterns = router.urls
