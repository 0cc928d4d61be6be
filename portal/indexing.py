"""Keeps the search table (``SearchDocument``) in step with the register.

Every save and delete of a network, organisation, alias, actor group, focus area or topic
rewrites the entries it changes, in the same transaction: an organisation's entry holds the
names of the organisations above it, so a change reaches its units too. Writes that bypass model
signals (``bulk_create``, ``QuerySet.update``) are followed by ``rebuild()`` or ``catch_up()``.
"""

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

from register.models import ActorGroup, FocusArea, Network, Organisation, OrganisationAlias, Topic

from .folding import joined, words
from .models import SearchDocument

Kind = SearchDocument.Kind
BATCH = 2000


def document(kind, object_id, name, primary, secondary=frozenset(), **fields):
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        name=name[:1000],
        sort_key=name.casefold()[:1000],
        primary=joined(primary),
        secondary=joined(secondary - primary),
        words=joined(primary | secondary),
        **fields,
    )


def select(queryset, ids=None, above=None, field="pk"):
    """The rows with the given ids, or with ids above a number, or all."""
    if ids is not None:
        queryset = queryset.filter(**{f"{field}__in": ids})
    if above is not None:
        queryset = queryset.filter(**{f"{field}__gt": above})
    return queryset


def network_documents(ids=None, above=None):
    networks = select(Network.objects.order_by(), ids, above)
    topics = {}
    links = Network.topics.through.objects.filter(network__in=networks.values("pk"))
    for network_id, name in links.values_list("network_id", "topic__name"):
        topics.setdefault(network_id, []).append(name)
    for pk, name, short_name, purpose in networks.values_list("pk", "name", "short_name", "purpose"):
        secondary = words(" ".join([purpose, *topics.get(pk, [])]))
        yield document(Kind.NETWORK, pk, name, words(f"{name} {short_name}"), secondary, network_id=pk)


def focus_area_documents(ids=None, above=None):
    areas = select(FocusArea.objects.order_by(), ids, above)
    for pk, name, network_id, network_name in areas.values_list("pk", "name", "network_id", "network__name"):
        yield document(Kind.FOCUS_AREA, pk, name, words(name), words(network_name), network_id=network_id)


def actor_group_documents(ids=None, above=None):
    groups = select(ActorGroup.objects.order_by(), ids, above)
    for pk, name in groups.values_list("pk", "name"):
        yield document(Kind.ACTOR_GROUP, pk, name, words(name))


ORGANISATION_FIELDS = ("pk", "name", "short_name", "parent_id", "category", "municipality_id")


def organisation_documents(ids=None, above=None):
    """Entries of the organisations (all, the given ones or those above an id) with the names above them."""
    organisations = Organisation.objects.order_by()
    rows = {row[0]: row for row in select(organisations.current(), ids, above).values_list(*ORGANISATION_FIELDS)}
    wanted = list(rows) if ids is None else [pk for pk in ids if pk in rows]
    missing = {row[3] for row in rows.values() if row[3] and row[3] not in rows}
    while missing:  # the organisations above, one query per level
        found = {row[0]: row for row in organisations.filter(pk__in=missing).values_list(*ORGANISATION_FIELDS)}
        rows.update(found)
        missing = {row[3] for row in found.values() if row[3] and row[3] not in rows}
    aliases = {}
    alias_rows = select(OrganisationAlias.objects.order_by(), ids, above, field="organisation_id")
    for organisation_id, name in alias_rows.values_list("organisation_id", "name"):
        aliases.setdefault(organisation_id, []).append(name)

    chains = {}

    def chain(pk):
        """(pk, name, category, municipality in force) from the top down to the organisation."""
        if pk not in chains:
            _pk, name, _short, parent_id, category, municipality_id = rows[pk]
            upper = chain(parent_id) if parent_id else []
            municipality_id = municipality_id or (upper[-1][3] if upper else None)
            chains[pk] = [*upper, (pk, name, category, municipality_id)]
        return chains[pk]

    for pk in wanted:
        nodes = chain(pk)
        full_name = " - ".join(node[1] for node in nodes)
        names = " ".join([full_name, rows[pk][2], *aliases.get(pk, [])])
        yield document(
            Kind.ORGANISATION,
            pk,
            full_name,
            words(names),
            category=rows[pk][4],
            municipality_id=nodes[-1][3],
            chain="|" + "|".join(str(node[0]) for node in nodes) + "|",
            chain_tags=" " + " ".join(f"{node[2]}@{node[3] or ''}" for node in nodes) + " ",
        )


def descendants(ids):
    """The given organisations and all their units, one query per level."""
    found, level = set(ids), set(ids)
    while level:
        level = set(Organisation.objects.filter(parent__in=level).values_list("pk", flat=True)) - found
        found |= level
    return found


def replace(kind, ids, documents):
    """Write the entries of ``kind`` for ``ids`` anew (an id without a document is removed)."""
    SearchDocument.objects.filter(kind=kind, object_id__in=ids).delete()
    save(documents)


def save(documents):
    batch = []
    for item in documents:
        batch.append(item)
        if len(batch) >= BATCH:
            SearchDocument.objects.bulk_create(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)


def rebuild():
    """Build the whole search table anew; returns the number of entries."""
    SearchDocument.objects.all().delete()
    save(network_documents())
    save(focus_area_documents())
    save(actor_group_documents())
    save(organisation_documents())
    return SearchDocument.objects.count()


SOURCES = {
    Kind.NETWORK: (Network, network_documents),
    Kind.FOCUS_AREA: (FocusArea, focus_area_documents),
    Kind.ACTOR_GROUP: (ActorGroup, actor_group_documents),
    Kind.ORGANISATION: (Organisation, organisation_documents),
}


def catch_up():
    """Index entries created without model signals (bulk_create): those above the highest indexed id.

    One query when nothing is missing.
    """
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    parts, params = [], []
    for kind, (model, _build) in SOURCES.items():
        parts.append(f"(SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)})")
        parts.append(f"(SELECT MAX(object_id) FROM {table} WHERE kind = %s)")
        params.append(kind.value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    for number, (kind, (_model, build)) in enumerate(SOURCES.items()):
        newest, indexed = row[2 * number], row[2 * number + 1] or 0
        if newest and newest > indexed:
            SearchDocument.objects.filter(kind=kind, object_id__gt=indexed).delete()
            save(build(above=indexed))


# --- keeping it current ------------------------------------------------------------------------


def organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ids = descendants([instance.pk])
        replace(Kind.ORGANISATION, ids, organisation_documents(sorted(ids)))


def alias_changed(sender, instance, raw=False, **kwargs):
    if not raw and Organisation.objects.filter(pk=instance.organisation_id).exists():
        ids = [instance.organisation_id]
        replace(Kind.ORGANISATION, ids, organisation_documents(ids))


def network_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_networks([instance.pk])


def reindex_networks(ids):
    replace(Kind.NETWORK, ids, network_documents(ids))
    areas = list(FocusArea.objects.filter(network__in=ids).values_list("pk", flat=True))
    replace(Kind.FOCUS_AREA, areas, focus_area_documents(areas))


def topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        if action != "pre_clear":
            reindex_networks([instance.pk])
    elif action == "pre_clear":
        instance._search_networks = list(instance.networks.values_list("pk", flat=True))
    elif action == "post_clear":
        reindex_networks(getattr(instance, "_search_networks", []))
    else:
        reindex_networks(list(pk_set or []))


def topic_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_networks(list(instance.networks.values_list("pk", flat=True)))


def focus_area_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        replace(Kind.FOCUS_AREA, [instance.pk], focus_area_documents([instance.pk]))


def actor_group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        replace(Kind.ACTOR_GROUP, [instance.pk], actor_group_documents([instance.pk]))


def deleted(kind):
    def handler(sender, instance, **kwargs):
        SearchDocument.objects.filter(kind=kind, object_id=instance.pk).delete()

    return handler


HANDLERS = [
    (post_save, Organisation, organisation_saved),
    (post_delete, Organisation, deleted(Kind.ORGANISATION)),
    (post_save, OrganisationAlias, alias_changed),
    (post_delete, OrganisationAlias, alias_changed),
    (post_save, Network, network_saved),
    (post_delete, Network, deleted(Kind.NETWORK)),
    (post_save, Topic, topic_saved),
    (post_save, FocusArea, focus_area_saved),
    (post_delete, FocusArea, deleted(Kind.FOCUS_AREA)),
    (post_save, ActorGroup, actor_group_saved),
    (post_delete, ActorGroup, deleted(Kind.ACTOR_GROUP)),
]


def connect():
    """Called once from the portal app's ``ready()``."""
    for signal, sender, handler in HANDLERS:
        signal.connect(handler, sender=sender, dispatch_uid=f"portal-search-{sender.__name__}-{handler.__name__}")
    m2m_changed.connect(topics_changed, sender=Network.topics.through, dispatch_uid="portal-search-topics")
