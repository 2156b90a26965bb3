"""GET /api/v1/tasks/: the open board, its filters, its search, its query count."""

from datetime import timedelta

import pytest
from django.db import connection

from marketplace.models import AidTask, ClaimStatus, TaskKind, TaskStatus
from marketplace.search import search_text_for, tokenize
from tests.factories import AidTaskFactory, ClaimFactory, OrganizationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.json()
    return [t["id"] for t in response.json()["results"]]


def post(org, region, title="咨询", summary="", **kwargs):
    return AidTaskFactory(
        organization=org,
        region=region,
        title=title,
        summary=summary,
        **kwargs,
    )


def test_tokenize_cuts_chinese_into_overlapping_bigrams_and_keeps_latin_words():
    assert tokenize("农民工欠薪 Wage-Theft 2024") == ["农民", "民工", "工欠", "欠薪", "wage", "theft", "2024"]
    assert tokenize("欠薪") == ["欠薪"]
    assert tokenize("  ") == []


def test_the_board_shows_open_and_filled_tasks_to_anyone(api, legal_aid_center, regions):
    open_ = post(legal_aid_center, regions["tianning"], status=TaskStatus.OPEN)
    filled = post(legal_aid_center, regions["tianning"], status=TaskStatus.FILLED)
    for status in (TaskStatus.DRAFT, TaskStatus.CANCELLED, TaskStatus.COMPLETED):
        post(legal_aid_center, regions["tianning"], status=status)
    assert sorted(ids(api.get("/api/v1/tasks/"))) == sorted([open_.pk, filled.pk])


def test_drafts_are_listed_only_for_their_organisation(api_as, coordinator, outsider, legal_aid_center, regions):
    draft = post(legal_aid_center, regions["tianning"], status=TaskStatus.DRAFT)
    assert ids(api_as(coordinator).get("/api/v1/tasks/?status=draft")) == [draft.pk]
    assert ids(api_as(outsider).get("/api/v1/tasks/?status=draft")) == []


def test_region_includes_sub_regions(api, legal_aid_center, other_org, regions):
    tianning = post(legal_aid_center, regions["tianning"])
    zhonglou = post(other_org, regions["zhonglou"])
    city = post(legal_aid_center, regions["changzhou"])
    assert sorted(ids(api.get("/api/v1/tasks/?region=320400"))) == sorted([tianning.pk, zhonglou.pk, city.pk])
    assert ids(api.get("/api/v1/tasks/?region=320402")) == [tianning.pk]
    assert ids(api.get("/api/v1/tasks/?region=000000")) == []


def test_filters_by_kind_category_group_organisation_and_dates(api, legal_aid_center, other_org, regions, now):
    a = post(
        legal_aid_center,
        regions["tianning"],
        kind=TaskKind.DUTY_SHIFT,
        category="family",
        beneficiary_group="women",
        starts_at=now + timedelta(days=2),
    )
    b = post(other_org, regions["zhonglou"], starts_at=now + timedelta(days=10))
    assert ids(api.get("/api/v1/tasks/?kind=duty_shift")) == [a.pk]
    assert ids(api.get("/api/v1/tasks/?category=family")) == [a.pk]
    assert ids(api.get("/api/v1/tasks/?beneficiary_group=women")) == [a.pk]
    assert ids(api.get(f"/api/v1/tasks/?organization={other_org.pk}")) == [b.pk]
    after = (now + timedelta(days=5)).isoformat().replace("+", "%2B")
    assert ids(api.get(f"/api/v1/tasks/?starts_after={after}")) == [b.pk]
    assert ids(api.get(f"/api/v1/tasks/?starts_before={after}")) == [a.pk]
    assert ids(api.get("/api/v1/tasks/?ordering=-starts_at")) == [b.pk, a.pk]


@pytest.mark.parametrize("query", ["?kind=astrology", "?starts_after=yesterday", "?ordering=title", "?status=lost"])
def test_bad_filters_are_400(api, query):
    response = api.get(f"/api/v1/tasks/{query}")
    assert response.status_code == 400


def test_search_finds_a_two_character_chinese_word_and_english_words(api, legal_aid_center, regions):
    wages = post(legal_aid_center, regions["tianning"], title="农民工欠薪维权咨询", summary="Unpaid wages for workers")
    family = post(legal_aid_center, regions["tianning"], title="家庭暴力受害妇女援助", summary="Domestic violence")
    assert ids(api.get("/api/v1/tasks/?search=欠薪")) == [wages.pk]
    assert ids(api.get("/api/v1/tasks/?search=家暴")) == []  # not a bigram of 家庭暴力
    assert ids(api.get("/api/v1/tasks/?search=家庭暴力")) == [family.pk]
    assert ids(api.get("/api/v1/tasks/?search=WAGES")) == [wages.pk]
    assert ids(api.get("/api/v1/tasks/?search=domestic violence")) == [family.pk]
    assert ids(api.get("/api/v1/tasks/?search=欠薪 violence")) == []
    assert sorted(ids(api.get("/api/v1/tasks/?search=!!"))) == sorted([wages.pk, family.pk])


def test_search_follows_an_edited_title(api_as, api, coordinator, legal_aid_center, regions):
    task = post(legal_aid_center, regions["tianning"], title="普通咨询")
    api_as(coordinator).patch(f"/api/v1/tasks/{task.pk}/", {"title": "工伤赔偿咨询"}, format="json")
    assert ids(api.get("/api/v1/tasks/?search=工伤")) == [task.pk]


def test_eligible_keeps_what_the_caller_may_claim(api, api_as, provider_volunteer, legal_aid_center, regions, now):
    mine = post(legal_aid_center, regions["tianning"])
    post(legal_aid_center, regions["tianning"], eligible_kinds=["notary"])
    anyone = post(legal_aid_center, regions["tianning"], eligible_kinds=[])
    suzhou_org = OrganizationFactory(region=regions["suzhou"])
    post(suzhou_org, regions["suzhou"])
    remote = post(suzhou_org, regions["suzhou"], is_remote=True)
    post(legal_aid_center, regions["tianning"], claim_deadline=now - timedelta(hours=1), starts_at=now + timedelta(1))
    post(legal_aid_center, regions["tianning"], claim_deadline=None, starts_at=now - timedelta(hours=1))
    claimed = post(legal_aid_center, regions["tianning"])
    ClaimFactory(task=claimed, volunteer=provider_volunteer, status=ClaimStatus.WAITLISTED)
    busy = post(legal_aid_center, regions["tianning"], starts_at=now + timedelta(days=20))
    clash = post(legal_aid_center, regions["tianning"], starts_at=now + timedelta(days=20, hours=1))
    ClaimFactory(task=busy, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    del clash
    expected = sorted([mine.pk, anyone.pk, remote.pk])
    assert sorted(ids(api_as(provider_volunteer.user).get("/api/v1/tasks/?eligible=true"))) == expected
    assert ids(api.get("/api/v1/tasks/?eligible=true")) == []


@pytest.mark.parametrize("page_size", [10, 100])
def test_the_board_runs_a_fixed_number_of_queries(
    api_as, provider, legal_aid_center, regions, page_size, django_assert_max_num_queries
):
    for i in range(40):
        post(legal_aid_center, regions["tianning"], title=f"欠薪咨询{i}")
    client = api_as(provider)
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/tasks/?page_size={page_size}&eligible=true&search=欠薪&region=320400")
    assert len(response.json()["results"]) == min(page_size, 40)


@pytest.mark.postgres(reason="the GIN index exists on PostgreSQL only")
def test_on_postgresql_search_uses_the_gin_index(legal_aid_center, regions):
    district = RegionFactory(code="320411", name="新北区", parent=regions["changzhou"])
    words = ["工伤", "婚姻", "继承", "租房", "消费", "劳动", "交通", "医疗"]

    def open_consultation(title, category="other", group="general"):
        return AidTask(
            organization=legal_aid_center,
            region=district,
            title=title,
            kind="consultation",
            category=category,
            beneficiary_group=group,
            starts_at=AidTaskFactory.build().starts_at,
            ends_at=AidTaskFactory.build().ends_at,
            estimated_hours=2,
            status=TaskStatus.OPEN,
            search_text=search_text_for(title),
        )

    AidTask.objects.bulk_create(
        [open_consultation(f"{words[i % 8]}纠纷咨询 {i}") for i in range(4000)]
        + [open_consultation("农民工欠薪", "labor_wages", "migrant_workers")]
    )
    from marketplace.selectors import tasks_matching

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE marketplace_aidtask")
        cursor.execute("SET enable_seqscan = off")
        qs = tasks_matching(AidTask.objects.all(), "欠薪")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
    assert "marketplace_task_search_gin" in plan, plan
    assert [t.title for t in qs] == ["农民工欠薪"]
