"""Applications fixtures on top of the suite's cast (tests/conftest.py).

- ``coordinator``: of the Changzhou legal aid centre (常州市, 320400): reviews and decides.
- ``station_coordinator``: of a station in the same region (the city trade union's station).
- ``regulator``: reviewer of the Changzhou justice bureau: sees the region's applications, decides
  objections, never sees identities.
- ``other_station_coordinator``: of a station in 苏州市, served by another centre.
- ``stranger``: signed in, no role.
- ``association_reviewer`` (of the lawyers' association: reads the region, decides no objection),
  ``second_coordinator``, ``other_centre_coordinator`` and ``suzhou_centre`` are the suite's.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications.identity import citizen_id_check_char
from marketplace.applications.models import (
    Application,
    ApplicationEvent,
    Decision,
    MaterialsRequest,
    Objection,
)
from marketplace.models import AidTask
from organizations.models import OrganizationKind, Role
from tests.conftest import member_of, organization
from tests.factories import OrganizationFactory, UserFactory, VolunteerFactory, member


def citizen_id(first17: str) -> str:
    return first17 + citizen_id_check_char(first17)


APPLICANT_ID = citizen_id("32040219800101123")
OPPOSING_ID = citizen_id("32040419750505432")
APPLICANT = {"name": "张秘密", "id_number": APPLICANT_ID, "phone": "13912345678", "address": "天宁区青果巷1号"}
OPPOSING = {"name": "常州某某建筑有限公司", "id_number": "91320400MA1XXXXX7Y"}
# The channels an application comes by, as docs/api.md lists them.
CHANNELS = {"walk_in", "station", "online", "phone", "court_notice", "procuratorate_notice", "police_notice"}


URL = "/api/v1/applications/{}/{}/"


def state(pk):
    """What a refused request must leave unchanged: the application, its records, the cases."""
    a = Application.objects.get(pk=pk)
    return (
        a.status,
        a.centre_id,
        a.number,
        a.decision_due,
        a.assign_due,
        a.objection_due,
        a.review_started_at,
        a.paused_days,
        a.case_id,
        ApplicationEvent.objects.filter(application=a).count(),
        Decision.objects.filter(application=a).count(),
        MaterialsRequest.objects.filter(application=a).count(),
        list(Objection.objects.filter(application=a).values_list("upheld", "decided_at")),
        AidTask.objects.count(),
    )


def post_changing_nothing(client, pk, action: str, data=None):
    """POST to ``action`` of application ``pk`` (JSON ``data``, if any), a request to be refused:
    asserts it left the application as it was (``state``); returns the response."""
    before = state(pk)
    response = client.post(URL.format(pk, action), data, format=None if data is None else "json")
    assert state(pk) == before
    return response


station = organization("常州市总工会法律援助工作站", OrganizationKind.TRADE_UNION, "changzhou")


station_coordinator = member_of("station", username="station", first_name="钱站长")


@pytest.fixture
def other_station_coordinator(regions, suzhou_centre):
    org = OrganizationFactory(
        name="苏州市妇联法律援助工作站", kind=OrganizationKind.WOMENS_FEDERATION, region=regions["suzhou"]
    )
    return member(org, username="suzhou_station", first_name="李站长")


@pytest.fixture
def body(legal_aid_center, regions):
    """A valid registration at the centre; tests change what they test."""

    def make(**changes):
        data = {
            "organization": legal_aid_center.pk,
            "channel": "walk_in",
            "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "matter_kind": "civil_representation",
            "category": "labor_wages",
            "beneficiary_group": "migrant_workers",
            "region": regions["tianning"].code,
            "summary": "农民工追索劳动报酬，工程完工后包工头拖欠工资三个月。",
            "applicant": dict(APPLICANT),
            "opposing_party": dict(OPPOSING),
            "court_or_agency": "常州市天宁区劳动人事争议仲裁委员会",
            "hardship_basis": "exempt_migrant_wages",
            "urgent": False,
            "attachments": ["身份证复印件", "劳动合同复印件"],
        }
        data.update(changes)
        return data

    return make


@pytest.fixture
def register(api_as, body):
    """Register through the API as ``user``; returns the response."""

    def make(user, **changes):
        return api_as(user).post("/api/v1/applications/", body(**changes), format="json")

    return make


@pytest.fixture
def registered(register, coordinator):
    """An application under review at the centre (its id)."""
    response = register(coordinator)
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def refused(api_as, coordinator, registered):
    response = api_as(coordinator).post(
        f"/api/v1/applications/{registered}/decide/",
        {"decision": "refuse", "reasons": "申请人家庭收入高于本市经济困难标准。"},
        format="json",
    )
    assert response.status_code == 200, response.content
    return registered


@pytest.fixture
def objected(api_as, coordinator, refused):
    response = api_as(coordinator).post(
        f"/api/v1/applications/{refused}/objection/", {"grounds": "收入证明计算有误。"}, format="json"
    )
    assert response.status_code == 201, response.content
    return refused


# --- assignment (phase 2) --------------------------------------------------------------------


law_firm = organization("江苏龙城律师事务所", OrganizationKind.LAW_FIRM, "tianning")
other_firm = organization("江苏明理律师事务所", OrganizationKind.LAW_FIRM, "zhonglou")


firm_director = member_of(
    "law_firm",
    Role.ADMIN,
    username="director",
    first_name="龙主任",
    doc="The law firm's director: an admin of the firm, who names the handler of its assignments.",
)


@pytest.fixture
def make_lawyer(regions):
    """A verified lawyer in 天宁区, licensed ten years ago unless told otherwise."""

    def make(**kwargs):
        kwargs.setdefault("region", regions["tianning"])
        kwargs.setdefault("licensed_on", timezone.localdate().replace(year=timezone.localdate().year - 10))
        kwargs.setdefault("user", UserFactory())
        return VolunteerFactory(**kwargs)

    return make


@pytest.fixture
def firm_lawyer(make_lawyer, law_firm):
    return make_lawyer(practice_org=law_firm, user=UserFactory(username="firm_lawyer", first_name="林律师"))


@pytest.fixture
def approve(api_as, register, coordinator):
    """Register at the centre and approve: returns (application id, case task id)."""

    def make(**changes):
        created = register(coordinator, **changes)
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        decided = api_as(coordinator).post(f"/api/v1/applications/{pk}/decide/", {"decision": "approve"}, format="json")
        assert decided.status_code == 200, decided.content
        return pk, decided.json()["case"]

    return make


@pytest.fixture
def earlier_client_of(api_as, approve, coordinator):
    """``earlier_client_of(lawyer)``: an approved matter of the applicant 张秘密 whose case the
    centre assigned to ``lawyer``; returns its application's number."""

    def make(lawyer):
        pk, case = approve()
        response = api_as(coordinator).post(f"/api/v1/tasks/{case}/assign/", {"volunteer": lawyer.pk}, format="json")
        assert response.status_code == 201, response.content
        return Application.objects.get(pk=pk).number

    return make


@pytest.fixture
def against_earlier_client(approve):
    """An approved matter whose opposing party is 张秘密 (spelt with a space, full-width), the
    applicant of ``earlier_client_of``: (application id, case id)."""
    return approve(
        opposing_party={"name": "张 秘密"},
        applicant={"name": "赵新", "id_number": citizen_id("32040219900101123")},
    )
