"""The OpenAPI schema documents the case endpoints as they answer (schemathesis relies on it)."""

import pytest


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/tasks/{id}/milestones/", "get", {"200", "401", "404"}),
        ("/api/v1/tasks/{id}/milestones/", "post", {"201", "400", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/documents/", "get", {"200", "401", "404"}),
        ("/api/v1/tasks/{id}/documents/", "post", {"201", "400", "401", "403", "404", "409", "413"}),
        ("/api/v1/documents/{id}/", "get", {"200", "401", "404"}),
        ("/api/v1/tasks/{id}/closing/", "post", {"201", "400", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/closing/review/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/terminate/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/evaluations/", "get", {"200", "401", "404"}),
        ("/api/v1/tasks/{id}/evaluations/", "post", {"201", "400", "401", "403", "404", "409"}),
    ],
)
def test_the_schema_documents_each_answer(schema, path, method, codes):
    assert codes <= set(schema["paths"][path][method]["responses"])


def test_the_upload_is_multipart_and_the_download_names_its_types(schema):
    upload = schema["paths"]["/api/v1/tasks/{id}/documents/"]["post"]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"]
    download = schema["paths"]["/api/v1/documents/{id}/"]["get"]["responses"]["200"]["content"]
    assert set(download) == {"application/pdf", "image/jpeg", "image/png"}


def test_the_enums_are_the_lists_of_api_md(schema):
    enums = schema["components"]["schemas"]
    assert set(enums["MilestoneKindEnum"]["enum"]) == {
        "met_client",
        "filed",
        "hearing",
        "judgment",
        "agreement",
        "other",
    }
    assert set(enums["ClosingOutcomeEnum"]["enum"]) == {
        "supported",
        "partly_supported",
        "settled",
        "not_supported",
        "withdrawn",
        "other",
    }
    assert set(enums["QualityGradeEnum"]["enum"]) == {"excellent", "good", "pass", "fail"}
    assert "closing_review" in enums["TaskStatusEnum"]["enum"] and "terminated" in enums["TaskStatusEnum"]["enum"]


def test_a_case_task_publishes_its_handler_and_closing_due(schema):
    task = schema["components"]["schemas"]["TaskDetail"]["properties"]
    assert task["handler"]["nullable"] and task["closing_due"]["format"] == "date"
