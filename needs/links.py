"""Personal survey links, the drafts kept behind them and the answers held back until release.

The link token is derived from the server's secret and a random key of the invitation, so that a
reminder can carry the same link; the database holds only its SHA-256 hash (the outbox keeps the text
of the mail that carries it only until it is sent: ``personal_link``). After a rotation of the
secret (``SECRET_KEY_FALLBACKS``) the link of an earlier secret is found among the fallbacks.

Drafts and held-back answers are sealed with AES-GCM from the ``cryptography`` package, with keys
derived by HKDF-SHA256 from the server's secret (and, for a draft, the link's token): a copy of the
database alone does not show what someone has started to answer or has sent. AES-GCM carries no
time stamp (Fernet would), so a sealed value does not tell when it was written. Values sealed under
a secret that is now a fallback are still opened.
"""

import base64
import hashlib
import hmac
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12


def new_key():
    return secrets.token_hex(32)


def _secrets():
    """The current secret first, then the fallbacks of earlier rotations."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _token(secret, key):
    digest = hmac.new(secret.encode(), f"needs-invitation:{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_for(key, token_hash=None):
    """The link token of an invitation key. Given the stored hash, the token of whichever secret made
    it (current or fallback), so that a reminder after a rotation repeats the link people already have."""
    if token_hash:
        for secret in _secrets():
            token = _token(secret, key)
            if hmac.compare_digest(hash_token(token), token_hash):
                return token
    return _token(settings.SECRET_KEY, key)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _aead(secret, purpose, context):
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"vernetzt.needs.{purpose}".encode()).derive(
        secret.encode() + b"\x00" + context.encode()
    )
    return AESGCM(key)


def seal(data, purpose, context=""):
    """``data`` (JSON-serialisable) encrypted and authenticated under the current secret."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = json.dumps(data, sort_keys=True).encode()
    cipher = _aead(settings.SECRET_KEY, purpose, context).encrypt(nonce, plain, purpose.encode())
    return base64.b64encode(nonce + cipher).decode()


def unseal(sealed, purpose, context=""):
    """The data of a sealed value, or None when it cannot be opened with any of the secrets."""
    try:
        raw = base64.b64decode(sealed.encode(), validate=True)
    except ValueError:
        return None
    nonce, cipher = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for secret in _secrets():
        try:
            plain = _aead(secret, purpose, context).decrypt(nonce, cipher, purpose.encode())
        except (InvalidTag, ValueError):
            continue
        return json.loads(plain)
    return None


def seal_draft(token, data):
    return seal(data, "draft", token)


def open_draft(token, sealed):
    """The draft's data, or an empty dict when there is none or it does not belong to this token."""
    if not sealed:
        return {}
    return unseal(sealed, "draft", token) or {}
