"""Authentication of the JSON API by the hashed, expiring tokens of ``api.models.ApiToken``.

A client sends ``Authorization: Token <key>`` (or ``Bearer <key>``). An unknown, expired or revoked
key, or the key of a deactivated user, is answered with 401 – also on reads, so that a client learns
that its key no longer works. Without the header a request is anonymous: it may read what is public.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from ..models import ApiToken

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the header as “Authorization: Token <key>”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed(_("This key is unknown, expired or revoked.")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        token = ApiToken.active(key)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("This key is unknown, expired or revoked."))
        token.touch()
        return token.user, token
