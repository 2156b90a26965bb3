"""One case from assignment to accepted closing: exactly one case credited, to the lead handler,
with its subsidy line, in the acceptance's transaction. Runs on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.models import DutyEntry, EntryKind
from duties.subsidies.models import SubsidyLine
from marketplace.cases.models import ClosingReport, Evaluation
from marketplace.cases.selectors import quality_grades_for
from marketplace.models import Claim, ClaimStatus, TaskStatus
from tests.factories import CaseFactory


@pytest.mark.django_db(transaction=True)
def test_a_case_from_assignment_to_accepted_closing_credits_one_case_to_the_lead_handler(
    api_as,
    upload,
    legal_aid_center,
    coordinator,
    second_coordinator,
    provider,
    provider_volunteer,
    assistant,
    assistant_volunteer,
):
    centre = api_as(coordinator)
    task = CaseFactory(organization=legal_aid_center, seats=2)
    # Assignment: the lead handler first, then an assistant.
    for volunteer in (provider_volunteer, assistant_volunteer):
        assert (
            centre.post(f"/api/v1/tasks/{task.pk}/assign/", {"volunteer": volunteer.pk}, format="json").status_code
            == 201
        )
    detail = centre.get(f"/api/v1/tasks/{task.pk}/").json()
    assert detail["handler"] == provider_volunteer.pk and detail["closing_due"] is None

    handler = api_as(provider)
    today = timezone.localdate()
    for kind, days_ago in (("met_client", 15), ("filed", 10), ("hearing", 5), ("judgment", 2)):
        response = handler.post(
            f"/api/v1/tasks/{task.pk}/milestones/",
            {"kind": kind, "date": (today - timedelta(days=days_ago)).isoformat(), "note": "进展"},
            format="json",
        )
        assert response.status_code == 201, response.content
    assert (
        centre.get(f"/api/v1/tasks/{task.pk}/").json()["closing_due"]
        == (today - timedelta(days=2) + timedelta(days=30)).isoformat()
    )
    # The aided person's report, recorded by the centre (Art. 46).
    report = centre.post(
        f"/api/v1/tasks/{task.pk}/milestones/", {"kind": "other", "date": today.isoformat(), "note": "受援人反馈满意"}
    )
    assert report.status_code == 201 and report.json()["source"] == "aided_person"

    document = upload(provider, task).json()["id"]
    filed = handler.post(
        f"/api/v1/tasks/{task.pk}/closing/",
        {"outcome": "supported", "summary": "仲裁裁决支持全部请求。", "documents": [document]},
        format="json",
    )
    assert filed.status_code == 201, filed.content
    assert centre.get(f"/api/v1/tasks/{task.pk}/").json()["status"] == TaskStatus.CLOSING_REVIEW

    # Returned once, filed again, then accepted by another coordinator.
    returned = centre.post(
        f"/api/v1/tasks/{task.pk}/closing/review/",
        {"accepted": False, "reasons": "缺少裁决书生效证明。"},
        format="json",
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert centre.get(f"/api/v1/tasks/{task.pk}/").json()["status"] == TaskStatus.FILLED
    second = upload(provider, task, name="生效证明.png", content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 16).json()["id"]
    refiled = handler.post(
        f"/api/v1/tasks/{task.pk}/closing/",
        {"outcome": "supported", "summary": "补充生效证明。", "documents": [document, second]},
        format="json",
    )
    assert refiled.status_code == 201, refiled.content

    accepted = api_as(second_coordinator).post(
        f"/api/v1/tasks/{task.pk}/closing/review/", {"accepted": True, "quality": "good"}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["review"]["quality"] == "good"

    entries = DutyEntry.objects.filter(kind=EntryKind.CASE)
    assert entries.count() == 1
    assert entries.get().volunteer_id == provider_volunteer.pk and entries.get().cases == 1
    lines = SubsidyLine.objects.all()
    assert [(line.task_id, line.volunteer_id, line.kind, line.amount, line.status) for line in lines] == [
        (task.pk, provider_volunteer.pk, "case", None, "unpriced")
    ]
    assert set(Claim.objects.filter(task=task).values_list("status", flat=True)) == {ClaimStatus.COMPLETED}
    assert centre.get(f"/api/v1/tasks/{task.pk}/").json()["status"] == TaskStatus.COMPLETED
    assert ClosingReport.objects.filter(task=task).count() == 2
    assert [g.grade for g in quality_grades_for(provider_volunteer, today.year)] == ["good"]
    assert Evaluation.objects.filter(volunteer=assistant_volunteer).count() == 0

    # Nothing more can credit it: a second review is 409, completing is 409.
    again = centre.post(
        f"/api/v1/tasks/{task.pk}/closing/review/", {"accepted": True, "quality": "good"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "closing_not_in_review"
    assert centre.post(f"/api/v1/tasks/{task.pk}/complete/").status_code == 409
    assert DutyEntry.objects.filter(kind=EntryKind.CASE).count() == 1
    assert SubsidyLine.objects.count() == 1
