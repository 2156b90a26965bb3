"""Encryption at rest of the aided person's details (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from ``settings.FIELD_ENCRYPTION_KEY``. Nothing here logs or raises with the
plaintext in its message.
"""

import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be urlsafe base64 of 32 bytes.") from None


def encrypt_json(value: dict) -> str:
    """The ciphertext of ``value`` as JSON; an empty dict is stored as the empty string."""
    if not value:
        return ""
    plaintext = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plaintext).decode()


def decrypt_json(ciphertext: str) -> dict:
    if not ciphertext:
        return {}
    try:
        plaintext = _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(ciphertext.encode())
    except InvalidToken:
        # A wrong key, not the data, is the likely cause; say so without echoing anything.
        raise ImproperlyConfigured("Confidential details cannot be decrypted with FIELD_ENCRYPTION_KEY.") from None
    return json.loads(plaintext)
