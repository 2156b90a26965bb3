from rest_framework.routers import SimpleRouter

from marketplace.api.views import ClaimViewSet, DeclinedAssignmentViewSet, TaskViewSet

router = SimpleRouter(trailing_slash=True)
router.register("tasks", TaskViewSet, basename="task")
router.register("claims", ClaimViewSet, basename="claim")
router.register("assignments/declined", DeclinedAssignmentViewSet, basename="declined-assignment")

urlpatterns = router.urls
