from django.urls import path
from rest_framework.routers import SimpleRouter

from duties.notices.api.views import FailedJobViewSet, NotificationViewSet, PreferencesView

router = SimpleRouter(trailing_slash=True)
router.register("notifications", NotificationViewSet, basename="notification")
router.register("failed-jobs", FailedJobViewSet, basename="failed-job")

urlpatterns = [
    path("notification-preferences/", PreferencesView.as_view(), name="notification-preferences"),
    *router.urls,
]
