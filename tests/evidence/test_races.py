"""Evidence races on SQLite and PostgreSQL: letter numbers never repeat, and a request is answered
once. Real threads, each with its own connection, on a transactional database; the control
shows that without the issuer's row lock the same race hands out one number twice."""

from collections import Counter

import pytest

from marketplace.evidence import services
from marketplace.evidence.models import EvidenceRequest
from tests.conftest import code_or, run_all, unlocked_give_number

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RACERS = 8


def race(action) -> Counter:
    """``action(n)`` run by RACERS threads at once: "done", or the code of the refusal."""
    outcomes, _elapsed = run_all(range(RACERS), code_or("done", action))
    return outcomes


def ask(case, department, provider):
    return lambda n: services.evidence_request_create(
        task=case, department=department, items=[f"材料{n}"], purpose="p", by=provider
    )


def test_racing_requests_get_consecutive_unique_numbers(case, police_department, provider):
    assert race(ask(case, police_department, provider)) == {"done": RACERS}
    assert sorted(EvidenceRequest.objects.values_list("number_sequence", flat=True)) == list(range(1, RACERS + 1))


def test_racing_answers_answer_once(evidence, police):
    def answer(n):
        stale = EvidenceRequest.objects.get(pk=evidence.pk)
        services.evidence_request_respond(
            request=stale, provided=n % 2 == 0, fee_waived=True, note=f"答复{n}", by=police
        )

    outcomes = race(answer)

    assert outcomes == {"done": 1, "already_answered": RACERS - 1}
    assert EvidenceRequest.objects.get(pk=evidence.pk).answered_at is not None


@pytest.mark.postgres(reason="needs PostgreSQL (row locks)")
def test_control_without_the_issuers_lock_a_number_is_handed_out_twice(case, police_department, provider, monkeypatch):
    monkeypatch.setattr(services, "_give_number", unlocked_give_number(EvidenceRequest, "常援调"))

    outcomes = race(ask(case, police_department, provider))

    assert outcomes["error:IntegrityError"] > 0
    assert EvidenceRequest.objects.count() < RACERS
