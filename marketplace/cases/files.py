"""What an uploaded file is, judged by its content: the extension and the declared content type
are the sender's claims, never trusted. The first bytes decide; the name's extension must agree."""

import hashlib
import os
import re
import unicodedata

from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from marketplace.core.errors import DomainError, Invalid

# (magic bytes at offset 0, content type, extensions that name it)
SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
)
CONTENT_TYPES = tuple(content_type for _, content_type, _ in SIGNATURES)
HEAD_BYTES = 16
CHUNK = 64 * 1024


class FileTooLarge(DomainError):
    """The upload is over the size limit (413)."""

    status = 413
    code = "file_too_large"


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(_("A document may be at most %(size)s.") % {"size": filesizeformat(limit)})


def sniff(head: bytes) -> str | None:
    """The content type that ``head`` (the file's first bytes) proves, or None."""
    for magic, content_type, _extensions in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def extension_matches(name: str, content_type: str) -> bool:
    extension = os.path.splitext(name)[1].lower()
    return any(extension in extensions for _, kind, extensions in SIGNATURES if kind == content_type)


def clean_name(name: str) -> str:
    """The file's own name for display and download: no folders, no control characters, no
    quotes, at most 255 characters (the extension kept)."""
    name = os.path.basename(unicodedata.normalize("NFC", name or "").replace("\\", "/"))
    name = re.sub(r'[\x00-\x1f\x7f"]', "", name).strip() or "document"
    if len(name) > 255:
        stem, extension = os.path.splitext(name)
        name = stem[: 255 - len(extension)] + extension
    return name


def judge(upload, *, limit: int) -> tuple[str, str]:
    """The upload's clean name and the content type its first bytes prove: a PDF, JPEG or PNG
    whose name's extension agrees, at most ``limit`` bytes (413 ``file_too_large``); 400
    ``empty``, ``unsupported_type``, ``type_mismatch`` on ``file`` otherwise."""
    if upload.size > limit:
        raise too_large(limit)
    if upload.size == 0:
        raise Invalid(_("The file is empty."), field="file", code="empty")
    upload.seek(0)
    content_type = sniff(upload.read(HEAD_BYTES))
    upload.seek(0)
    if content_type is None:
        raise Invalid(_("Only PDF, JPEG and PNG files can be filed."), field="file", code="unsupported_type")
    name = clean_name(upload.name)
    if not extension_matches(name, content_type):
        raise Invalid(
            _("The file's content does not match its name's extension (it is a %(type)s).") % {"type": content_type},
            field="file",
            code="type_mismatch",
        )
    return name, content_type


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes ``limit`` bytes (413), instead of spooling a
    body of any size to disk before the size is checked. First in the handler chain."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise too_large(self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None
