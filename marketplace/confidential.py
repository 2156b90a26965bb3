"""The aided person's confidential details (受援人信息): the one schema of them.

The API serializer, the coordinator's task form, the services and the pages that show the
details all read ``FIELDS``: the keys, their translated labels and their limits live here only.

Stored as one encrypted JSON object per task (``marketplace.core.crypto``). An edit is merged into
the stored object (``merged``): a key sent with text replaces that key, a key sent blank
removes it, a key not sent stays. The first page form stored ``contact`` and ``notes``; they are
read as ``phone`` and ``hardship_notes`` (``normalized``) and written back under those keys by
the next edit, so no data migration has to decrypt anything.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import Invalid


@dataclass(frozen=True)
class ConfidentialField:
    key: str
    label: Promise
    max_length: int
    multiline: bool = False


FIELDS = (
    ConfidentialField("name", _("Name of the aided person"), 100),
    ConfidentialField("phone", _("Contact phone"), 40),
    ConfidentialField("id_number", _("ID number"), 40),
    ConfidentialField("address", _("Address"), 255),
    ConfidentialField("hardship_notes", _("Hardship and case notes"), 2000, multiline=True),
)
KEYS = tuple(field.key for field in FIELDS)
BY_KEY = {field.key: field for field in FIELDS}

# Keys of the first page form -> the schema's keys.
LEGACY_KEYS = {"contact": "phone", "notes": "hardship_notes"}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def normalized(stored: dict | None) -> dict:
    """``stored`` under the schema's keys: legacy keys mapped (appended to the new key's text if
    both exist), values as stripped text, blanks dropped, keys in schema order. A key outside the
    schema is kept under its own name, after the schema's keys, so nothing recorded is lost."""
    details: dict[str, str] = {}
    extra: dict[str, str] = {}
    for key, value in (stored or {}).items():
        text = _text(value)
        if not text:
            continue
        key = LEGACY_KEYS.get(key, key)
        target = details if key in BY_KEY else extra
        target[key] = f"{target[key]}\n{text}" if key in target else text
    return {key: details[key] for key in KEYS if key in details} | extra


def merged(stored: dict | None, changes: dict) -> dict:
    """``stored`` with ``changes`` applied: text sets its key, blank removes it, absent keys stay."""
    details = normalized(stored)
    for key, value in changes.items():
        text = _text(value)
        if text:
            details[key] = text
        else:
            details.pop(key, None)
    return normalized(details)


def validate(changes) -> None:
    """Raise ``Invalid`` on ``confidential`` unless ``changes`` is an object of the schema's keys
    with text (or null) values within their limits."""
    if not isinstance(changes, dict) or not all(isinstance(v, str | type(None)) for v in changes.values()):
        raise Invalid(_("An object of named text values."), field="confidential", code="invalid")
    unknown = [str(key) for key in changes if key not in BY_KEY]
    if unknown:
        raise Invalid(
            _("Unknown confidential details: %(keys)s. Known: %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(KEYS)},
            field="confidential",
            code="unknown_key",
        )
    for key, value in changes.items():
        field = BY_KEY[key]
        if len(_text(value)) > field.max_length:
            raise Invalid(
                _("%(label)s: at most %(n)d characters.") % {"label": field.label, "n": field.max_length},
                field="confidential",
                code="max_length",
            )


def rows(details: dict | None) -> list[tuple[str, str]]:
    """(label, text) pairs to show, in schema order; a key outside the schema shows its name."""
    return [(str(BY_KEY[key].label) if key in BY_KEY else key, text) for key, text in normalized(details).items()]
