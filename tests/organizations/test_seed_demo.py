import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from duties.models import AnnualReview, DutyEntry, HourLog
from marketplace.models import AidTask, Claim
from organizations.models import Membership, Organization, OrganizationKind, Region
from volunteers.models import Volunteer, VolunteerKind


def _snapshot():
    return {
        "users": sorted(User.objects.values_list("username", "password")),
        "regions": Region.objects.count(),
        "organizations": Organization.objects.count(),
        "memberships": Membership.objects.count(),
        "volunteers": sorted(Volunteer.objects.values_list("licence_number", "status")),
        "tasks": AidTask.objects.count(),
        "claims": sorted(Claim.objects.values_list("task_id", "volunteer_id", "status")),
        "hour_logs": HourLog.objects.count(),
        "ledger": list(DutyEntry.objects.values_list("hash", flat=True)),
        "reviews": sorted(AnnualReview.objects.values_list("volunteer_id", "year", "status", "certificate_code")),
    }


@pytest.mark.django_db(transaction=True)
def test_seed_demo_loads_changzhou_and_a_second_run_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first

    assert set(Region.objects.values_list("code", flat=True)) >= {
        "320000",
        "320400",
        "320402",
        "320404",
        "320411",
        "320412",
        "320413",
        "320481",
    }
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds >= {k for k in OrganizationKind.values if k != "government_department"}
    assert 35 <= Volunteer.objects.count() <= 50
    assert set(Volunteer.objects.values_list("kind", flat=True)) == set(VolunteerKind.values)
    assert User.objects.get(username="lawyer01").check_password("legalaid-demo-2026")
