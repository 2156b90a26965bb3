"""The subsidy endpoints, each with its matrix: works / anonymous 401 / other organisation 404 /
wrong role 403 / bad input 400 / wrong state 409 / wrong method 405. A failed request writes nothing."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from duties.subsidies import services
from duties.subsidies.models import SubsidyBatch, SubsidyLine, SubsidySchedule, SubsidyStatus

pytestmark = pytest.mark.django_db

SCHEDULES = "/api/v1/subsidy-schedules/"
LINES = "/api/v1/subsidies/"
BATCHES = "/api/v1/subsidy-batches/"


# --- schedules ---------------------------------------------------------------------------------


def test_the_justice_bureau_sets_a_schedule_and_a_correction_is_a_new_version(api_as, regulator, schedule_body):
    first = api_as(regulator).post(SCHEDULES, schedule_body(), format="json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["version"], body["region"], body["duty_half_day"]) == (1, "320400", "200.00")
    assert body["quality_multipliers"] == {"excellent": "1.20", "good": "1.00", "pass": "0.80", "fail": "0.00"}
    assert {"kind": "criminal_defense", "stage": "trial", "amount": "2500.00"} in body["lines"]
    second = api_as(regulator).post(SCHEDULES, schedule_body(duty_half_day="220.00"), format="json")
    assert (second.status_code, second.json()["version"]) == (201, 2)
    assert SubsidySchedule.objects.get(pk=body["id"]).duty_half_day == Decimal("200.00")


def test_regulators_and_centres_read_schedules(api_as, schedule, coordinator, association_reviewer, regulator):
    for user in (coordinator, association_reviewer, regulator):
        response = api_as(user).get(SCHEDULES)
        assert response.status_code == 200
        assert [s["id"] for s in response.json()["results"]] == [schedule.pk]
        assert api_as(user).get(f"{SCHEDULES}{schedule.pk}/").status_code == 200


def test_schedules_need_a_sign_in(api, schedule, schedule_body):
    assert api.get(SCHEDULES).status_code == 401
    assert api.post(SCHEDULES, schedule_body(), format="json").status_code == 401
    assert SubsidySchedule.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "stranger", "provider"])
def test_other_roles_may_not_read_schedules(api_as, request, schedule, who):
    response = api_as(request.getfixturevalue(who)).get(SCHEDULES)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


@pytest.mark.parametrize("who", ["coordinator", "association_reviewer", "provider"])
def test_only_a_justice_bureau_writes_schedules(api_as, request, schedule_body, who):
    response = api_as(request.getfixturevalue(who)).post(SCHEDULES, schedule_body(), format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_justice_bureau")
    assert not SubsidySchedule.objects.exists()


def test_a_bureau_sets_no_schedule_outside_its_region(api_as, other_regulator, schedule_body):
    response = api_as(other_regulator).post(SCHEDULES, schedule_body(), format="json")
    assert response.status_code == 400
    assert "region" in response.json()
    assert not SubsidySchedule.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"duty_half_day": "-1.00"}, "duty_half_day"),
        ({"lines": [{"kind": "civil_representation", "amount": "-5.00"}]}, "lines"),
        ({"lines": [{"kind": "civil_representation", "stage": "trial", "amount": "5.00"}]}, "lines"),
        ({"quality_multipliers": {"excellent": "-1", "good": "1", "pass": "1", "fail": "0"}}, "quality_multipliers"),
        ({"year": "soon"}, "year"),
        ({"region": "999999"}, "region"),
    ],
)
def test_a_bad_schedule_is_refused_on_its_field(api_as, regulator, schedule_body, overrides, field):
    response = api_as(regulator).post(SCHEDULES, schedule_body(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SubsidySchedule.objects.exists()


def test_schedules_take_no_put_or_delete(api_as, regulator, schedule):
    assert api_as(regulator).put(f"{SCHEDULES}{schedule.pk}/", {}, format="json").status_code == 405
    assert api_as(regulator).delete(f"{SCHEDULES}{schedule.pk}/").status_code == 405


def test_a_missing_schedule_is_404(api_as, regulator):
    assert api_as(regulator).get(f"{SCHEDULES}999999/").status_code == 404


# --- lines ---------------------------------------------------------------------------------------


@pytest.fixture
def line(schedule, close_case):
    return SubsidyLine.objects.get(task=close_case(quality="excellent"))


def test_the_centre_and_the_bureau_list_the_lines(api_as, line, coordinator, regulator):
    for user in (coordinator, regulator):
        response = api_as(user).get(LINES)
        assert response.status_code == 200
        [row] = response.json()["results"]
        assert (row["id"], row["amount"], row["status"], row["flagged"]) == (line.pk, "2400.00", "priced", False)
        assert row["schedule_version"] == 1
        assert row["payee"]["kind"] == "individual"


def test_an_unpriced_line_is_flagged(api_as, close_case, coordinator):
    close_case()
    [row] = api_as(coordinator).get(LINES).json()["results"]
    assert (row["status"], row["amount"], row["flagged"]) == ("unpriced", None, True)


def test_lines_need_a_sign_in(api, line):
    assert api.get(LINES).status_code == 401
    assert api.get(f"{LINES}{line.pk}/").status_code == 401


@pytest.mark.parametrize("who", ["outsider", "provider", "association_reviewer"])
def test_other_roles_may_not_read_lines(api_as, request, line, who):
    response = api_as(request.getfixturevalue(who)).get(LINES)
    assert response.status_code == 403


def test_another_centre_and_bureau_do_not_see_the_line(api_as, line, other_centre_coordinator, other_regulator):
    for user in (other_centre_coordinator, other_regulator):
        assert api_as(user).get(f"{LINES}{line.pk}/").status_code == 404
        assert api_as(user).get(LINES).json()["results"] == []
    assert api_as(other_centre_coordinator).post(f"{LINES}{line.pk}/reprice/").status_code == 404


def test_recompute_proves_the_amount(api_as, line, regulator):
    response = api_as(regulator).get(f"{LINES}{line.pk}/recompute/")
    assert response.status_code == 200
    assert response.json() == {
        "line": line.pk,
        "schedule": line.schedule_id,
        "amount": "2400.00",
        "recomputed": "2400.00",
        "matches": True,
    }


def test_the_centre_reprices_after_a_correction_and_the_bureau_may_not(
    api_as, line, coordinator, regulator, schedule_body
):
    api_as(regulator).post(
        SCHEDULES, schedule_body(lines=[{"kind": "civil_representation", "amount": "3000.00"}]), format="json"
    )
    refused = api_as(regulator).post(f"{LINES}{line.pk}/reprice/")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_legal_aid_center")
    response = api_as(coordinator).post(f"{LINES}{line.pk}/reprice/")
    assert response.status_code == 200, response.content
    assert (response.json()["amount"], response.json()["schedule_version"]) == ("3600.00", 2)


def test_lines_take_no_post_on_the_list_nor_delete(api_as, line, coordinator):
    assert api_as(coordinator).post(LINES, {}, format="json").status_code == 405
    assert api_as(coordinator).delete(f"{LINES}{line.pk}/").status_code == 405


# --- batches -------------------------------------------------------------------------------------


def test_the_centre_batches_pays_and_a_paid_line_is_only_reversed(api_as, line, coordinator, legal_aid_center):
    client = api_as(coordinator)
    created = client.post(BATCHES, {"organization": legal_aid_center.pk, "lines": [line.pk]}, format="json")
    assert created.status_code == 201, created.content
    batch = created.json()
    assert (batch["status"], batch["total"], batch["lines"]) == ("open", "2400.00", [line.pk])
    paid = client.post(f"{BATCHES}{batch['id']}/paid/")
    assert (paid.status_code, paid.json()["status"]) == (200, "paid")
    again = client.post(f"{BATCHES}{batch['id']}/paid/")
    assert (again.status_code, again.json()["code"]) == (409, "batch_already_paid")
    changed = client.post(f"{LINES}{line.pk}/reprice/")
    assert (changed.status_code, changed.json()["code"]) == (409, "line_paid")
    line.refresh_from_db()
    assert (line.status, line.amount) == (SubsidyStatus.PAID, Decimal("2400.00"))
    reversed_ = client.post(f"{LINES}{line.pk}/reverse/", {"reason": "重复申领"}, format="json")
    assert reversed_.status_code == 201, reversed_.content
    assert (reversed_.json()["amount"], reversed_.json()["reverses"]) == ("-2400.00", line.pk)


def test_an_unpaid_line_is_not_reversed(api_as, line, coordinator):
    response = api_as(coordinator).post(f"{LINES}{line.pk}/reverse/", {"reason": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "line_not_paid")
    assert SubsidyLine.objects.count() == 1


def test_a_reversal_needs_a_reason(api_as, line, coordinator):
    response = api_as(coordinator).post(f"{LINES}{line.pk}/reverse/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_a_batch_with_another_centres_line_is_refused(
    api_as, line, coordinator, legal_aid_center, other_centre_coordinator, suzhou_centre
):
    response = api_as(other_centre_coordinator).post(
        BATCHES, {"organization": suzhou_centre.pk, "lines": [line.pk]}, format="json"
    )
    assert response.status_code == 400 and "lines" in response.json()
    response = api_as(other_centre_coordinator).post(
        BATCHES, {"organization": legal_aid_center.pk, "lines": [line.pk]}, format="json"
    )
    assert response.status_code == 404
    assert not SubsidyBatch.objects.exists()
    line.refresh_from_db()
    assert line.batch_id is None


def test_an_unpriced_line_is_not_batched(api_as, close_case, coordinator, legal_aid_center):
    task = close_case()
    line = SubsidyLine.objects.get(task=task)
    response = api_as(coordinator).post(
        BATCHES, {"organization": legal_aid_center.pk, "lines": [line.pk]}, format="json"
    )
    assert response.status_code == 400 and "lines" in response.json()
    assert not SubsidyBatch.objects.exists()


@pytest.mark.parametrize("body", [{}, {"organization": "x", "lines": []}, {"organization": 1, "lines": ["a"]}])
def test_bad_batch_input_is_400(api_as, coordinator, body):
    assert api_as(coordinator).post(BATCHES, body, format="json").status_code == 400


@pytest.mark.parametrize("who", ["regulator", "outsider", "provider"])
def test_only_a_centre_batches(api_as, request, line, legal_aid_center, who):
    response = api_as(request.getfixturevalue(who)).post(
        BATCHES, {"organization": legal_aid_center.pk, "lines": [line.pk]}, format="json"
    )
    assert response.status_code == 403
    assert not SubsidyBatch.objects.exists()


def test_nobody_batches_their_own_subsidy(api_as, line, provider, legal_aid_center):
    from tests.factories import MembershipFactory

    MembershipFactory(user=provider, organization=legal_aid_center, role="coordinator")
    response = api_as(provider).post(BATCHES, {"organization": legal_aid_center.pk, "lines": [line.pk]}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "own_record")
    assert not SubsidyBatch.objects.exists()


def test_batches_need_a_sign_in_and_take_no_delete(api, api_as, line, coordinator, legal_aid_center):
    assert api.get(BATCHES).status_code == 401
    assert (
        api.post(BATCHES, {"organization": legal_aid_center.pk, "lines": [line.pk]}, format="json").status_code == 401
    )
    batch = services.subsidy_batch_create(organization=legal_aid_center, line_ids=[line.pk], by=coordinator)
    assert api_as(coordinator).delete(f"{BATCHES}{batch.pk}/").status_code == 405
    assert api_as(coordinator).get(f"{BATCHES}{batch.pk}/paid/").status_code == 405
    assert api.post(f"{BATCHES}{batch.pk}/paid/").status_code == 401


def test_the_bureau_reads_batches_of_its_region_but_does_not_pay(
    api_as, line, coordinator, regulator, legal_aid_center
):
    batch = services.subsidy_batch_create(organization=legal_aid_center, line_ids=[line.pk], by=coordinator)
    assert [b["id"] for b in api_as(regulator).get(BATCHES).json()["results"]] == [batch.pk]
    response = api_as(regulator).post(f"{BATCHES}{batch.pk}/paid/")
    assert (response.status_code, response.json()["code"]) == (403, "not_legal_aid_center")
    batch.refresh_from_db()
    assert batch.status == "open"


def test_another_centre_does_not_see_the_batch(api_as, line, coordinator, other_centre_coordinator, legal_aid_center):
    batch = services.subsidy_batch_create(organization=legal_aid_center, line_ids=[line.pk], by=coordinator)
    assert api_as(other_centre_coordinator).get(f"{BATCHES}{batch.pk}/").status_code == 404
    assert api_as(other_centre_coordinator).post(f"{BATCHES}{batch.pk}/paid/").status_code == 404
    assert api_as(other_centre_coordinator).get(f"{BATCHES}{batch.pk}/export/?format=xlsx").status_code == 404


def test_a_paid_batch_exports_as_xlsx_with_numbers_and_chinese_headers(
    api_as, schedule, close_case, coordinator, legal_aid_center, firm_provider, law_firm
):
    lines = [
        SubsidyLine.objects.get(task=close_case(quality="excellent")),
        SubsidyLine.objects.get(task=close_case(kind="criminal_defense", stage="trial", quality="good")),
    ]
    batch = services.subsidy_batch_create(organization=legal_aid_center, line_ids=[x.pk for x in lines], by=coordinator)
    services.subsidy_batch_paid(batch=batch, by=coordinator)
    response = api_as(coordinator).get(f"{BATCHES}{batch.pk}/export/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("批次号", "明细号", "收款方类型", "收款方")
    assert "金额（元）" in rows[0]
    amount = rows[0].index("金额（元）")
    assert sorted(r[amount] for r in rows[1:]) == [2400, 2500]
    assert all(isinstance(r[amount], int | float) for r in rows[1:])
    assert {r[3] for r in rows[1:]} == {law_firm.name}
    assert {r[9] for r in rows[1:]} == {"", "审判"} or {r[9] for r in rows[1:]} == {None, "审判"}


def test_a_batch_exports_as_csv(api_as, line, coordinator, legal_aid_center):
    batch = services.subsidy_batch_create(organization=legal_aid_center, line_ids=[line.pk], by=coordinator)
    response = api_as(coordinator).get(f"{BATCHES}{batch.pk}/export/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff批次号,明细号")
    assert ",2400.00," in text


def test_the_line_list_takes_a_fixed_number_of_queries(
    api_as, schedule, close_case, coordinator, django_assert_max_num_queries
):
    for _ in range(3):
        close_case()
    client = api_as(coordinator)
    with django_assert_max_num_queries(6):
        assert client.get(LINES, {"page_size": 10}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(LINES, {"page_size": 100}).status_code == 200
