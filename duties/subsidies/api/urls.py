from rest_framework.routers import SimpleRouter

from duties.subsidies.api import views

router = SimpleRouter(trailing_slash=True)
router.register("subsidy-schedules", views.SubsidyScheduleViewSet, basename="subsidyschedule")
router.register("subsidies", views.SubsidyLineViewSet, basename="subsidyline")
router.register("subsidy-batches", views.SubsidyBatchViewSet, basename="subsidybatch")

urlpatterns = router.urls
