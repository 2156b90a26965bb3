"""Uploads of case documents over the API (a case's documents, a department's materials)."""

from django.conf import settings

from marketplace.cases import files


class LimitedUploads:
    """A view that takes documents: before the body is read, an upload past
    ``CASE_DOCUMENT_MAX_BYTES`` stops at the limit (413) instead of being spooled whole. Every POST
    of the view, or only those of ``upload_action`` on a viewset."""

    upload_action: str | None = None

    def initial(self, request, *args, **kwargs):
        if request.method == "POST" and self.upload_action in (None, getattr(self, "action", None)):
            request._request.upload_handlers.insert(
                0, files.SizeLimitUploadHandler(request._request, limit=settings.CASE_DOCUMENT_MAX_BYTES)
            )
        super().initial(request, *args, **kwargs)
