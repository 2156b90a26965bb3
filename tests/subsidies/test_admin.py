"""The admin shows schedules, lines and batches and offers no change."""

import pytest

from duties.subsidies.models import SubsidyLine
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_subsidies_but_offers_no_change(client, schedule, close_case):
    line = SubsidyLine.objects.get(task=close_case())
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for page in ("subsidyline", "subsidyschedule", "subsidybatch"):
        assert client.get(f"/admin/subsidies/{page}/").status_code == 200
    assert client.get(f"/admin/subsidies/subsidyschedule/{schedule.pk}/change/").status_code == 200
    assert client.get(f"/admin/subsidies/subsidyline/{line.pk}/delete/").status_code == 403
    assert client.post(f"/admin/subsidies/subsidyline/{line.pk}/change/", {"amount": "1.00"}).status_code == 403
    line.refresh_from_db()
    assert line.amount is not None and str(line.amount) != "1.00"
