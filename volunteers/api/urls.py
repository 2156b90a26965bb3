from django.urls import path
from rest_framework.routers import SimpleRouter

from volunteers.api import views
from volunteers.api.calendar import CalendarResetView

router = SimpleRouter(trailing_slash=True)
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")

urlpatterns = [
    path("me/calendar/reset/", CalendarResetView.as_view(), name="me-calendar-reset"),
    *router.urls,
]
