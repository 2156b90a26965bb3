from django.urls import path

from marketplace.cases.api import views

ID = "<int:pk>"

urlpatterns = [
    path(f"tasks/{ID}/milestones/", views.MilestonesView.as_view(), name="api-case-milestones"),
    path(f"tasks/{ID}/documents/", views.DocumentsView.as_view(), name="api-case-documents"),
    path(f"documents/{ID}/", views.DocumentDownloadView.as_view(), name="api-case-document"),
    path(f"tasks/{ID}/closing/", views.ClosingView.as_view(), name="api-case-closing"),
    path(f"tasks/{ID}/closing/review/", views.ClosingReviewView.as_view(), name="api-case-closing-review"),
    path(f"tasks/{ID}/terminate/", views.TerminateView.as_view(), name="api-case-terminate"),
    path(f"tasks/{ID}/evaluations/", views.EvaluationsView.as_view(), name="api-case-evaluations"),
]
