from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from duties.models import DutyEntry, EntryKind, HourLog
from marketplace.models import ClaimStatus
from tests.conftest import code_or, run_all
from tests.duties.conftest import YEAR, fresh_client, make_log
from tests.factories import AnnualReviewFactory

pytestmark = pytest.mark.django_db

MARCH = "2026-03-02"


def url(claim):
    return f"/api/v1/claims/{claim.pk}/hours/"


class TestLogHours:
    def test_the_accepted_provider_logs_hours_pending_confirmation(self, api_as, provider, claim):
        response = api_as(provider).post(url(claim), {"date": MARCH, "hours": "2.50", "note": "咨询"}, format="json")

        assert response.status_code == 201, response.data
        assert response.data["status"] == "pending"
        assert response.data["hours"] == "2.50"
        assert response.data["claim"] == claim.pk
        assert HourLog.objects.get().volunteer == claim.volunteer

    def test_anonymous_is_401_and_nothing_is_written(self, api, claim):
        response = api.post(url(claim), {"date": MARCH, "hours": "2"}, format="json")

        assert response.status_code == 401
        assert response.data["code"] == "not_authenticated"
        assert not HourLog.objects.exists()

    def test_the_coordinator_may_see_the_claim_but_not_log_hours_on_it(self, api_as, coordinator, claim):
        response = api_as(coordinator).post(url(claim), {"date": MARCH, "hours": "2"}, format="json")

        assert response.status_code == 403
        assert response.data["code"] == "permission_denied"
        assert not HourLog.objects.exists()

    def test_someone_elses_claim_is_404(self, api_as, outsider, stranger, claim):
        for user in (outsider, stranger):
            response = api_as(user).post(url(claim), {"date": MARCH, "hours": "2"}, format="json")
            assert response.status_code == 404
            assert response.data["code"] == "not_found"
        assert not HourLog.objects.exists()

    @pytest.mark.parametrize(
        ("hours", "why"),
        [("0", "zero"), ("-1.00", "negative"), ("1.234", "three decimals"), ("abc", "not a number"), ("25", "> 24")],
    )
    def test_bad_hours_are_400_naming_hours(self, api_as, provider, claim, hours, why):
        response = api_as(provider).post(url(claim), {"date": MARCH, "hours": hours}, format="json")

        assert response.status_code == 400, why
        assert "hours" in response.data
        assert not HourLog.objects.exists()

    def test_a_future_date_is_400_naming_date(self, api_as, provider, claim):
        tomorrow = (date.today() + timedelta(days=2)).isoformat()

        response = api_as(provider).post(url(claim), {"date": tomorrow, "hours": "2"}, format="json")

        assert response.status_code == 400
        assert response.data["code"] == "future_date"
        assert "date" in response.data
        assert not HourLog.objects.exists()

    def test_a_date_before_the_task_began_is_400(self, api_as, provider, claim):
        response = api_as(provider).post(url(claim), {"date": f"{YEAR}-01-01", "hours": "2"}, format="json")

        assert response.status_code == 400
        assert "date" in response.data

    def test_a_missing_date_is_400_naming_date(self, api_as, provider, claim):
        response = api_as(provider).post(url(claim), {"hours": "2"}, format="json")

        assert response.status_code == 400
        assert "date" in response.data

    def test_more_than_8_hours_in_a_day_across_claims_needs_a_note(self, api_as, provider, claim, legal_aid_center):
        from tests.factories import AidTaskFactory, ClaimFactory

        other = ClaimFactory(
            task=AidTaskFactory(
                organization=legal_aid_center,
                starts_at=claim.task.starts_at,
                ends_at=claim.task.ends_at,
                claim_deadline=None,
            ),
            volunteer=claim.volunteer,
        )
        make_log(other, on=date(YEAR, 3, 2), hours="6.00")

        refused = api_as(provider).post(url(claim), {"date": MARCH, "hours": "3"}, format="json")
        accepted = api_as(provider).post(
            url(claim), {"date": MARCH, "hours": "3", "note": "开庭后整理证据"}, format="json"
        )

        assert refused.status_code == 400
        assert refused.data["code"] == "note_required"
        assert "note" in refused.data
        assert accepted.status_code == 201
        assert HourLog.objects.count() == 2

    def test_declined_hours_do_not_count_towards_the_day(self, api_as, provider, claim):
        make_log(claim, on=date(YEAR, 3, 2), hours="7.00", status="declined")

        response = api_as(provider).post(url(claim), {"date": MARCH, "hours": "3"}, format="json")

        assert response.status_code == 201

    def test_a_withdrawn_claim_is_409(self, api_as, provider, claim):
        claim.status = ClaimStatus.WITHDRAWN
        claim.save()

        response = api_as(provider).post(url(claim), {"date": MARCH, "hours": "2"}, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "claim_not_accepted"
        assert not HourLog.objects.exists()

    def test_a_date_in_a_decided_year_is_409(self, api_as, provider, claim, regions, midyear_now):
        AnnualReviewFactory(
            volunteer=claim.volunteer, year=YEAR, region=regions["tianning"], status="compliant", opened_at=midyear_now
        )

        response = api_as(provider).post(url(claim), {"date": MARCH, "hours": "2"}, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "year_locked"
        assert not HourLog.objects.exists()

    def test_get_is_405(self, api_as, provider, claim):
        response = api_as(provider).get(url(claim))

        assert response.status_code == 405
        assert response.data["code"] == "method_not_allowed"

    def test_the_same_idempotency_key_and_body_replays_the_first_answer(self, api_as, provider, claim):
        client = api_as(provider)
        body = {"date": MARCH, "hours": "2.00"}

        first = client.post(url(claim), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        again = client.post(url(claim), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        other = client.post(url(claim), {**body, "hours": "3.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

        assert first.status_code == again.status_code == 201
        assert again.data["id"] == first.data["id"]
        assert other.status_code == 409
        assert other.data["code"] == "idempotency_mismatch"
        assert HourLog.objects.count() == 1

    def test_logging_tells_the_provider_and_the_coordinators_after_commit(
        self, api_as, provider, coordinator, claim, django_capture_on_commit_callbacks, monkeypatch
    ):
        sent = []
        monkeypatch.setattr(
            "marketplace.core.events._deliver", lambda groups, event: sent.extend((group, event) for group in groups)
        )

        with django_capture_on_commit_callbacks(execute=True):
            api_as(provider).post(url(claim), {"date": MARCH, "hours": "2"}, format="json")

        groups = {g for g, _ in sent}
        assert groups == {f"user.{provider.pk}", f"user.{coordinator.pk}"}
        assert all(e["type"] == "hours.changed" for _, e in sent)


class TestListHours:
    def test_the_provider_sees_own_logs_and_the_coordinator_those_of_the_organisation(
        self, api_as, provider, coordinator, outsider, claim, outsider_claim
    ):
        mine = make_log(claim)
        theirs = make_log(outsider_claim)

        as_provider = api_as(provider).get("/api/v1/hours/")
        as_coordinator = api_as(coordinator).get("/api/v1/hours/")
        as_outsider = api_as(outsider).get("/api/v1/hours/")

        assert [r["id"] for r in as_provider.data["results"]] == [mine.pk]
        assert [r["id"] for r in as_coordinator.data["results"]] == [mine.pk]
        assert [r["id"] for r in as_outsider.data["results"]] == [theirs.pk]

    def test_anonymous_is_401(self, api):
        assert api.get("/api/v1/hours/").status_code == 401

    def test_a_user_with_no_provider_profile_nor_coordinator_role_is_403(self, api_as, stranger, regulator):
        for user in (stranger, regulator):
            response = api_as(user).get("/api/v1/hours/")
            assert response.status_code == 403
            assert response.data["code"] == "permission_denied"

    def test_filters_by_status_year_volunteer_and_organization(self, api_as, coordinator, claim, legal_aid_center):
        pending = make_log(claim, on=date(YEAR, 3, 2))
        make_log(claim, on=date(YEAR, 3, 3), status="confirmed")
        client = api_as(coordinator)

        by_status = client.get("/api/v1/hours/", {"status": "pending"})
        by_year = client.get("/api/v1/hours/", {"year": YEAR - 1})
        by_volunteer = client.get("/api/v1/hours/", {"volunteer": claim.volunteer_id})
        by_org = client.get("/api/v1/hours/", {"organization": legal_aid_center.pk})

        assert [r["id"] for r in by_status.data["results"]] == [pending.pk]
        assert by_year.data["count"] == 0
        assert by_volunteer.data["count"] == 2
        assert by_org.data["count"] == 2

    def test_a_bad_filter_is_400_naming_it(self, api_as, coordinator):
        response = api_as(coordinator).get("/api/v1/hours/", {"status": "bogus"})

        assert response.status_code == 400
        assert "status" in response.data

    def test_the_query_count_does_not_depend_on_the_page_size(self, api_as, coordinator, claim, page_queries):
        for i in range(15):
            make_log(claim, on=date(YEAR, 3, 1) + timedelta(days=i))

        ten, hundred = page_queries(fresh_client(api_as, coordinator), "/api/v1/hours/")

        assert ten == hundred <= 8


class TestConfirmHours:
    def test_the_coordinator_confirms_in_full_and_the_ledger_is_credited(self, api_as, coordinator, pending_log):
        response = api_as(coordinator).post(f"/api/v1/hours/{pending_log.pk}/confirm/", {}, format="json")

        assert response.status_code == 200, response.data
        assert response.data["status"] == "confirmed"
        assert response.data["confirmed_hours"] == "2.00"
        entry = DutyEntry.objects.get()
        assert (entry.kind, entry.hours, entry.hour_log_id) == (EntryKind.HOURS, Decimal("2.00"), pending_log.pk)

    def test_a_partial_confirmation_needs_a_comment(self, api_as, coordinator, pending_log):
        client = api_as(coordinator)

        refused = client.post(f"/api/v1/hours/{pending_log.pk}/confirm/", {"hours": "1.50"}, format="json")
        accepted = client.post(
            f"/api/v1/hours/{pending_log.pk}/confirm/", {"hours": "1.50", "comment": "半小时为候场"}, format="json"
        )

        assert refused.status_code == 400
        assert "comment" in refused.data
        assert accepted.status_code == 200
        assert accepted.data["confirmed_hours"] == "1.50"
        assert DutyEntry.objects.get().hours == Decimal("1.50")

    def test_more_hours_than_logged_cannot_be_confirmed(self, api_as, coordinator, pending_log):
        response = api_as(coordinator).post(
            f"/api/v1/hours/{pending_log.pk}/confirm/", {"hours": "3.00", "comment": "x"}, format="json"
        )

        assert response.status_code == 400
        assert "hours" in response.data
        pending_log.refresh_from_db()
        assert pending_log.status == "pending"
        assert not DutyEntry.objects.exists()

    def test_the_provider_may_see_the_log_but_not_confirm_it(self, api_as, provider, pending_log):
        response = api_as(provider).post(f"/api/v1/hours/{pending_log.pk}/confirm/", {}, format="json")

        assert response.status_code == 403
        assert not DutyEntry.objects.exists()

    def test_a_coordinator_of_another_organisation_gets_404(self, api_as, outsider, pending_log):
        response = api_as(outsider).post(f"/api/v1/hours/{pending_log.pk}/confirm/", {}, format="json")

        assert response.status_code == 404
        assert not DutyEntry.objects.exists()

    def test_anonymous_is_401(self, api, pending_log):
        assert api.post(f"/api/v1/hours/{pending_log.pk}/confirm/", {}, format="json").status_code == 401

    def test_a_second_decision_is_409_and_credits_nothing_more(self, api_as, coordinator, pending_log):
        client = api_as(coordinator)
        client.post(f"/api/v1/hours/{pending_log.pk}/confirm/", {}, format="json")

        again = client.post(f"/api/v1/hours/{pending_log.pk}/confirm/", {}, format="json")
        decline = client.post(f"/api/v1/hours/{pending_log.pk}/decline/", {"comment": "x"}, format="json")

        assert again.status_code == decline.status_code == 409
        assert again.data["code"] == "already_decided"
        assert DutyEntry.objects.count() == 1

    def test_get_is_405(self, api_as, coordinator, pending_log):
        assert api_as(coordinator).get(f"/api/v1/hours/{pending_log.pk}/confirm/").status_code == 405


class TestDeclineHours:
    def test_the_coordinator_declines_with_a_comment_and_nothing_is_credited(self, api_as, coordinator, pending_log):
        response = api_as(coordinator).post(
            f"/api/v1/hours/{pending_log.pk}/decline/", {"comment": "当日未到场"}, format="json"
        )

        assert response.status_code == 200
        assert response.data["status"] == "declined"
        assert response.data["comment"] == "当日未到场"
        assert not DutyEntry.objects.exists()

    def test_a_decline_without_comment_is_400(self, api_as, coordinator, pending_log):
        response = api_as(coordinator).post(f"/api/v1/hours/{pending_log.pk}/decline/", {}, format="json")

        assert response.status_code == 400
        assert "comment" in response.data
        pending_log.refresh_from_db()
        assert pending_log.status == "pending"


class TestBulk:
    def test_bulk_confirm_confirms_every_listed_log(self, api_as, coordinator, claim):
        logs = [make_log(claim, on=date(YEAR, 3, d)) for d in (2, 3, 4)]

        response = api_as(coordinator).post(
            "/api/v1/hours/bulk-confirm/", {"ids": [log.pk for log in logs]}, format="json"
        )

        assert response.status_code == 200, response.data
        assert response.data["count"] == 3
        assert {r["status"] for r in response.data["results"]} == {"confirmed"}
        assert DutyEntry.objects.count() == 3

    def test_bulk_confirm_is_all_or_nothing(self, api_as, coordinator, claim):
        fresh = make_log(claim, on=date(YEAR, 3, 2))
        decided = make_log(claim, on=date(YEAR, 3, 3), status="declined")

        response = api_as(coordinator).post(
            "/api/v1/hours/bulk-confirm/", {"ids": [fresh.pk, decided.pk]}, format="json"
        )

        assert response.status_code == 409
        fresh.refresh_from_db()
        assert fresh.status == "pending"
        assert not DutyEntry.objects.exists()

    def test_a_log_of_another_organisation_in_the_batch_is_404(self, api_as, coordinator, claim, outsider_claim):
        mine = make_log(claim)
        theirs = make_log(outsider_claim)

        response = api_as(coordinator).post("/api/v1/hours/bulk-confirm/", {"ids": [mine.pk, theirs.pk]}, format="json")

        assert response.status_code == 404
        assert not DutyEntry.objects.exists()

    def test_the_provider_cannot_bulk_confirm_own_hours(self, api_as, provider, pending_log):
        response = api_as(provider).post("/api/v1/hours/bulk-confirm/", {"ids": [pending_log.pk]}, format="json")

        assert response.status_code == 403
        assert not DutyEntry.objects.exists()

    def test_an_empty_list_is_400_naming_ids(self, api_as, coordinator):
        response = api_as(coordinator).post("/api/v1/hours/bulk-confirm/", {"ids": []}, format="json")

        assert response.status_code == 400
        assert "ids" in response.data

    def test_bulk_decline_declines_every_listed_log_with_the_comment(self, api_as, coordinator, claim):
        logs = [make_log(claim, on=date(YEAR, 3, d)) for d in (2, 3)]

        response = api_as(coordinator).post(
            "/api/v1/hours/bulk-decline/", {"ids": [log.pk for log in logs], "comment": "重复登记"}, format="json"
        )

        assert response.status_code == 200
        assert set(HourLog.objects.values_list("status", flat=True)) == {"declined"}

    def test_anonymous_bulk_is_401_and_get_is_405(self, api, api_as, coordinator):
        assert api.post("/api/v1/hours/bulk-confirm/", {"ids": [1]}, format="json").status_code == 401
        assert api_as(coordinator).get("/api/v1/hours/bulk-confirm/").status_code == 405


class TestRobustInput:
    def test_ids_that_are_not_numbers_or_too_long_are_404(self, api_as, coordinator):
        client = api_as(coordinator)

        for path in ("/api/v1/hours/abc/", "/api/v1/hours/null,null/confirm/", f"/api/v1/hours/{'9' * 30}/"):
            assert client.get(path).status_code in (404, 405), path
        assert client.post(f"/api/v1/claims/{'9' * 30}/hours/", {}, format="json").status_code == 404

    def test_fractional_or_huge_filter_values_are_400(self, api_as, coordinator):
        client = api_as(coordinator)

        assert "year" in client.get("/api/v1/hours/", {"year": "0.5"}).data
        assert "volunteer" in client.get("/api/v1/hours/", {"volunteer": "9" * 30}).data

    def test_huge_ids_in_a_bulk_body_are_400(self, api_as, coordinator):
        response = api_as(coordinator).post("/api/v1/hours/bulk-confirm/", {"ids": [int("9" * 30)]}, format="json")

        assert response.status_code == 400
        assert "ids" in response.data


@pytest.mark.django_db(transaction=True)
def test_two_logs_for_the_same_day_at_once_cannot_both_skip_the_note(claim, provider):
    """The provider's row is locked (PostgreSQL) or writers serialise (SQLite IMMEDIATE)."""
    from duties import services

    def log_five_hours(_n):
        services.hours_log(claim=claim, date=date(YEAR, 3, 2), hours=Decimal(5), note="", by=provider)

    outcomes, _elapsed = run_all(range(2), code_or("logged", log_five_hours))

    assert outcomes == Counter({"logged": 1, "note_required": 1})
    assert HourLog.objects.count() == 1
