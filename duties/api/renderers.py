"""Renderers that let content negotiation accept PDF, CSV and XLSX.

The views answering in these formats return the file response themselves; the renderers exist
so that ``Accept`` and ``?format=`` select them. Error bodies are rendered as JSON.
"""

import json

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
