"""Each predicate of a provider for every status, and the statuses a regulator sets: one home each
(volunteers.models). The expected tables are written out here, not derived from the sets."""

import pytest

from volunteers.models import DUTY_BOUND_STATUSES, VERIFY_CHOICES, VERIFY_STATUSES, Volunteer, VolunteerStatus

V = VolunteerStatus

PROVIDER_PREDICATES = {
    "is_verified": {V.VERIFIED},
    "awaits_verification": {V.PENDING},
    "is_barred": {V.SUSPENDED, V.REVOKED},
}


@pytest.mark.parametrize("status", list(VolunteerStatus))
@pytest.mark.parametrize("predicate", list(PROVIDER_PREDICATES))
def test_each_provider_predicate_holds_in_its_statuses_only(predicate, status):
    assert getattr(Volunteer(status=status), predicate) is (status in PROVIDER_PREDICATES[predicate])


def test_verified_and_suspended_providers_had_a_duty():
    # The annual review opens for them and the compliance report counts them.
    assert {V.VERIFIED, V.SUSPENDED} == DUTY_BOUND_STATUSES


def test_a_regulator_sets_verified_suspended_or_revoked_in_that_order_with_their_words():
    assert {V.VERIFIED, V.SUSPENDED, V.REVOKED} == VERIFY_STATUSES
    assert [value for value, _label in VERIFY_CHOICES] == ["verified", "suspended", "revoked"]
    assert [str(label) for _value, label in VERIFY_CHOICES] == ["Verified", "Suspended", "Revoked"]
