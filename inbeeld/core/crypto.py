"""Field encryption (MultiFernet, newest key first) and the HMAC blind index for exact search."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Stored form: "enc1:<key id>:<fernet token>". The key id lets rotation find old rows by prefix.
MARKER = "enc1"


@dataclass(frozen=True)
class Keyring:
    fernets: tuple[Fernet, ...]
    key_ids: tuple[str, ...]

    @property
    def newest_id(self) -> str:
        return self.key_ids[0]

    @property
    def newest_prefix(self) -> str:
        return f"{MARKER}:{self.newest_id}:"

    def multi(self) -> MultiFernet:
        return MultiFernet(list(self.fernets))


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:8]


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    if not keys:
        raise ImproperlyConfigured("INBEELD_FIELD_KEYS is empty.")
    try:
        fernets = tuple(Fernet(k.encode()) for k in keys)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "INBEELD_FIELD_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes), newest first."
        ) from None
    return Keyring(fernets=fernets, key_ids=tuple(key_id(k) for k in keys))


def keyring() -> Keyring:
    return _keyring(tuple(settings.FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    ring = keyring()
    token = ring.fernets[0].encrypt(plaintext.encode("utf-8")).decode("ascii")
    return f"{ring.newest_prefix}{token}"


def decrypt(stored: str) -> str:
    try:
        marker, kid, token = stored.split(":", 2)
    except ValueError:
        raise ValueError("Not an encrypted value.") from None
    if marker != MARKER:
        raise ValueError("Not an encrypted value.")
    ring = keyring()
    try:
        return ring.multi().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured(
            f"An encrypted field uses key {kid}, which is not in INBEELD_FIELD_KEYS."
        ) from None


def reencrypt(stored: str) -> str:
    """The same plaintext under the newest key (what key rotation writes)."""
    return encrypt(decrypt(stored))


_NON_DIGITS = re.compile(r"\D")


def normalise_phone(raw: str) -> str:
    """Digits in international form: '06-1234 5678', '+31 6 12345678', '0031612345678' are one number."""
    text = raw.strip()
    digits = _NON_DIGITS.sub("", text)
    if text.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return settings.PHONE_COUNTRY_CODE + digits[1:]
    return digits


def blind_index(value: str) -> str:
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def phone_index(raw: str) -> str:
    normalised = normalise_phone(raw)
    return blind_index("phone:" + normalised) if normalised else ""
