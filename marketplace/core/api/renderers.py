"""A renderer that lets ``Accept: application/pdf`` select a letter; error bodies stay JSON."""

from rest_framework.renderers import BaseRenderer, JSONRenderer


class PDFRenderer(BaseRenderer):
    """The view returns the PDF itself (an ``HttpResponse``); this renderer only exists so that
    content negotiation accepts the type. Anything else handed to it is rendered as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return bytes(data) if isinstance(data, bytes | bytearray) else JSONRenderer().render(data)
