"""The OpenAPI schema documents the applications endpoints as they answer (schemathesis relies on it)."""

import pytest

from marketplace.applications.models import ApplicationStatus, Channel, HardshipBasis, MatterKind
from tests.applications.conftest import CHANNELS
from tests.conftest import CASE_KINDS

BASE = "/api/v1/applications/"


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("", "get", {"200", "400", "401", "403"}),
        ("", "post", {"201", "400", "401", "403"}),
        ("{id}/", "get", {"200", "401", "404"}),
        ("{id}/forward/", "post", {"200", "401", "403", "404", "409"}),
        ("{id}/request-materials/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("{id}/materials-received/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("{id}/decide/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("{id}/objection/", "post", {"201", "400", "401", "403", "404", "409"}),
        ("{id}/objection/decide/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("{id}/decision-letter/", "get", {"200", "401", "403", "404", "409"}),
        ("{id}/identity/", "get", {"200", "401", "403", "404"}),
    ],
)
def test_the_schema_documents_each_answer(schema, path, method, codes):
    assert codes <= set(schema["paths"][BASE + path][method]["responses"])


def test_the_enums_are_the_lists_of_api_md(schema):
    enums = schema["components"]["schemas"]
    assert set(enums["ApplicationChannelEnum"]["enum"]) == CHANNELS
    assert set(enums["HardshipBasisEnum"]["enum"]) == {
        "hardship_certified",
        "no_check_art32",
        "exempt_minor",
        "exempt_elderly_no_income",
        "exempt_disabled_no_income",
        "exempt_social_assistance",
        "exempt_migrant_wages",
        "exempt_work_injury",
        "criminal_notice",
        "other_exempt",
    }
    assert set(enums["MatterKindEnum"]["enum"]) == {*CASE_KINDS, "consultation", "document_drafting"}
    assert set(enums["ApplicationStatusEnum"]["enum"]) == set(ApplicationStatus.values)
    assert {"received", "under_review", "approved", "refused"} <= set(ApplicationStatus.values)
    assert set(Channel.values) == set(enums["ApplicationChannelEnum"]["enum"])
    assert set(HardshipBasis.values) == set(enums["HardshipBasisEnum"]["enum"])
    assert set(MatterKind.values) == set(enums["MatterKindEnum"]["enum"])


def test_the_clock_fields_are_published(schema):
    application = schema["components"]["schemas"]["Application"]
    for field in ("decision_due", "assign_due", "objection_due", "paused_days", "overdue"):
        assert field in application["required"]
    names = {p["name"] for p in schema["paths"][BASE]["get"]["parameters"]}
    assert {"status", "organization", "channel", "overdue", "due_before", "received_after"} <= names


def test_regulators_may_be_answered_without_the_parties(schema):
    detail = schema["components"]["schemas"]["ApplicationDetail"]
    assert "applicant" in detail["properties"] and "applicant" not in detail["required"]
    assert "opposing_party" not in detail["required"]


def test_a_case_task_publishes_its_application_and_assignment_due(schema):
    task = schema["components"]["schemas"]["TaskDetail"]["properties"]
    assert task["application"]["nullable"] and task["assign_due"]["format"] == "date"


def test_registration_documents_the_idempotency_key(schema):
    names = [p["name"] for p in schema["paths"][BASE]["post"].get("parameters", [])]
    assert "Idempotency-Key" in names


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/applications/stats/", "get", {"200", "400", "401", "403"}),
        ("/api/v1/firm-assignments/", "get", {"200", "400", "401"}),
        ("/api/v1/tasks/{id}/assign/", "post", {"201", "400", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/name-handler/", "post", {"201", "400", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/firm-assignment/withdraw/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("/api/v1/claims/{id}/decline/ruling/", "post", {"200", "400", "401", "403", "404", "409"}),
    ],
)
def test_the_schema_documents_the_assignment_endpoints(schema, path, method, codes):
    assert codes <= set(schema["paths"][path][method]["responses"])


def test_the_assignment_enums_and_the_assign_body(schema):
    components = schema["components"]["schemas"]
    assert set(components["FirmAssignmentStatusEnum"]["enum"]) == {"awaiting_handler", "handler_named", "withdrawn"}
    assert set(components["RefusalRulingEnum"]["enum"]) == {"pending", "accepted", "rejected"}
    assert {"volunteer", "law_firm"} <= set(components["AssignRequest"]["properties"])
    result = components["AssignResult"]
    assert len(result["oneOf"]) == 2
