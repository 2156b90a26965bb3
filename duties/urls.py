"""Public pages of the duties app (certificate verification)."""

from django.urls import path

from duties import views

urlpatterns = [
    path("verify/<str:code>/", views.verify_certificate, name="verify-certificate"),
]
