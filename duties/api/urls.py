from django.urls import path
from rest_framework.routers import SimpleRouter

from duties.api import views

router = SimpleRouter(trailing_slash=True)
router.register("hours", views.HourLogViewSet, basename="hourlog")
router.register("ledger", views.LedgerViewSet, basename="dutyentry")
router.register("duty-rules", views.DutyRuleViewSet, basename="dutyrule")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = [
    path("claims/<int:claim_id>/hours/", views.ClaimHoursView.as_view(), name="claim-hours"),
    path("volunteers/<int:volunteer_id>/progress/", views.ProgressView.as_view(), name="volunteer-progress"),
    path("reports/compliance/", views.ComplianceReportView.as_view(), name="compliance-report"),
    *router.urls,
]
