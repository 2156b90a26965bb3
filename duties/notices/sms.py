"""Text messages behind one small interface. ``SMS_BACKEND`` names the class (a dotted path);
a real gateway is a class with the same ``send`` (docs/notices.md)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class LoggingBackend:
    """The default: logs the message (never its text: it may name a matter) and sends nothing."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s*** (%d characters) logged, not sent.", phone[:3], len(text))


def get_backend():
    return import_string(settings.SMS_BACKEND)()
