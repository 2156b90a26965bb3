"""Under uvicorn (ASGI) the exports go out a part at a time, not read whole into memory first."""

import asyncio
import csv
import io

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from marketplace.asgi import application
from volunteers.models import Volunteer

PROVIDERS = 1200  # more than two of the streaming batches (500 rows each)


def _many_providers(region):
    users = User.objects.bulk_create([User(username=f"bulk{i}", first_name=f"律师{i}") for i in range(PROVIDERS)])
    Volunteer.objects.bulk_create(
        [
            Volunteer(user=u, kind="lawyer", licence_number=f"9{i:016d}", region=region, status="verified")
            for i, u in enumerate(users)
        ]
    )


async def _get(path: str, query: bytes, token: str, on_first_body=lambda: None) -> list[dict]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": [(b"host", b"testserver"), (b"authorization", f"Token {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict] = []
    request_sent = False

    async def receive():
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)  # the client stays connected

    async def send(message):
        if message.get("body") and not any(m.get("body") for m in sent):
            on_first_body()
        sent.append(message)

    await application(scope, receive, send)
    return sent


@pytest.mark.django_db(transaction=True)
def test_the_csv_export_sends_its_first_rows_before_reading_the_last(regulator, regions, monkeypatch):
    from duties import selectors

    _many_providers(regions["tianning"])
    token = Token.objects.create(user=regulator).key
    produced = {"rows": 0, "at_first_body": None}
    real_rows = selectors.compliance_rows

    def counting_rows(**kwargs):
        for row in real_rows(**kwargs):
            produced["rows"] += 1
            yield row

    monkeypatch.setattr(selectors, "compliance_rows", counting_rows)

    def first_body():
        produced["at_first_body"] = produced["rows"]

    sent = asyncio.run(_get("/api/v1/reports/compliance/", b"format=csv&region=320400", token, first_body))

    assert sent[0]["status"] == 200
    assert produced["at_first_body"] < PROVIDERS, "the whole list was read before the first byte went out"
    body = b"".join(m.get("body", b"") for m in sent[1:])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == PROVIDERS + 1


@pytest.mark.django_db(transaction=True)
def test_the_xlsx_export_is_sent_from_its_file_complete(regulator, regions):
    _many_providers(regions["tianning"])
    token = Token.objects.create(user=regulator).key

    sent = asyncio.run(_get("/api/v1/reports/compliance/", b"format=xlsx&region=320400", token))

    assert sent[0]["status"] == 200
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert int(dict(sent[0]["headers"])[b"Content-Length"]) == len(body)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body), read_only=True)["compliance"]
    assert sum(1 for _ in sheet.iter_rows()) == PROVIDERS + 1
