"""What changed, told to the caches of public pages: versions of tags that changes renew.

A cached public page or API answer records what it shows as *tags* and, for each, the version the
tag had before the page read the database. A change renews the versions of the tags it touches when
its transaction commits, so that every older page that shows it no longer matches, in every process
sharing the cache; a page whose tags all still have the versions it recorded is current. A version
is a random string, not a counter, so that two changes at the same moment never write the same one,
and a version the cache lost (restart, eviction, ``forget_pages()``) is replaced by a new one.

The tags (constants and functions below; ``RULES`` says which change touches which):

- ``any``: every change of watched data. Pages that do not say what they show depend on it alone:
  they are renewed by every change, as all pages were before tags.
- ``all``: changes that cannot say what they touch – bulk writes (``data_changed()``), ``migrate``,
  a model without a rule. Every page that names its tags depends on it too.
- kinds, one per part of the register, touched by every change of it: ``networks`` (a network and
  what lists show with it: topics, focus areas, hosts, programme, terms), ``organisations`` (with
  aliases), ``memberships``, ``persons``, ``actor-groups``, ``topics``, ``bodies`` (with
  municipalities), ``events``, ``meetings``, ``locations``, ``site`` (site identity and pages:
  every page shows the site's frame, so every tagged page depends on it), ``search-synonyms``,
  ``tombstones`` (OParl). Lists depend on the kinds they list.
- one record: ``network:<pk>`` (the network's own fields, as lists show them), ``parts:<pk>``
  (what belongs to the network: its seats, topics, focus areas, hosts, programme, terms, events and
  meetings), ``organisation:<pk>`` (its own fields and aliases) and ``seats:<pk>`` (the memberships
  of the organisation and of its units, which its page and its search results list).
- what makes networks similar (``analysis.overlap.similar_to``, on every network's page):
  ``similarity`` for changes of seats, topics, focus areas, hosts and funders and funded
  municipalities anywhere (and a purpose that names other municipalities) – what the network map
  draws and filters by, too; ``purpose-word:<word>:<n>`` for a word in purposes of ``n`` content
  words, and ``text:<piece>`` for the pieces of three to five letters a purpose gained or lost
  (``analysis`` touches these two; a page depends on the words of its own purpose, counted, and on
  the starts of the words it looks for in other purposes: ``analysis.overlap.similarity_tags``).
- names: ``network-names`` and ``organisation-names``, touched when a record is created or deleted,
  or a field other pages show changes (any field but those in ``OWN_FIELDS``, which only the
  record's own page and the full lists show: a new purpose renews neither the organisation pages
  that name the network nor the search results that list it as a member's network).
- ``map-figures``: the network map's stored figures, and the note that they are being updated
  (``analysis.figures`` touches it).
- ``search:<xy>``: the search index's stems starting with ``xy`` (``portal.indexing`` touches the
  stems an entry gained or lost; a search depends on the stems it looked up).

Every save, delete and many-to-many change of a model in ``WATCHED_APPS`` touches the tags of its
rule (``RULES``; a model without one touches ``all``) when its transaction commits (at once outside
a transaction), so that a page rendered from the old data in the meantime cannot be taken for
current. Until then, the connection that made the change sees data nobody else sees:
``uncommitted_changes()`` tells caches to stay out of the way. Writes that bypass model signals
(``QuerySet.update``, ``bulk_create``) call ``data_changed()``, which touches ``all``, or
``touch()`` with the tags they know. ``migrate`` touches ``all`` too, so that an update of the
software starts with no page of the old one.

``data_version()`` (in the default cache) is renewed by every change, for caches that keep one
entry for the whole register (the site identity).
"""

import uuid

from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

KEY = "vernetzt:data-version"
# The apps whose data public pages and APIs show.
WATCHED_APPS = frozenset({"register", "meetings", "portal", "api"})

ANY, ALL, SITE = "any", "all", "site"
NETWORKS, ORGANISATIONS, MEMBERSHIPS, PERSONS = "networks", "organisations", "memberships", "persons"
ACTOR_GROUPS, TOPICS, BODIES, EVENTS, MEETINGS = "actor-groups", "topics", "bodies", "events", "meetings"
LOCATIONS, SIMILARITY = "locations", "similarity"
NETWORK_NAMES, ORGANISATION_NAMES = "network-names", "organisation-names"
SEARCH_SYNONYMS, TOMBSTONES, MAP_FIGURES = "search-synonyms", "tombstones", "map-figures"
KINDS = (NETWORKS, ORGANISATIONS, MEMBERSHIPS, PERSONS, ACTOR_GROUPS, TOPICS, BODIES, EVENTS, MEETINGS, LOCATIONS, SITE)
# Every page that names its tags depends on these as well.
IMPLIED = (ALL, SITE)

# Fields that only the record's own page and the full lists (which depend on the kind) show.
OWN_FIELDS = {
    "register.Network": {
        "purpose", "description", "easy_language", "history", "establishing_decision", "legal_basis",
        "advises", "administrative_support", "composition", "convened_by", "contact_function",
    },
    "register.Organisation": {
        "description", "website", "email", "phone", "street_address", "postal_code", "locality", "languages",
        "contact_public",
    },
}  # fmt: skip


def network(pk):
    return f"network:{pk}"


def organisation(pk):
    return f"organisation:{pk}"


def seats(pk):
    return f"seats:{pk}"


def parts(pk):
    return f"parts:{pk}"


def purpose_word(word, count):
    return f"purpose-word:{word}:{count}"


def text(piece):
    return f"text:{piece}"


def search_stem(stem):
    """The tag of the index's stems that start like ``stem`` (its first two letters)."""
    return f"search:{stem[:2]}"


# --- versions -------------------------------------------------------------------------------------


def tag_cache():
    """The versions live beside the pages: emptying the pages' cache forgets them with the pages."""
    return caches["pages"]


def tag_key(tag):
    return f"tag:{tag}"


def versions(tags):
    """{tag: version} now, in one read (two for tags the cache has lost: they get a new version)."""
    store = tag_cache()
    keys = {tag_key(tag): tag for tag in tags}
    found = store.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    for key in missing:
        store.add(key, uuid.uuid4().hex, timeout=None)
    if missing:
        found.update(store.get_many(missing))
    return {keys[key]: value for key, value in found.items()}


def _renew(tags):
    """Give the tags new versions: ``any`` first, so that whoever sees a new version of another tag
    also sees the new ``any`` (``vernetzt.page_cache`` relies on it when it stores a page)."""
    store = tag_cache()
    store.set(tag_key(ANY), uuid.uuid4().hex, timeout=None)
    rest = {tag_key(tag): uuid.uuid4().hex for tag in tags if tag != ANY}
    if rest:
        store.set_many(rest, timeout=None)
    cache.set(KEY, uuid.uuid4().hex, timeout=None)


class _Pending:
    """The tags the current transaction touched, renewed by one callback when it commits."""

    def __init__(self):
        self.tags = set()

    def __call__(self):
        _renew(self.tags)


def data_version():
    """The token of the whole register; a new one if the cache has none (after a restart or a clear)."""
    token = cache.get(KEY)
    if token is None:
        cache.add(KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(KEY)
    return token


def _pending(using):
    for entry in transaction.get_connection(using).run_on_commit:
        if isinstance(entry[1], _Pending):
            return entry[1]
    return None


def uncommitted_changes(using=DEFAULT_DB_ALIAS):
    """Whether the current transaction changed watched data that is not committed yet."""
    return transaction.get_connection(using).in_atomic_block and _pending(using) is not None


def touch(*tags, using=DEFAULT_DB_ALIAS):
    """Renew the tags (and ``any``) when the current transaction commits, at once outside one."""
    pending = _pending(using) if transaction.get_connection(using).in_atomic_block else None
    if pending is None:
        pending = _Pending()
        pending.tags.update(tags)
        transaction.on_commit(pending, using=using)  # runs now outside a transaction
    else:
        pending.tags.update(tags)


def data_changed(using=DEFAULT_DB_ALIAS):
    """A write that cannot say what it touched (bulk writes): every page is renewed on commit."""
    touch(ALL, using=using)


# --- which change touches which tags ------------------------------------------------------------------


def changed_fields(instance, created):
    """The names of the fields a save changed, or None if unknown (then: all of them)."""
    before = getattr(instance, "_audit_snapshot", None)
    if created or before is None or not hasattr(instance, "audit_values"):
        return None
    # ``AuditedModel.save`` replaces the snapshot after the signal: here it still holds the loaded values.
    after = instance.audit_values()
    return {name.removesuffix("_id") for name, value in after.items() if before.get(name) != value}


def only_own_fields(label, fields):
    """Whether a save of a ``label`` record changed nothing but fields that only its own page and the
    full lists show (``OWN_FIELDS``); ``fields`` from ``changed_fields`` (None: unknown, so no)."""
    return fields is not None and fields <= OWN_FIELDS.get(label, set())


def _organisations_above(ids):
    """The organisations and all above them (one query per level): their pages list their units' seats."""
    from register.models import Organisation

    found, level = set(), {pk for pk in ids if pk}
    while level:
        found |= level
        level = set(Organisation.objects.filter(pk__in=level, parent__isnull=False).values_list("parent", flat=True))
        level -= found
    return found


def value_as_loaded(instance, field):
    """A foreign key's value as loaded (before this save), else its value now."""
    before = getattr(instance, "_audit_snapshot", {}) or {}
    value = before.get(field, getattr(instance, field, None))
    return int(value) if value not in (None, "") else None


def _network_rule(instance, fields):
    tags = {NETWORKS, network(instance.pk)}
    if not only_own_fields("register.Network", fields):
        tags.add(NETWORK_NAMES)
    return tags


def _organisation_rule(instance, fields):
    tags = {ORGANISATIONS, organisation(instance.pk)}
    if not only_own_fields("register.Organisation", fields):
        tags.add(ORGANISATION_NAMES)
    return tags


def _of_network(*kinds):
    """A change of something that belongs to a network (before and after the change)."""

    def rule(instance, fields):
        ids = {instance.network_id, value_as_loaded(instance, "network_id")}
        return {*kinds, *(parts(pk) for pk in ids if pk)}

    return rule


def _membership_rule(instance, fields):
    ids = {getattr(instance, name, None) for name in ("organisation_id", "on_behalf_of_id")}
    ids |= {value_as_loaded(instance, name) for name in ("organisation_id", "on_behalf_of_id")}
    tags = {MEMBERSHIPS, SIMILARITY, *_of_network()(instance, fields)}
    tags |= {seats(pk) for pk in _organisations_above(ids)}
    if instance.actor_group_id or value_as_loaded(instance, "actor_group_id"):
        tags.add(ACTOR_GROUPS)
    return tags


def _of_organisation(instance, fields):
    return {
        ORGANISATIONS,
        organisation(instance.organisation_id),
        organisation(value_as_loaded(instance, "organisation_id")),
    }


def _translation_rule(instance, fields):
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is None:
        return {ALL}
    label = model._meta.label
    rule = RULES.get(label)
    if rule is None:
        return {ALL}
    if label in ("register.Network", "register.Organisation"):
        return rule(model(pk=instance.object_id), {instance.field})
    target = model._base_manager.filter(pk=instance.object_id).first()
    return {ALL} if target is None else rule(target, None)


def _programme_site_rule(instance, fields):
    from register.models import Programme

    ids = Programme.objects.filter(pk__in={instance.programme_id, value_as_loaded(instance, "programme_id")})
    networks = ids.exclude(network__isnull=True).values_list("network", flat=True)
    return {NETWORKS, BODIES, SIMILARITY, *(parts(pk) for pk in networks)}


def _constant(*tags):
    return lambda instance, fields: set(tags)


# Model label: function(instance, changed fields or None) -> the tags its change touches.
RULES = {
    "register.Network": _network_rule,
    "register.Network_topics": _constant(NETWORKS, SIMILARITY),  # and the networks' parts: see _on_m2m
    "register.Network_target_groups": _constant(NETWORKS),
    "register.FocusArea": _of_network(NETWORKS, SIMILARITY),
    "register.NetworkHost": _of_network(NETWORKS, BODIES, SIMILARITY),
    "register.Programme": _of_network(NETWORKS, ORGANISATION_NAMES, SIMILARITY),
    "register.ProgrammeSite": _programme_site_rule,
    "register.LegislativeTerm": _of_network(NETWORKS, MEMBERSHIPS, BODIES),
    "register.DelegatingCouncil": _of_network(NETWORKS, ORGANISATIONS, BODIES),
    "register.Topic": _constant(TOPICS, NETWORKS),
    "register.TargetGroup": _constant(TOPICS, NETWORKS),
    "register.Organisation": _organisation_rule,
    "register.OrganisationAlias": _of_organisation,
    "register.Membership": _membership_rule,
    "register.Person": _constant(PERSONS, MEMBERSHIPS, ORGANISATIONS, ACTOR_GROUPS),
    "register.ActorGroup": _constant(ACTOR_GROUPS, MEMBERSHIPS),
    "register.ActorGroup_organisations": _constant(ACTOR_GROUPS, ORGANISATIONS),
    "register.ActorGroup_persons": _constant(ACTOR_GROUPS, PERSONS),
    "register.Body": _constant(BODIES, NETWORKS, ORGANISATIONS, SITE),
    "register.Municipality": _constant(BODIES, NETWORKS, ORGANISATIONS),
    "register.MunicipalityStatistic": _constant(BODIES),
    "register.Location": _constant(LOCATIONS, EVENTS, MEETINGS),
    "register.Event": _of_network(EVENTS),
    "register.Meeting": _of_network(MEETINGS),
    "register.AgendaItem": _constant(MEETINGS),
    "register.FollowUp": _constant(MEETINGS),
    "register.File": _constant(MEETINGS, EVENTS),
    "register.SiteIdentity": _constant(SITE, BODIES),
    "register.SitePage": _constant(SITE),
    "register.Translation": _translation_rule,
    # The change history and who coordinates what: no public page shows them.
    "register.ChangeRecord": _constant(),
    "register.TranslationWork": _constant(),  # the staff's counts of the translations still to do
    "register.Assignment": _constant(),
    "meetings.MeetingSeries": _constant(MEETINGS),
    "meetings.MeetingSeries_meetings": _constant(MEETINGS),
    "meetings.Attendance": _constant(MEETINGS),
    "meetings.Invitation": _constant(MEETINGS),
    "meetings.Registration": _constant(EVENTS),
    "meetings.MinutesComment": _constant(MEETINGS),
    "meetings.OutgoingMail": _constant(),
    "meetings.FeedKey": _constant(),
    # The search index: ``portal.indexing`` touches the stems it changes.
    "portal.SearchDocument": _constant(),
    "portal.SearchTerm": _constant(),
    "portal.SearchFacet": _constant(),
    "portal.SearchWord": _constant(),
    "portal.SearchSynonym": _constant(SEARCH_SYNONYMS),
    "api.Tombstone": _constant(TOMBSTONES),  # every OParl list depends on it
    "api.ApiToken": _constant(),
}


def tags_of_change(instance, fields=None):
    rule = RULES.get(instance._meta.label)
    return {ALL} if rule is None else rule(instance, fields)


def _on_save(sender, instance, created=False, using=DEFAULT_DB_ALIAS, raw=False, **kwargs):
    if raw:  # loading a fixture or a backup: related rows may not be there yet, and everything changes
        touch(ALL, using=using)
        return
    touch(*tags_of_change(instance, changed_fields(instance, created)), using=using)


def _on_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    touch(*tags_of_change(instance, None), using=using)


def _on_m2m(sender, instance, action, reverse, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("pre_"):
        return
    tags = tags_of_change(sender(), None)
    if sender._meta.label in ("register.Network_topics", "register.Network_target_groups"):
        if not reverse:
            tags.add(parts(instance.pk))
        elif pk_set:
            tags |= {parts(pk) for pk in pk_set}
        else:  # a topic taken from all its networks: which, is no longer known
            tags.add(ALL)
    touch(*tags, using=using)


def _on_migrate(sender, **kwargs):
    # Every update of the software runs migrate: no page rendered by the code before is served after.
    _renew({ALL})


# --- what a page shows --------------------------------------------------------------------------------


def depends_on(request, *tags):
    """Say that the answer to ``request`` shows what the tags stand for (adds to what was said before).

    An answer that says nothing depends on ``any``: every change renews it."""
    request = getattr(request, "_request", request)  # a REST framework request wraps Django's
    found = getattr(request, "page_tags", None)
    if found is None:
        found = request.page_tags = set(IMPLIED)
    found.update(tags)


def shows(*tags):
    """Decorator of a view: its answers show what the tags stand for (``depends_on`` with fixed tags)."""

    def decorator(view):
        from functools import wraps

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            depends_on(request, *tags)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def connect(app_config):
    """Called once from the register app's ``ready()``.

    The receivers are connected model by model: a receiver for every model would make Django load
    and signal each row that any queryset deletes (no fast delete), in every app.
    """
    for model in app_config.apps.get_models(include_auto_created=True):
        if model._meta.app_label not in WATCHED_APPS:
            continue
        label = model._meta.label
        post_save.connect(_on_save, sender=model, dispatch_uid=f"register-freshness-save-{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"register-freshness-delete-{label}")
        m2m_changed.connect(_on_m2m, sender=model, dispatch_uid=f"register-freshness-m2m-{label}")
    post_migrate.connect(_on_migrate, sender=app_config, dispatch_uid="register-freshness-migrate")
