"""Who the parties are, kept out of plain text: normalisation, keyed digests, ID number checks.

The applicant's and the opposing party's details are stored encrypted (``marketplace.core.crypto``).
The conflict check still has to find "the same person" among them, so each name and ID number
is also stored as an HMAC-SHA256 digest under ``settings.CONFLICT_HASH_KEY`` of its normalised
form (``PartyKey``). Without the key a digest cannot be tested against a guessed name, which a
plain hash of a Chinese name (a small space) would allow.
"""

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

NAME = "name"
ID = "id"

# GB 11643-1999: the 18th character of a citizen ID number is a mod 11-2 check of the first 17.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS_AND_X = re.compile(r"^[0-9X]+$")
_DOCUMENT = re.compile(r"^[0-9A-Za-z][0-9A-Za-z()（）\-]*$")


def normalize_name(name: str) -> str:
    """NFKC (full-width letters and digits become ASCII), whitespace removed, casefolded."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def normalize_id_number(id_number: str) -> str:
    """NFKC, whitespace removed, uppercased (a trailing check character x is X)."""
    return "".join(unicodedata.normalize("NFKC", id_number or "").split()).upper()


def digest(kind: str, value: str) -> str:
    """The keyed digest of an already normalised value; ``kind`` separates names from ID numbers."""
    key = settings.CONFLICT_HASH_KEY.encode()
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def name_digest(name: str) -> str | None:
    normalized = normalize_name(name)
    return digest(NAME, normalized) if normalized else None


def id_digest(id_number: str) -> str | None:
    normalized = normalize_id_number(id_number)
    return digest(ID, normalized) if normalized else None


def citizen_id_check_char(first17: str) -> str:
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def person_id_problem(id_number: str) -> str | None:
    """Why ``id_number`` cannot be a person's identity document number; None if it can.

    Digits (and X) of 15 to 19 characters are read as a citizen ID (居民身份证): 18 characters
    whose last is the GB 11643-1999 check character (the residence permits of Hong Kong, Macao
    and Taiwan residents use the same scheme), or a first-generation 15-digit number, which has
    no check character; 16, 17 or 19 characters are a mistyped one. Anything else is another
    document (passport, travel permit), accepted as written.
    """
    value = normalize_id_number(id_number)
    if not value:
        return None
    if _DIGITS_AND_X.match(value) and 15 <= len(value) <= 19:
        if len(value) == 15 and value.isdigit():
            return None
        if len(value) != 18:
            return _("A citizen ID number has 18 characters.")
        if not value[:17].isdigit():
            return _("Only the last character of a citizen ID number may be X.")
        if citizen_id_check_char(value[:17]) != value[17]:
            return _("The check digit of this citizen ID number is wrong; check the number.")
        return None
    if not _DOCUMENT.match(value):
        return _("An ID number has only letters, digits, brackets and hyphens.")
    return None
