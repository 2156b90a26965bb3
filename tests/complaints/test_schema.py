"""The OpenAPI schema documents the complaints endpoints as they answer (schemathesis relies on it),
and says how a tracking code and an id are told apart."""

import pytest

BASE = "/api/v1/complaints/"


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("", "get", {"200", "400", "401", "403", "429"}),
        ("", "post", {"201", "400", "409", "413", "429"}),
        ("{code}/", "get", {"200", "404", "429"}),
        ("{id}/start/", "post", {"200", "401", "403", "404", "409"}),
        ("{id}/resolve/", "post", {"200", "400", "401", "403", "404", "409"}),
    ],
)
def test_the_schema_documents_each_answer(schema, path, method, codes):
    assert codes <= set(schema["paths"][BASE + path][method]["responses"])


def test_codes_and_ids_are_told_apart_in_the_schema(schema):
    [code] = schema["paths"][BASE + "{code}/"]["get"]["parameters"]
    assert code["schema"]["type"] == "string" and code["schema"]["pattern"] == "[A-Za-z]"
    assert "letter" in code["description"]
    [pk] = [p for p in schema["paths"][BASE + "{id}/resolve/"]["post"]["parameters"] if p["name"] == "id"]
    assert pk["schema"]["type"] == "integer"


def test_filing_and_tracking_need_no_sign_in(schema):
    for path, method in (("", "post"), ("{code}/", "get")):
        assert {} in schema["paths"][BASE + path][method]["security"]


def test_the_public_answer_has_no_contact(schema):
    public = schema["components"]["schemas"]["ComplaintPublic"]["properties"]
    assert "contact" not in public and "text" not in public
    assert "contact" in schema["components"]["schemas"]["Complaint"]["properties"]
