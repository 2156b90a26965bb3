"""The OpenAPI schema documents the marketplace endpoints as they answer (schemathesis relies on it)."""

import pytest


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/tasks/", "get", {"200", "400", "404"}),
        ("/api/v1/tasks/", "post", {"201", "400", "401", "403", "409"}),
        ("/api/v1/tasks/{id}/", "patch", {"200", "400", "401", "404", "409"}),
        ("/api/v1/tasks/{id}/claims/", "post", {"201", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/assign/", "post", {"201", "400", "401", "403", "404", "409"}),
        ("/api/v1/tasks/{id}/candidates/", "get", {"200", "401", "403", "404"}),
        ("/api/v1/claims/{id}/decline/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("/api/v1/claims/{id}/confirm-no-conflict/", "post", {"200", "401", "403", "404", "409"}),
        ("/api/v1/assignments/declined/", "get", {"200", "401", "403"}),
    ],
)
def test_the_schema_documents_each_answer(schema, path, method, codes):
    assert codes <= set(schema["paths"][path][method]["responses"])


def test_creating_posts_document_the_idempotency_key(schema):
    for path in ("/api/v1/tasks/", "/api/v1/tasks/{id}/claims/", "/api/v1/tasks/{id}/assign/"):
        names = [p["name"] for p in schema["paths"][path]["post"].get("parameters", [])]
        assert "Idempotency-Key" in names


def test_put_and_delete_are_not_offered_on_tasks(schema):
    assert not {"put", "delete"} & set(schema["paths"]["/api/v1/tasks/{id}/"])
