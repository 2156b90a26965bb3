import pytest

from duties import services
from duties.models import DutyEntry
from tests.duties.conftest import make_log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_the_ledger_but_offers_no_change(client, claim, coordinator, midyear_now):
    log = services.hours_confirm(log=make_log(claim), by=coordinator, now=midyear_now)
    entry = DutyEntry.objects.get(hour_log=log)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get("/admin/duties/dutyentry/")
    delete = client.get(f"/admin/duties/dutyentry/{entry.pk}/delete/")

    assert listing.status_code == 200
    assert delete.status_code == 403
