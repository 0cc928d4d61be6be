"""Private calendar feeds: a key per person and network, revocable, valid only while the role lasts.

The address of a network's feed with ``?key=…`` shows its internal meetings too. A key belongs to one
user and one network; it stops working the moment the user may no longer see the network's internal
view (role ended, account deactivated), and it is revoked when the role is removed or when the user
asks for a new address.

A feed is written in the language of its address: ``?lang=en``, else the language prefix
(``/en/termine/kalender/…``). A private address without either is written in the preferred language of
the person in the register with the key holder's e-mail address.

A feed holds the dates that ended within the last ``DAYS_BACK`` days and all that are still to come
(``recent``): a calendar program reads the whole feed each time it looks for changes, and a feed of
every date there ever was grows with each year.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from register import permissions
from register.models.fields import site_language

from .calendar import absolute
from .mail import language_for_address, person_with_address
from .models import FeedKey

DAYS_BACK = 365


def recent(dates):
    """The events or meetings of ``dates`` that a feed holds: those that ended within ``DAYS_BACK`` days,
    and those still to come."""
    return dates.filter(end__gte=timezone.now() - datetime.timedelta(days=DAYS_BACK))


def feed_language(request, user=None):
    """The language a feed is written in: ``?lang=`` when it names a language of the site, else the
    language of the address (its prefix); an address without a prefix and with ``user``'s key: the
    preferred language of the person in the register with the user's e-mail address."""
    asked = request.GET.get("lang", "")
    if asked and asked in dict(settings.LANGUAGES):
        return asked
    language = site_language(translation.get_language())
    if language == settings.LANGUAGE_CODE and user is not None and user.email:
        return language_for_address(user.email, language)
    return language


def key_for(user, network):
    """The user's valid key for the network, created on first use; None when the user may not see it."""
    if not permissions.can_view_internal(user, network):
        return None
    existing = FeedKey.objects.filter(user=user, network=network, revoked_at__isnull=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return FeedKey.objects.create(user=user, network=network)
    except IntegrityError:  # created at the same moment by another request
        return FeedKey.objects.get(user=user, network=network, revoked_at__isnull=True)


def renew(user, network):
    """Revoke the user's key for the network and give a new one (the old address stops working), in one
    transaction: never a moment without a key, never two."""
    with transaction.atomic():
        revoke(user, network)
        return key_for(user, network)


def revoke(user, network=None):
    """Revoke the user's keys (for one network or all). Returns how many were revoked."""
    keys = FeedKey.objects.filter(user=user, revoked_at__isnull=True)
    if network is not None:
        keys = keys.filter(network=network)
    return keys.update(revoked_at=timezone.now())


def user_for_key(network, key):
    """The user whose key this is, if the key is valid for the network and the user still holds the role."""
    if not key:
        return None
    found = FeedKey.objects.usable().filter(network=network, key=key).select_related("user").first()
    if found is None or not permissions.can_view_internal(found.user, network):
        return None
    return found.user


def private_feed_url(user, network):
    """The user's own address of the network's feed with its internal meetings, or "" when not allowed.

    For someone in the register the address names no language, so that the feed follows their preferred
    language (``feed_language``); for anyone else it is the address in the language of the current page."""
    key = key_for(user, network)
    if key is None:
        return ""
    language = settings.LANGUAGE_CODE if person_with_address(user.email) else translation.get_language()
    with translation.override(language):
        return absolute(reverse("meetings:network_feed", args=[network.slug])) + f"?key={key.key}"


def revoke_when_role_ends(sender, instance, **kwargs):
    """Signal receiver: a removed network role takes the user's key to that network's feed with it."""
    revoke(instance.user, instance.network_id)
