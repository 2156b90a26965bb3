from django.urls import path, register_converter
from rest_framework.routers import SimpleRouter

from duties.api import views
from duties.api.inspection import InspectionReportView
from duties.api.law_firms import FirmProgressView
from duties.api.service_records import ServiceRecordView


class IdConverter:
    """Like ``<int:>``, but at most 15 digits: longer numbers are no id of ours (404, not 500)."""

    regex = "[0-9]{1,15}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "duties_id")

router = SimpleRouter(trailing_slash=True)
router.register("hours", views.HourLogViewSet, basename="hourlog")
router.register("ledger", views.LedgerViewSet, basename="dutyentry")
router.register("duty-rules", views.DutyRuleViewSet, basename="dutyrule")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = [
    path("claims/<duties_id:claim_id>/hours/", views.ClaimHoursView.as_view(), name="claim-hours"),
    path("volunteers/<duties_id:volunteer_id>/progress/", views.ProgressView.as_view(), name="volunteer-progress"),
    path("law-firms/<duties_id:firm_id>/progress/", FirmProgressView.as_view(), name="law-firm-progress"),
    path(
        "volunteers/<duties_id:volunteer_id>/service-record/",
        ServiceRecordView.as_view(),
        name="volunteer-service-record",
    ),
    path("reports/compliance/", views.ComplianceReportView.as_view(), name="compliance-report"),
    path("reports/inspection/", InspectionReportView.as_view(), name="inspection-report"),
    *router.urls,
]
