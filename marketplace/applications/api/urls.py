from rest_framework.routers import SimpleRouter

from marketplace.applications.api.views import ApplicationViewSet, FirmAssignmentViewSet

router = SimpleRouter(trailing_slash=True)
router.register("applications", ApplicationViewSet, basename="application")
router.register("firm-assignments", FirmAssignmentViewSet, basename="firm-assignment")

urlpatterns = router.urls
