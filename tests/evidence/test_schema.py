"""The OpenAPI schema documents the evidence request endpoints as they answer."""

import pytest

BASE = "/api/v1/evidence-requests/"


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("", "get", {"200", "400", "401", "403"}),
        ("", "post", {"201", "400", "401", "403", "409"}),
        ("{id}/", "get", {"200", "401", "404"}),
        ("{id}/respond/", "post", {"200", "400", "401", "403", "404", "409"}),
        ("{id}/letter/", "get", {"200", "401", "404"}),
        ("{id}/documents/", "post", {"201", "400", "401", "403", "404", "409", "413"}),
    ],
)
def test_the_schema_documents_each_answer(schema, path, method, codes):
    assert codes <= set(schema["paths"][BASE + path][method]["responses"])


def test_the_letter_is_a_pdf(schema):
    assert "application/pdf" in schema["paths"][BASE + "{id}/letter/"]["get"]["responses"]["200"]["content"]


def test_the_statuses(schema):
    assert set(schema["components"]["schemas"]["EvidenceRequestStatusEnum"]["enum"]) == {
        "pending",
        "provided",
        "refused",
    }
