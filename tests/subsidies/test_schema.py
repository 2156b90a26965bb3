"""The OpenAPI schema documents the subsidy and inspection endpoints as they answer."""

import pytest


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/subsidy-schedules/", "get", {"200", "400", "401", "403"}),
        ("/api/v1/subsidy-schedules/", "post", {"201", "400", "401", "403"}),
        ("/api/v1/subsidy-schedules/{id}/", "get", {"200", "401", "403", "404"}),
        ("/api/v1/subsidies/", "get", {"200", "400", "401", "403"}),
        ("/api/v1/subsidies/{id}/", "get", {"200", "401", "403", "404"}),
        ("/api/v1/subsidies/{id}/recompute/", "get", {"200", "401", "403", "404"}),
        ("/api/v1/subsidies/{id}/reprice/", "post", {"200", "401", "403", "404", "409"}),
        ("/api/v1/subsidies/{id}/reverse/", "post", {"201", "400", "401", "403", "404", "409"}),
        ("/api/v1/subsidy-batches/", "get", {"200", "400", "401", "403"}),
        ("/api/v1/subsidy-batches/", "post", {"201", "400", "401", "403", "404"}),
        ("/api/v1/subsidy-batches/{id}/paid/", "post", {"200", "401", "403", "404", "409"}),
        ("/api/v1/subsidy-batches/{id}/export/", "get", {"200", "401", "403", "404"}),
        ("/api/v1/reports/inspection/", "get", {"200", "400", "401", "403"}),
    ],
)
def test_the_schema_documents_each_answer(schema, path, method, codes):
    assert codes <= set(schema["paths"][path][method]["responses"])


def test_a_schedule_lists_its_rates_and_multipliers(schema):
    props = schema["components"]["schemas"]["SubsidySchedule"]["properties"]
    assert {"year", "region", "version", "lines", "duty_half_day", "quality_multipliers"} <= set(props)


def test_a_line_without_a_criminal_stage_answers_blank_as_the_schema_allows(schema):
    # Civil cases and duty shifts have no stage: "" must be a documented value (schemathesis found it was not).
    stage = schema["components"]["schemas"]["SubsidyLine"]["properties"]["stage"]
    allowed = set()
    for option in stage.get("oneOf", [stage]):
        target = schema["components"]["schemas"][option["$ref"].split("/")[-1]] if "$ref" in option else option
        allowed |= set(target.get("enum", []))
    assert {"", "investigation", "prosecution", "trial"} <= allowed
