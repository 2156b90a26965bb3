from rest_framework.routers import SimpleRouter

from marketplace.applications.api.views import ApplicationViewSet

router = SimpleRouter(trailing_slash=True)
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = router.urls
