"""What the API keeps beside the register: tombstones of deleted and depublished objects, and API tokens."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """An OParl object that was deleted or depublished, so that syncing clients learn of it.

    OParl 1.1 forbids objects to simply vanish: the URL of a deleted object keeps answering with
    ``{"id", "type", "created", "modified", "deleted": true}``, and lists name it when the client
    asks with ``modified_since``. The register has no deleted flag, so the API keeps this record.
    """

    path = models.CharField(
        _("OParl path"), max_length=200, unique=True, help_text=_("The object's URL below /oparl/v1.1/.")
    )
    oparl_type = models.CharField(_("OParl type"), max_length=40, db_index=True)
    body_id = models.PositiveBigIntegerField(_("body"), null=True, blank=True, db_index=True)
    network_id = models.PositiveBigIntegerField(_("network"), null=True, blank=True, db_index=True)
    parents = models.CharField(
        _("shown in"),
        max_length=500,
        blank=True,
        help_text=_("Paths of the objects that listed or embedded this one, each between spaces."),
    )
    created = models.DateTimeField(_("created"))
    deleted_at = models.DateTimeField(_("deleted"), db_index=True)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        ordering = ["pk"]

    def __str__(self):
        return self.path


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A key for the JSON API, of one user, for reading or for reading and writing, for a limited time.

    Only the SHA-256 hash of the key is stored (the key has 256 random bits, so a fast hash is enough
    and a stolen database yields no key); the key is shown once, when the token is made. A token
    expires at ``expires_at`` and can be revoked before. Writing needs the scope ``write`` and, as
    every write, the permission of the token's user (``register.permissions``).
    """

    class Scope(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("read and write")

    KEY_PREFIX = "vnz_"
    DEFAULT_DAYS = 90
    MAX_DAYS = 365

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("what it is for"), max_length=100, blank=True)
    prefix = models.CharField(
        _("beginning of the key"), max_length=12, help_text=_("To recognise the key; the rest is not stored.")
    )
    key_hash = models.CharField(_("hash of the key"), max_length=64, unique=True)
    scope = models.CharField(_("may"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created")),
                name="api_token_expires_after_creation",
                violation_error_message=_("A token must expire after it was made."),
            ),
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, scope=Scope.READ, days=DEFAULT_DAYS, name=""):
        """A new token and its key (the only time the key is known)."""
        token = cls(user=user, scope=scope, name=name)
        key = token.new_key(days)
        token.save()
        return token, key

    def new_key(self, days=DEFAULT_DAYS):
        """Give the (unsaved) token a new key valid for ``days`` from now; returns the key."""
        if not 1 <= days <= self.MAX_DAYS:
            raise ValueError(f"days must be between 1 and {self.MAX_DAYS}")
        key = self.KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix, self.key_hash = key[:12], hash_key(key)
        self.created = timezone.now()
        self.expires_at = self.created + datetime.timedelta(days=days)
        return key

    @classmethod
    def active(cls, key):
        """The token of this key if it is neither expired nor revoked, else None."""
        return (
            cls.objects.select_related("user")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )

    @property
    def may_write(self):
        return self.scope == self.Scope.WRITE

    def touch(self):
        """Note the use, at most once an hour (a write per request would cost every reader)."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > datetime.timedelta(hours=1):
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
