"""The background jobs' pages (frontend/views/jobs.py)."""

from django.urls import path

from frontend.views import jobs

urlpatterns = [
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/start/<str:kind>/", jobs.job_start, name="job-start"),
]
