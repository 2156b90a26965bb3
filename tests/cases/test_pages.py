"""The case pages: the case file (handler, centre, regulators) and the centre's closing queue.
They call the same services as the API; refusals are 404/403 pages or errors beside the field."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from duties.models import DutyEntry
from frontend.views import cases as case_pages
from marketplace import services as task_services
from marketplace.cases.models import CaseDocument, ClosingReport, Milestone
from marketplace.models import AidTask, TaskStatus
from tests.cases.conftest import PNG
from tests.conftest import PDF
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _judged_case(case, title, *, days_ago, by):
    """Another case of ``case``'s centre and handler, whose judgment the handler recorded
    ``days_ago``: the matter ended then, and its closing was due CASE_CLOSING_DAYS later."""
    late = CaseFactory(organization=case.organization, title=title, starts_at=timezone.now() - timedelta(days=120))
    task_services.task_assign(task=late, volunteer=case.claims.get().volunteer, by=by)
    Milestone.objects.create(
        task=late,
        kind="judgment",
        date=timezone.localdate() - timedelta(days=days_ago),
        source="handler",
        recorded_by=late.claims.get().volunteer.user,
        recorded_at=timezone.now(),
    )
    return late


def test_the_handler_sees_the_case_file_with_its_forms(client_as, provider, case):
    response = client_as(provider).get(reverse("case", args=[case.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("case-milestone", args=[case.pk]) in body
    assert reverse("case-document", args=[case.pk]) in body and 'enctype="multipart/form-data"' in body
    assert reverse("case-closing", args=[case.pk]) in body
    assert reverse("case-closing-review", args=[case.pk]) not in body
    assert reverse("case-terminate", args=[case.pk]) not in body


def test_the_chinese_page_is_the_default(client_as, provider, case):
    response = client_as(provider, language=None).get(reverse("case", args=[case.pk]))

    assert response.status_code == 200 and 'lang="zh-hans"' in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "other_regulator", "stranger"])
def test_the_case_file_is_404_to_others(request, client_as, case, who):
    assert client_as(request.getfixturevalue(who)).get(reverse("case", args=[case.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client_as, case):
    response = client_as(None).get(reverse("case", args=[case.pk]))

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_regulator_reads_without_documents(client_as, regulator, case, filed_document):
    body = client_as(regulator).get(reverse("case", args=[case.pk])).content.decode()

    assert reverse("case-document-download", args=[filed_document]) not in body
    assert reverse("case-evaluation", args=[case.pk]) in body  # a justice bureau evaluates


def test_the_handler_records_progress_on_the_page(client_as, provider, case):
    response = client_as(provider).post(
        reverse("case-milestone", args=[case.pk]),
        {"kind": "filed", "date": timezone.localdate().isoformat(), "note": "已向仲裁委提交仲裁申请。"},
    )

    assert response.status_code == 302
    assert Milestone.objects.get().source == "handler"


def test_a_future_date_is_shown_beside_the_field(client_as, provider, case):
    response = client_as(provider).post(
        reverse("case-milestone", args=[case.pk]),
        {"kind": "filed", "date": (timezone.localdate() + timedelta(days=3)).isoformat()},
    )

    assert response.status_code == 400 and "The date is in the future." in response.content.decode()
    assert Milestone.objects.count() == 0


def test_an_upload_on_the_page_is_checked_by_its_content(client_as, provider, case, documents_on_tmp):
    client = client_as(provider)
    refused = client.post(reverse("case-document", args=[case.pk]), {"file": SimpleUploadedFile("判决书.pdf", PNG)})
    assert refused.status_code == 400 and "does not match" in refused.content.decode()
    assert CaseDocument.objects.count() == 0

    accepted = client.post(reverse("case-document", args=[case.pk]), {"file": SimpleUploadedFile("判决书.pdf", PDF)})
    assert accepted.status_code == 302
    download = client.get(reverse("case-document-download", args=[CaseDocument.objects.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "no-store" in download["Cache-Control"] and download["Content-Disposition"].startswith("attachment")


def test_the_closing_is_filed_and_accepted_on_the_pages(
    client_as, provider, coordinator, provider_volunteer, case, filed_document
):
    filed = client_as(provider).post(
        reverse("case-closing", args=[case.pk]),
        {"outcome": "supported", "summary": "裁决支持全部请求。", "documents": [filed_document]},
    )
    assert filed.status_code == 302
    assert AidTask.objects.get(pk=case.pk).status == TaskStatus.CLOSING_REVIEW

    queue = client_as(coordinator).get(reverse("closing-queue"))
    assert queue.status_code == 200 and case.title in queue.content.decode()

    accepted = client_as(coordinator).post(
        reverse("case-closing-review", args=[case.pk]), {"accepted": "1", "quality": "good"}
    )
    assert accepted.status_code == 302
    assert AidTask.objects.get(pk=case.pk).status == TaskStatus.COMPLETED
    assert list(DutyEntry.objects.values_list("volunteer_id", "cases")) == [(provider_volunteer.pk, 1)]


def test_a_closing_without_documents_is_refused_on_the_page(client_as, provider, case):
    response = client_as(provider).post(
        reverse("case-closing", args=[case.pk]), {"outcome": "supported", "summary": "结案。"}
    )

    assert response.status_code == 400 and "File the closing with copies" in response.content.decode()
    assert ClosingReport.objects.count() == 0


def test_the_handler_cannot_review_on_the_page_403(client_as, provider, in_review):
    response = client_as(provider).post(
        reverse("case-closing-review", args=[in_review.pk]), {"accepted": "1", "quality": "good"}
    )

    assert response.status_code == 403
    assert AidTask.objects.get(pk=in_review.pk).status == TaskStatus.CLOSING_REVIEW


def test_the_queue_marks_a_late_closing_and_an_overdue_case(client_as, coordinator, case):
    _judged_case(case, "逾期未结案的赡养纠纷", days_ago=45, by=coordinator)
    body = client_as(coordinator).get(reverse("closing-queue")).content.decode()

    assert "逾期未结案的赡养纠纷" in body and 'class="overdue"' in body


def test_the_queue_is_for_coordinators(client_as, provider):
    assert client_as(provider).get(reverse("closing-queue")).status_code == 403


def test_the_queue_reads_a_fixed_number_of_queries(
    client_as, coordinator, provider, case, in_review, django_assert_max_num_queries
):
    client = client_as(coordinator)
    client.get(reverse("closing-queue"))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("closing-queue")).status_code == 200


def test_the_cases_in_progress_are_paged_and_every_overdue_closing_shows(client_as, coordinator, case, monkeypatch):
    late = _judged_case(case, "逾期未结案的赡养纠纷", days_ago=45, by=coordinator)
    monkeypatch.setattr(case_pages, "CASES_PAGE", 1)
    client = client_as(coordinator)

    first = client.get(reverse("closing-queue")).content.decode()
    overdue, listed = first.split('id="cases-in-progress"')
    # The silent case (no milestone yet) comes first; the overdue one is on page 2 of the list,
    # and still in the overdue section, which reads every case, not the page.
    assert case.title in listed and late.title not in listed
    assert late.title in overdue.split('id="overdue-closings"')[1]
    assert '<span class="count">(2)</span>' in listed
    assert "?page=2#cases-in-progress" in listed

    second = client.get(reverse("closing-queue"), {"page": 2}).content.decode().split('id="cases-in-progress"')[1]
    assert late.title in second and case.title not in second


def test_the_overdue_closings_shown_are_capped_and_all_counted(client_as, coordinator, case, monkeypatch):
    for title, days in (("判决后六十天未结案", 60), ("判决后九十天未结案", 90)):
        _judged_case(case, title, days_ago=days, by=coordinator)
    monkeypatch.setattr(case_pages, "SHOWN", 1)

    body = client_as(coordinator).get(reverse("closing-queue")).content.decode()
    overdue = body.split('id="overdue-closings"')[1].split('id="cases-in-progress"')[0]

    assert '<span class="count">(2)</span>' in overdue and "The most overdue is shown." in overdue
    assert "判决后九十天未结案" in overdue and "判决后六十天未结案" not in overdue  # the most overdue first


def test_the_closings_to_review_shown_are_capped_and_all_counted(
    client_as, file_closing, coordinator, provider, in_review, monkeypatch
):
    second = file_closing(provider, _judged_case(in_review, "第二件待审查的结案", days_ago=3, by=coordinator))
    monkeypatch.setattr(case_pages, "SHOWN", 1)

    body = client_as(coordinator).get(reverse("closing-queue")).content.decode()
    queue = body.split('id="closing-queue"')[1].split('id="overdue-closings"')[0]

    assert '<span class="count">(2)</span>' in queue and "The longest waiting is shown." in queue
    assert in_review.title in queue and second.title not in queue  # the first filed first


def test_the_overdue_list_and_the_red_mark_agree_on_the_day_the_closing_falls_due(coordinator, case, settings):
    """Art. 50: due CASE_CLOSING_DAYS after the matter ended, overdue from the day after. The
    overdue list is a database filter and the mark on a row is worked out in Python: one rule."""
    from marketplace.cases import selectors

    days = settings.CASE_CLOSING_DAYS
    due_today = _judged_case(case, "今天到期", days_ago=days, by=coordinator)
    due_yesterday = _judged_case(case, "昨天到期", days_ago=days + 1, by=coordinator)
    today = timezone.localdate()

    overdue = list(selectors.cases_in_progress_for(coordinator, today=today, overdue_only=True))
    marked = {
        row.task.pk
        for row in selectors.case_rows(selectors.cases_in_progress_for(coordinator, today=today), today=today)
        if row.overdue
    }

    assert [t.pk for t in overdue] == [due_yesterday.pk]
    assert marked == {due_yesterday.pk} and due_today.pk not in marked
