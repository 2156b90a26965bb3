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
        coordinator,
        channel="court_notice",
        hardship_basis="criminal_notice",
        matter_kind="criminal_defense",
        received_at=timezone.now().isoformat(),  # received today, also in the hour after midnight
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


def test_every_assignment_path(api_as, register, coordinator, law_firm, firm_director, make_lawyer, regulator, approve):
    """One matter through the assignment's paths: a conflict refused, a law firm naming a handler,
    the handler's refusal rejected (kept) then another matter's refusal accepted (reassigned)."""
    centre, director = api_as(coordinator), api_as(firm_director)
    former = make_lawyer(practice_org=law_firm)
    firm_lawyer = make_lawyer(practice_org=law_firm)
    other = make_lawyer()

    def post(client, path, data=None, expect=200):
        response = client.post(path, data or {}, format="json")
        assert response.status_code == expect, response.content
        return response.json()

    # An earlier matter of 张秘密, handled by ``former``.
    earlier_pk, earlier_case = approve()
    post(centre, f"/api/v1/tasks/{earlier_case}/assign/", {"volunteer": former.pk}, expect=201)
    earlier_number = Application.objects.get(pk=earlier_pk).number

    # The matter against 张秘密: ``former`` is refused, by the centre and when the firm names him.
    pk, case = approve(opposing_party={"name": "张秘密"}, applicant={"name": "赵新", "id_number": ""})
    refused = centre.post(f"/api/v1/tasks/{case}/assign/", {"volunteer": former.pk}, format="json")
    assert refused.status_code == 409 and earlier_number in refused.json()["detail"]
    body = post(centre, f"/api/v1/tasks/{case}/assign/", {"law_firm": law_firm.pk}, expect=201)
    assert body["status"] == "awaiting_handler"
    named = director.post(f"/api/v1/tasks/{case}/name-handler/", {"volunteer": former.pk}, format="json")
    assert named.status_code == 409 and named.json()["code"] == "conflict_of_interest"
    claim = post(director, f"/api/v1/tasks/{case}/name-handler/", {"volunteer": firm_lawyer.pk}, expect=201)
    detail = centre.get(f"/api/v1/applications/{pk}/").json()
    assert detail["assigned_on_time"] is True and detail["firm_assignment"]["status"] == "handler_named"

    # The handler refuses without a good reason: rejected, the handler keeps the case.
    handler = api_as(firm_lawyer.user)
    post(handler, f"/api/v1/claims/{claim['id']}/decline/", {"reason": "案件太多"})
    body = post(centre, f"/api/v1/claims/{claim['id']}/decline/ruling/", {"accepted": False})
    assert (body["status"], body["refusal"]["ruling"]) == ("accepted", "rejected")

    # Another matter's handler refuses with a good reason: accepted, reassigned.
    second_pk, second_case = approve()
    claim = post(centre, f"/api/v1/tasks/{second_case}/assign/", {"volunteer": other.pk}, expect=201)
    post(api_as(other.user), f"/api/v1/claims/{claim['id']}/decline/", {"reason": "与对方当事人有亲属关系"})
    body = post(centre, f"/api/v1/claims/{claim['id']}/decline/ruling/", {"accepted": True})
    assert body["status"] == "declined"
    post(centre, f"/api/v1/tasks/{second_case}/assign/", {"volunteer": former.pk}, expect=201)

    rulings = {
        r["reason"]: r["ruling"] for r in api_as(regulator).get("/api/v1/assignments/declined/").json()["results"]
    }
    assert rulings == {"案件太多": "rejected", "与对方当事人有亲属关系": "accepted"}
    stats = api_as(regulator).get("/api/v1/applications/stats/").json()
    assert (stats["assigned"], stats["assigned_within_time"], stats["overdue_now"]) == (3, 3, 0)
