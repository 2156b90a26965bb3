"""Every phase-1 path of an application, end to end through the API, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications import clock
from marketplace.applications.models import Application, IdentityAccess
from marketplace.models import AidTask

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_phase_one_path(api_as, register, coordinator, station_coordinator, regulator, station):
    centre, bureau = api_as(coordinator), api_as(regulator)
    today = timezone.localdate()

    def days(n):
        return clock.add_days(today, n, counting="calendar").isoformat()

    def post(client, pk, path, data=None, expect=200):
        response = client.post(f"/api/v1/applications/{pk}/{path}/", data or {}, format="json")
        assert response.status_code == expect, response.content
        return response.json()

    # Approve: the case task is created, to be assigned within 3 days.
    approved = register(coordinator).json()
    body = post(centre, approved["id"], "decide", {"decision": "approve", "reasons": "符合条件"})
    assert (body["status"], body["assign_due"]) == ("approved", days(3))
    assert AidTask.objects.get(pk=body["case"]).status == "draft"

    # Refuse, and the objection is rejected: the refusal stands.
    rejected = register(coordinator).json()
    post(centre, rejected["id"], "decide", {"decision": "refuse", "reasons": "不符合经济困难标准"})
    body = post(centre, rejected["id"], "objection", {"grounds": "收入计算有误"}, expect=201)
    assert (body["status"], body["objection_due"]) == ("objection_pending", days(5))
    body = post(bureau, rejected["id"], "objection/decide", {"upheld": False, "reasons": "维持"})
    assert body["status"] == "refused" and body["case"] is None

    # Refuse, the objection is upheld: the review reopens, and the centre approves.
    upheld = register(coordinator).json()
    post(centre, upheld["id"], "decide", {"decision": "refuse", "reasons": "不符合条件"})
    post(centre, upheld["id"], "objection", {"grounds": "属于农民工追索劳动报酬，免予审查"}, expect=201)
    body = post(bureau, upheld["id"], "objection/decide", {"upheld": True, "reasons": "责令改正"})
    assert (body["status"], body["decision_due"]) == ("under_review", days(7))
    body = post(centre, upheld["id"], "decide", {"decision": "approve"})
    assert body["status"] == "approved" and body["case"] is not None

    # Missing materials: the clock stops for the days they took.
    paused = register(coordinator, received_at=(timezone.now() - timedelta(days=2)).isoformat()).json()
    post(centre, paused["id"], "request-materials", {"items": ["收入证明"]})
    paused_request = Application.objects.get(pk=paused["id"]).materials_requests.get()
    paused_request.requested_at -= timedelta(days=4)
    paused_request.save()
    body = post(centre, paused["id"], "materials-received")
    assert body["paused_days"] == 4
    assert body["decision_due"] == clock.add_days(today - timedelta(days=2), 7 + 4, counting="calendar").isoformat()
    assert body["overdue"] is False

    # Urgent (Art. 44): the case exists before the decision, which comes after.
    urgent = register(coordinator, urgent=True).json()
    assert urgent["status"] == "under_review" and urgent["case"] is not None
    body = post(centre, urgent["id"], "decide", {"decision": "approve"})
    assert body["case"] == urgent["case"]

    # A court notice (Art. 36): assigned, and so decided, within 3 days of the notice.
    notice = register(
        coordinator, channel="court_notice", hardship_basis="criminal_notice", matter_kind="criminal_defense"
    ).json()
    assert (notice["decision_due"], notice["assign_due"]) == (days(3), days(3))
    body = post(centre, notice["id"], "decide", {"decision": "approve"})
    assert body["assign_due"] == days(3)
    assert AidTask.objects.get(pk=body["case"]).eligible_kinds == ["lawyer"]

    # A station registers and forwards; the centre reviews and decides.
    forwarded = register(station_coordinator, organization=station.pk).json()
    assert forwarded["status"] == "received"
    body = post(api_as(station_coordinator), forwarded["id"], "forward")
    assert body["status"] == "under_review" and body["number"]
    post(centre, forwarded["id"], "decide", {"decision": "refuse", "reasons": "不属于法律援助范围"})

    # The letters, and the centre's list: nothing overdue, every number unique.
    for pk in (approved["id"], rejected["id"], forwarded["id"]):
        assert centre.get(f"/api/v1/applications/{pk}/decision-letter/").status_code == 200
    listed = centre.get("/api/v1/applications/?page_size=100").json()
    assert listed["count"] == 7
    assert len({row["number"] for row in listed["results"]}) == 7
    assert centre.get("/api/v1/applications/?overdue=true").json()["count"] == 0
    assert IdentityAccess.objects.filter(via="decision_letter").count() == 3
    assert dict(bureau.get("/api/v1/applications/?status=approved").json(), results=None)["count"] == 4
