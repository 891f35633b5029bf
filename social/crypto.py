"""Token sets encrypted at rest.

Keys come from `settings.SOCIAL_TOKEN_KEYS`, newest first: encrypting uses the
first, decrypting tries them all (MultiFernet), so rotating is "prepend a new
key, run `manage.py rotate_social_tokens`, later drop the old key". Without
keys (development) one key is derived from SECRET_KEY with HKDF so a laptop
works out of the box; production settings refuse to start without keys.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from social import keycheck
from social.providers.base import ReauthRequired, TokenSet


def _derived_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"chorus.social.tokens", info=b"fernet")
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    material = [k.encode() for k in keys if k] or [_derived_key(secret_key)]
    return MultiFernet([Fernet(k) for k in material])


def fernet() -> MultiFernet:
    return _fernet(tuple(getattr(settings, "SOCIAL_TOKEN_KEYS", ()) or ()), settings.SECRET_KEY)


def encrypt_text(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt_text(ciphertext: str) -> str:
    """Raises KeysMisconfigured when the keys cannot read stored tokens at all."""
    try:
        text = fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        keycheck.unreadable(exc)
        raise
    keycheck.readable()
    return text


def rotate_text(ciphertext: str) -> str:
    """Re-encrypt under the newest key (a no-op for the plaintext)."""
    return fernet().rotate(ciphertext.encode()).decode()


def encrypt_token(token: TokenSet) -> str:
    payload = {
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "scopes": list(token.scopes),
        "extra": token.extra,
    }
    return encrypt_text(json.dumps(payload))


def decrypt_token(ciphertext: str) -> TokenSet:
    """The stored token set; a missing or unreadable one means connecting again."""
    if not ciphertext:
        raise ReauthRequired("No access is stored for this account; connect it again")
    try:
        data = json.loads(decrypt_text(ciphertext))
    except (InvalidToken, ValueError):
        # Only this token is unreadable (the keys read the others): reconnect it.
        # Unreadable because the keys are wrong: decrypt_text raised KeysMisconfigured.
        raise ReauthRequired(
            "The stored access could not be read; connect the account again"
        ) from None
    return TokenSet(
        access_token=data["access_token"],
        refresh_token=data.get("refresh_token"),
        expires_at=datetime.fromisoformat(data["expires_at"]) if data.get("expires_at") else None,
        scopes=tuple(data.get("scopes") or ()),
        extra=dict(data.get("extra") or {}),
    )


def generate_key() -> str:
    return Fernet.generate_key().decode()
