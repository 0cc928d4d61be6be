"""Personal survey links and the drafts kept behind them.

The link token is derived from the server's secret and a random key of the invitation, so that a
reminder can carry the same link; the database holds only its SHA-256 hash. A draft is encrypted
and authenticated with keys derived from the token (HMAC-SHA256 in counter mode, encrypt-then-MAC):
a copy of the database alone does not show what someone has started to answer.
"""

import base64
import hashlib
import hmac
import json
import secrets

from django.conf import settings


def new_key():
    return secrets.token_hex(32)


def token_for(key):
    digest = hmac.new(settings.SECRET_KEY.encode(), f"needs-invitation:{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _subkey(token, purpose):
    return hmac.new(token.encode(), purpose.encode(), hashlib.sha256).digest()


def _keystream(key, nonce, length):
    blocks, counter = [], 0
    while sum(len(block) for block in blocks) < length:
        blocks.append(hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
        counter += 1
    return b"".join(blocks)[:length]


def seal_draft(token, data):
    plain = json.dumps(data, sort_keys=True).encode()
    nonce = secrets.token_bytes(16)
    cipher = bytes(
        a ^ b for a, b in zip(plain, _keystream(_subkey(token, "draft-enc"), nonce, len(plain)), strict=True)
    )
    tag = hmac.new(_subkey(token, "draft-mac"), nonce + cipher, hashlib.sha256).digest()
    return base64.b64encode(nonce + cipher + tag).decode()


def open_draft(token, sealed):
    """The draft's data, or an empty dict when there is none or it does not belong to this token."""
    if not sealed:
        return {}
    try:
        raw = base64.b64decode(sealed.encode())
    except ValueError:
        return {}
    nonce, cipher, tag = raw[:16], raw[16:-32], raw[-32:]
    expected = hmac.new(_subkey(token, "draft-mac"), nonce + cipher, hashlib.sha256).digest()
    if len(raw) < 48 or not hmac.compare_digest(tag, expected):
        return {}
    plain = bytes(
        a ^ b for a, b in zip(cipher, _keystream(_subkey(token, "draft-enc"), nonce, len(cipher)), strict=True)
    )
    return json.loads(plain)
