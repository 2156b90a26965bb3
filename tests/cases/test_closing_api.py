"""POST/GET /api/v1/tasks/{id}/closing/ (the handler files) and .../closing/review/ (the centre)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.models import DutyEntry
from duties.subsidies.models import SubsidyLine
from marketplace.cases.models import ClosingReport, ClosingReview, Evaluation
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus

pytestmark = pytest.mark.django_db


def url(task) -> str:
    return f"/api/v1/tasks/{task.pk}/closing/"


def review_url(task) -> str:
    return f"/api/v1/tasks/{task.pk}/closing/review/"


def body(document_ids, **changes) -> dict:
    return {
        "outcome": "settled",
        "summary": "经仲裁调解达成协议，用人单位当庭支付工资。",
        "documents": document_ids,
        **changes,
    }


def status_of(task) -> str:
    return AidTask.objects.get(pk=task.pk).status


# --- filing ----------------------------------------------------------------------------------


def test_the_handler_files_the_closing_and_the_case_goes_to_review(api_as, provider, case, filed_document):
    response = api_as(provider).post(url(case), body([filed_document]), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending" and data["documents"] == [filed_document] and data["review"] is None
    assert status_of(case) == TaskStatus.CLOSING_REVIEW


def test_the_closing_is_due_30_days_after_the_judgment_and_a_late_filing_is_marked(
    api_as, provider, case, filed_document
):
    judged = timezone.localdate() - timedelta(days=31)
    case.starts_at = timezone.now() - timedelta(days=60)
    case.save(update_fields=["starts_at"])
    api_as(provider).post(
        f"/api/v1/tasks/{case.pk}/milestones/", {"kind": "judgment", "date": judged.isoformat()}, format="json"
    )
    response = api_as(provider).post(url(case), body([filed_document]), format="json")

    assert response.status_code == 201
    assert response.json()["closing_due"] == (judged + timedelta(days=30)).isoformat()
    assert response.json()["filed_late"] is True


def test_a_closing_without_documents_is_400(api_as, provider, case):
    response = api_as(provider).post(url(case), body([]), format="json")

    assert response.status_code == 400 and response.json()["code"] == "required" and "documents" in response.json()
    assert ClosingReport.objects.count() == 0 and status_of(case) == TaskStatus.FILLED


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"outcome": "won"}, "outcome"), ({"summary": "  "}, "summary"), ({"summary": "x" * 4001}, "summary")],
)
def test_bad_input_is_400(api_as, provider, case, filed_document, changes, field):
    response = api_as(provider).post(url(case), body([filed_document], **changes), format="json")

    assert response.status_code == 400 and field in response.json()
    assert ClosingReport.objects.count() == 0


def test_a_document_of_another_case_is_400(
    api_as, upload, provider, coordinator, case, legal_aid_center, filed_document
):
    from marketplace import services as task_services
    from tests.factories import CaseFactory

    other = CaseFactory(organization=legal_aid_center, title="另一案件")
    task_services.task_assign(task=other, volunteer=case.claims.get().volunteer, by=coordinator)
    response = api_as(provider).post(url(other), body([filed_document]), format="json")

    assert response.status_code == 400 and response.json()["code"] == "not_this_case"
    assert ClosingReport.objects.count() == 0


def test_anonymous_is_401(api, case, filed_document):
    assert api.post(url(case), body([filed_document]), format="json").status_code == 401


@pytest.mark.parametrize("who", ["outsider", "other_regulator", "stranger"])
def test_other_organisations_get_404(request, api_as, case, filed_document, who):
    response = api_as(request.getfixturevalue(who)).post(url(case), body([filed_document]), format="json")

    assert response.status_code == 404
    assert ClosingReport.objects.count() == 0


@pytest.mark.parametrize("who", ["coordinator", "regulator"])
def test_only_the_lead_handler_files_403(request, api_as, case, filed_document, who):
    response = api_as(request.getfixturevalue(who)).post(url(case), body([filed_document]), format="json")

    assert response.status_code == 403 and response.json()["code"] == "not_handler"
    assert ClosingReport.objects.count() == 0 and status_of(case) == TaskStatus.FILLED


def test_an_assistant_cannot_file_403(api_as, upload, provider, assistant, case_with_assistant):
    document = upload(provider, case_with_assistant).json()["id"]
    response = api_as(assistant).post(url(case_with_assistant), body([document]), format="json")

    assert response.status_code == 403 and response.json()["code"] == "not_handler"


def test_filing_twice_is_409(api_as, provider, in_review, filed_document):
    response = api_as(provider).post(url(in_review), body([filed_document]), format="json")

    assert response.status_code == 409 and response.json()["code"] == "case_not_in_progress"
    assert ClosingReport.objects.count() == 1


def test_wrong_method_is_405(api_as, provider, case):
    assert api_as(provider).put(url(case), {}, format="json").status_code == 405


def test_the_reports_are_listed_to_the_file_readers(api_as, provider, coordinator, regulator, in_review):
    for user in (provider, coordinator, regulator):
        response = api_as(user).get(url(in_review))
        assert response.status_code == 200 and len(response.json()["results"]) == 1


# --- review ----------------------------------------------------------------------------------


def test_accepting_completes_the_case_and_credits_one_case_to_the_handler(
    api_as, coordinator, provider_volunteer, in_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_as(coordinator).post(review_url(in_review), {"accepted": True, "quality": "excellent"})

    assert response.status_code == 200, response.content
    assert response.json()["review"] == {
        "accepted": True,
        "reasons": "",
        "quality": "excellent",
        "reviewed_at": response.json()["review"]["reviewed_at"],
    }
    assert status_of(in_review) == TaskStatus.COMPLETED
    assert list(DutyEntry.objects.values_list("volunteer_id", "cases")) == [(provider_volunteer.pk, 1)]
    assert SubsidyLine.objects.get().volunteer_id == provider_volunteer.pk
    assert Evaluation.objects.get().grade == "excellent"
    assert Claim.objects.get(task=in_review).status == ClaimStatus.COMPLETED
    assert callbacks  # events go out after commit


def test_returning_sends_the_case_back_to_the_handler(api_as, coordinator, in_review):
    response = api_as(coordinator).post(review_url(in_review), {"accepted": False, "reasons": "缺少调解书。"})

    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert status_of(in_review) == TaskStatus.FILLED
    assert DutyEntry.objects.count() == 0 and SubsidyLine.objects.count() == 0


def assert_review_untouched(task):
    assert status_of(task) == TaskStatus.CLOSING_REVIEW
    assert ClosingReview.objects.count() == 0 and ClosingReport.objects.get(task=task).status == "pending"
    assert DutyEntry.objects.count() == 0 and SubsidyLine.objects.count() == 0 and Evaluation.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"accepted": True}, "quality"),
        ({"accepted": True, "quality": "superb"}, "quality"),
        ({"accepted": False}, "reasons"),
        ({"quality": "good"}, "accepted"),
    ],
)
def test_bad_review_input_is_400(api_as, coordinator, in_review, data, field):
    response = api_as(coordinator).post(review_url(in_review), data, format="json")

    assert response.status_code == 400 and field in response.json()
    assert_review_untouched(in_review)


def test_anonymous_review_is_401(api, in_review):
    assert api.post(review_url(in_review), {"accepted": True, "quality": "good"}).status_code == 401
    assert_review_untouched(in_review)


@pytest.mark.parametrize("who", ["outsider", "other_regulator", "stranger"])
def test_other_organisations_review_404(request, api_as, in_review, who):
    response = api_as(request.getfixturevalue(who)).post(review_url(in_review), {"accepted": True, "quality": "good"})

    assert response.status_code == 404
    assert_review_untouched(in_review)


@pytest.mark.parametrize("who", ["provider", "regulator"])
def test_only_the_centre_reviews_403(request, api_as, in_review, who):
    response = api_as(request.getfixturevalue(who)).post(review_url(in_review), {"accepted": True, "quality": "good"})

    assert response.status_code == 403 and response.json()["code"] == "not_centre"
    assert_review_untouched(in_review)


def test_a_second_review_is_409(api_as, coordinator, in_review):
    api_as(coordinator).post(review_url(in_review), {"accepted": True, "quality": "good"})
    response = api_as(coordinator).post(review_url(in_review), {"accepted": False, "reasons": "再审"})

    assert response.status_code == 409 and response.json()["code"] == "closing_not_in_review"
    assert ClosingReview.objects.count() == 1 and DutyEntry.objects.count() == 1


def test_a_case_without_a_filed_closing_is_409(api_as, coordinator, case):
    response = api_as(coordinator).post(review_url(case), {"accepted": True, "quality": "good"})

    assert response.status_code == 409 and response.json()["code"] == "closing_not_in_review"


def test_a_locked_year_refuses_the_credit_and_nothing_is_written(api_as, coordinator, in_review, monkeypatch):
    import duties.services

    monkeypatch.setattr(duties.services, "locked_year", lambda **kwargs: True)
    response = api_as(coordinator).post(review_url(in_review), {"accepted": True, "quality": "good"})

    assert response.status_code == 409 and response.json()["code"] == "year_locked"
    assert_review_untouched(in_review)


def test_review_wrong_method_is_405(api_as, coordinator, in_review):
    assert api_as(coordinator).get(review_url(in_review)).status_code == 405


def test_the_plain_complete_action_refuses_a_case_409(api_as, coordinator, case):
    response = api_as(coordinator).post(f"/api/v1/tasks/{case.pk}/complete/")

    assert response.status_code == 409 and response.json()["code"] == "use_closing"
    assert status_of(case) == TaskStatus.FILLED and DutyEntry.objects.count() == 0
