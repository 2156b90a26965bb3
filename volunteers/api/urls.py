from rest_framework.routers import SimpleRouter

from volunteers.api import views

router = SimpleRouter(trailing_slash=True)
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")

urlpatterns = router.urls
