"""Pages of the case subsidies (办案补贴): the centre's lines and batches, the bureau's schedules."""

from django.urls import path

from frontend.views import subsidies

urlpatterns = [
    path("subsidies/", subsidies.lines, name="subsidies"),
    path("subsidies/schedules/", subsidies.schedules, name="subsidy-schedules"),
    path("subsidies/batches/<int:batch_id>/paid/", subsidies.batch_paid, name="subsidy-batch-paid"),
    path("subsidies/lines/<int:line_id>/reprice/", subsidies.line_reprice, name="subsidy-line-reprice"),
]
