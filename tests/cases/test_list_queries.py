"""The case lists read a fixed number of queries, the same for page sizes 10 and 100."""

import pytest
from django.utils import timezone

from marketplace.cases.models import Evaluation, Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_case(api_as, upload, coordinator, provider, regulator, case):
    for n in range(12):
        Milestone.objects.create(
            task=case,
            kind="other",
            date=timezone.localdate(),
            note=f"进展{n}",
            source="handler",
            recorded_by=provider,
            recorded_at=timezone.now(),
        )
        upload(provider, case, name=f"材料{n}.pdf")
        api_as(coordinator).post(f"/api/v1/tasks/{case.pk}/evaluations/", {"kind": "file_review", "grade": "good"})
    assert Evaluation.objects.count() == 12
    return case


@pytest.mark.parametrize("part", ["milestones", "documents", "evaluations", "closing"])
def test_a_list_reads_the_same_queries_for_10_and_100_rows(api_as, coordinator, busy_case, part, page_queries):
    counts = page_queries(api_as(coordinator), f"/api/v1/tasks/{busy_case.pk}/{part}/")
    assert counts[0] == counts[1] and counts[0] <= 15
