"""The duty ledger: append-only, hash-chained, tamper-evident."""

import threading
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from duties import services
from duties.ledger import GENESIS, verify
from duties.models import DutyEntry, EntryKind, LedgerIsAppendOnly
from tests.conftest import run_all
from tests.duties.conftest import YEAR, fresh_client, make_case_claim, make_log
from tests.factories import AnnualReviewFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.postgres(reason="the trigger exists on PostgreSQL only")


@pytest.fixture
def chain(claim, coordinator, midyear_now):
    """Five confirmed hour credits: entries 1..5 of the chain."""
    entries = []
    for d in range(1, 6):
        log = make_log(claim, on=date(YEAR, 4, d), hours=f"{d}.25")
        services.hours_confirm(log=log, by=coordinator, now=midyear_now)
        entries.append(DutyEntry.objects.get(hour_log=log))
    return entries


def raw(sql, params=()):
    """Tamper the way an attacker with database access would: plain SQL, triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Replica mode skips ordinary triggers (ours included) for this session only; an
            # ALTER TABLE ... DISABLE TRIGGER would clash with the test transaction's deferred checks.
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def run_verify():
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    return out.getvalue()


class TestChain:
    def test_each_entry_links_to_the_one_before(self, chain):
        assert chain[0].prev_hash == GENESIS
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.prev_hash == before.hash
        assert len({e.hash for e in chain}) == 5

    def test_an_intact_ledger_verifies(self, chain):
        assert "Ledger intact: 5 entries" in run_verify()

    def test_an_empty_ledger_verifies(self):
        assert "Ledger intact: 0 entries" in run_verify()

    def test_changed_hours_are_caught_at_that_entry(self, chain):
        raw("UPDATE duties_dutyentry SET hours = 9.25 WHERE id = %s", [chain[2].pk])

        with pytest.raises(CommandError, match=rf"entry {chain[2].pk} \(changed\)"):
            run_verify()

    def test_a_changed_volunteer_is_caught(self, chain, regions):
        other = VolunteerFactory(region=regions["tianning"])
        raw("UPDATE duties_dutyentry SET volunteer_id = %s WHERE id = %s", [other.pk, chain[1].pk])

        result = verify()

        assert (result.problem.entry_id, result.problem.problem) == (chain[1].pk, "changed")

    def test_a_rehashed_entry_is_caught_at_the_next_one(self, chain):
        # The attacker recomputes the changed row's own hash; the next row still links to the old one.
        raw("UPDATE duties_dutyentry SET hash = %s WHERE id = %s", ["f" * 64, chain[2].pk])

        result = verify()

        assert result.problem.entry_id in (chain[2].pk, chain[3].pk)
        assert not result.ok

    def test_a_deleted_entry_is_caught_at_the_next_one(self, chain):
        raw("DELETE FROM duties_dutyentry WHERE id = %s", [chain[1].pk])

        with pytest.raises(CommandError, match=rf"entry {chain[2].pk} \(deleted_or_reordered\)"):
            run_verify()

    def test_reordered_entries_are_caught(self, chain):
        # Swap the content of two rows (ids stay): the chain no longer runs in id order.
        a, b = chain[1], chain[2]
        cols = "volunteer_id, year, occurred_on, kind, hours, cases, hour_log_id, claim_id, created_at, prev_hash, hash"
        rows = {}
        with connection.cursor() as cursor:
            for e in (a, b):
                cursor.execute(f"SELECT {cols} FROM duties_dutyentry WHERE id = %s", [e.pk])  # noqa: S608
                rows[e.pk] = cursor.fetchone()
        sets = ", ".join(f"{c} = %s" for c in cols.split(", "))
        # The unique hash and hour_log columns need a free value while the two rows trade places.
        raw("UPDATE duties_dutyentry SET hash = 'x', hour_log_id = NULL WHERE id = %s", [a.pk])
        raw(f"UPDATE duties_dutyentry SET {sets} WHERE id = %s", [*rows[a.pk], b.pk])  # noqa: S608
        raw(f"UPDATE duties_dutyentry SET {sets} WHERE id = %s", [*rows[b.pk], a.pk])  # noqa: S608

        result = verify()

        assert result.problem.entry_id == a.pk
        assert result.problem.problem == "deleted_or_reordered"

    def test_deleting_the_newest_entries_is_caught_by_a_recorded_chain_head(self, chain, regions, midyear_now):
        AnnualReviewFactory(
            volunteer=chain[0].volunteer,
            year=YEAR,
            region=regions["tianning"],
            status="compliant",
            opened_at=midyear_now,
            ledger_head_hash=chain[-1].hash,
        )
        raw("DELETE FROM duties_dutyentry WHERE id = %s", [chain[-1].pk])

        with pytest.raises(CommandError, match="head_missing"):
            run_verify()


class TestAppendOnly:
    def test_saving_an_existing_entry_is_refused(self, chain):
        entry = chain[0]
        entry.hours = Decimal(100)

        with pytest.raises(LedgerIsAppendOnly):
            entry.save()

    def test_deleting_an_entry_is_refused(self, chain):
        with pytest.raises(LedgerIsAppendOnly):
            chain[0].delete()
        with pytest.raises(LedgerIsAppendOnly):
            DutyEntry.objects.filter(pk=chain[0].pk).delete()

    def test_bulk_updates_are_refused(self, chain):
        with pytest.raises(LedgerIsAppendOnly):
            DutyEntry.objects.update(hours=0)
        assert DutyEntry.objects.filter(hours=0).count() == 0

    @on_postgres
    def test_the_database_refuses_update_and_delete_on_postgresql(self, chain):
        for sql in (
            "UPDATE duties_dutyentry SET hours = 0 WHERE id = %s",
            "DELETE FROM duties_dutyentry WHERE id = %s",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [chain[0].pk])
        assert DutyEntry.objects.get(pk=chain[0].pk).hours == Decimal("1.25")


class TestReverse:
    def test_a_regulator_reverses_an_entry_with_a_reason(self, api_as, regulator, chain):
        response = api_as(regulator).post(
            f"/api/v1/ledger/{chain[0].pk}/reverse/", {"reason": "重复登记"}, format="json"
        )

        assert response.status_code == 201, response.data
        assert response.data["kind"] == "reversal"
        assert response.data["hours"] == "-1.25"
        assert response.data["reverses"] == chain[0].pk
        assert response.data["prev_hash"] == chain[-1].hash
        assert "Ledger intact: 6 entries" in run_verify()

    def test_a_reason_is_required(self, api_as, regulator, chain):
        response = api_as(regulator).post(f"/api/v1/ledger/{chain[0].pk}/reverse/", {}, format="json")

        assert response.status_code == 400
        assert "reason" in response.data
        assert DutyEntry.objects.count() == 5

    def test_an_entry_is_reversed_once(self, api_as, regulator, chain):
        client = api_as(regulator)
        client.post(f"/api/v1/ledger/{chain[0].pk}/reverse/", {"reason": "x"}, format="json")

        again = client.post(f"/api/v1/ledger/{chain[0].pk}/reverse/", {"reason": "x"}, format="json")

        assert again.status_code == 409
        assert again.data["code"] == "already_reversed"
        assert DutyEntry.objects.count() == 6

    def test_the_provider_may_see_the_entry_but_not_reverse_it(self, api_as, provider, chain):
        response = api_as(provider).post(f"/api/v1/ledger/{chain[0].pk}/reverse/", {"reason": "x"}, format="json")

        assert response.status_code == 403
        assert DutyEntry.objects.count() == 5

    def test_a_regulator_of_another_region_gets_404(self, api_as, other_regulator, coordinator, chain):
        for user in (other_regulator, coordinator):
            response = api_as(user).post(f"/api/v1/ledger/{chain[0].pk}/reverse/", {"reason": "x"}, format="json")
            assert response.status_code == 404
        assert DutyEntry.objects.count() == 5

    def test_anonymous_is_401_and_get_is_405(self, api, api_as, regulator, chain):
        assert api.post(f"/api/v1/ledger/{chain[0].pk}/reverse/", {"reason": "x"}).status_code == 401
        assert api_as(regulator).get(f"/api/v1/ledger/{chain[0].pk}/reverse/").status_code == 405


class TestLedgerList:
    def test_the_provider_reads_own_entries_with_hashes(self, api_as, provider, chain):
        response = api_as(provider).get("/api/v1/ledger/")

        assert response.status_code == 200
        assert response.data["count"] == 5
        first = response.data["results"][0]
        assert {"hours", "cases", "kind", "hash", "prev_hash"} <= set(first)

    def test_regulators_read_their_region_only(self, api_as, regulator, other_regulator, chain):
        assert api_as(regulator).get("/api/v1/ledger/").data["count"] == 5
        assert api_as(other_regulator).get("/api/v1/ledger/").data["count"] == 0

    def test_another_provider_sees_none_of_it(self, api_as, regions, chain):
        other = VolunteerFactory(region=regions["tianning"])

        assert api_as(other.user).get("/api/v1/ledger/").data["count"] == 0
        assert api_as(other.user).get(f"/api/v1/ledger/{chain[0].pk}/").status_code == 404

    def test_coordinators_and_strangers_are_the_wrong_role(self, api_as, coordinator, stranger, chain):
        for user in (coordinator, stranger):
            assert api_as(user).get("/api/v1/ledger/").status_code == 403

    def test_anonymous_is_401(self, api):
        assert api.get("/api/v1/ledger/").status_code == 401

    def test_filters_by_year_and_volunteer(self, api_as, regulator, chain):
        client = api_as(regulator)

        assert client.get("/api/v1/ledger/", {"year": YEAR}).data["count"] == 5
        assert client.get("/api/v1/ledger/", {"year": YEAR - 1}).data["count"] == 0
        assert client.get("/api/v1/ledger/", {"volunteer": chain[0].volunteer_id}).data["count"] == 5
        assert client.get("/api/v1/ledger/", {"year": "x"}).status_code == 400

    def test_the_query_count_does_not_depend_on_the_page_size(self, api_as, regulator, chain, page_queries):
        ten, hundred = page_queries(fresh_client(api_as, regulator), "/api/v1/ledger/")

        assert ten == hundred

    def test_post_is_405(self, api_as, regulator):
        assert api_as(regulator).post("/api/v1/ledger/", {}).status_code == 405


@pytest.mark.django_db(transaction=True)
class TestConcurrentAppends:
    def _append_in_threads(self, claims, coordinator, now):
        """A case credited for each of ``claims`` at once, one thread each: the outcomes counted."""

        def credit(claim):
            services.duty_credit_case(claim=claim, by=coordinator, now=now)
            return "credited"

        outcomes, _elapsed = run_all(claims, credit)
        return outcomes

    def test_concurrent_appends_never_fork_the_chain(
        self, legal_aid_center, provider_volunteer, coordinator, midyear_now
    ):
        claims = [make_case_claim(legal_aid_center, provider_volunteer) for _ in range(4)]

        outcomes = self._append_in_threads(claims, coordinator, midyear_now)

        assert outcomes == Counter({"credited": 4})
        assert DutyEntry.objects.filter(kind=EntryKind.CASE).count() == 4
        prev = list(DutyEntry.objects.values_list("prev_hash", flat=True))
        assert len(set(prev)) == 4
        assert verify().ok

    @pytest.mark.postgres(
        reason="SQLite serialises writers with IMMEDIATE transactions; the race needs concurrent writers"
    )
    def test_without_the_lock_two_appends_can_link_to_the_same_row(
        self, legal_aid_center, provider_volunteer, coordinator, midyear_now, monkeypatch
    ):
        """Control: with the lock removed and reads interleaved, the chain forks."""
        monkeypatch.setattr(services, "_lock_ledger", lambda: None)
        barrier = threading.Barrier(2)
        original = DutyEntry.save

        def slow_save(self, *args, **kwargs):
            barrier.wait(timeout=10)  # both have read the same previous hash by now
            return original(self, *args, **kwargs)

        monkeypatch.setattr(DutyEntry, "save", slow_save)
        claims = [make_case_claim(legal_aid_center, provider_volunteer) for _ in range(2)]

        self._append_in_threads(claims, coordinator, midyear_now)

        prevs = list(DutyEntry.objects.values_list("prev_hash", flat=True))
        assert len(prevs) == 2
        assert prevs[0] == prevs[1]
        assert not verify().ok
