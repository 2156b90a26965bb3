"""Renderers that let content negotiation accept PDF, CSV and XLSX.

The views answering in these formats return the file response themselves; the renderers exist
so that ``Accept`` and ``?format=`` select them. Error bodies are rendered as JSON.
"""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import BaseRenderer


class _FileRenderer(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray):
            return bytes(data)
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class PDFRenderer(_FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


# ``?format=`` of a report: JSON counts without it, the list as CSV or XLSX with it.
REPORT_FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "csv", "xlsx"], description="csv or xlsx: the list."
)


def table_responses(json_serializer=None) -> dict:
    """The schema's 200 answers of a table that downloads as CSV or XLSX (and, with
    ``json_serializer``, reads as JSON without ``format``)."""
    answers = {(200, "application/json"): json_serializer} if json_serializer is not None else {}
    return answers | {
        (200, CSVRenderer.media_type): OpenApiTypes.STR,
        (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
    }
