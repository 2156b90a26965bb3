from django.urls import path
from rest_framework.routers import SimpleRouter

from organizations.api import views

router = SimpleRouter(trailing_slash=True)
router.register("regions", views.RegionViewSet, basename="region")
router.register("organizations", views.OrganizationViewSet, basename="organization")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    *router.urls,
]
