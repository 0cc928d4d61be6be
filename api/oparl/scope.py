"""What OParl shows and where: canonical paths, what is public, and which body an object belongs to.

Every object has one body (OParl ``body`` is n:1), so each body's lists split the register without
overlap:

* a network belongs to the *home body* – the body the register belongs to, as the office set it in the
  site identity (``Body.home_pk()``) – when that is one of its hosts (a joint network such
  as MiGe, run by the county and the City of Darmstadt, belongs to the county), else to the body of its
  first host (``NetworkHost`` by position); a network without host, like everything else without a
  body of its own, to the home body;
* an organisation belongs to its own ``body`` if it has one, else to the home body; actor groups,
  persons and locations to the home body;
* memberships and meetings belong to their network's body, agenda items and files to their meeting's.

An object's ``modified`` (annotated as ``oparl_modified``) is the latest change of the object or of
what it shows of others: a network's memberships, focus areas and hosts, a person's memberships, a
meeting's agenda, files and location, an agenda item's files, a body's legislative terms – including
their deletion (the tombstones name the objects that showed them in ``parents``).

Public are: networks, organisations, actor groups, locations and legislative terms; persons only with
consent to publication and not erased; memberships only of public persons; meetings only when public,
agenda items and files only when they and their meeting are public.
"""

import functools

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Greatest

from register.absolute import absolute_url
from register.models import (
    ActorGroup,
    AgendaItem,
    Body,
    File,
    FocusArea,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Network,
    NetworkHost,
    Organisation,
    Person,
)
from register.subqueries import count_per_row

from ..models import Tombstone

PREFIX = "oparl/v1.1/"
SCHEMA = "https://schema.oparl.org/1.1/"

# model -> (OParl type, path prefix of its canonical URL)
KINDS = {
    Body: ("Body", "body/"),
    Network: ("Organization", "organization/network-"),
    Organisation: ("Organization", "organization/institution-"),
    ActorGroup: ("Organization", "organization/actor-group-"),
    Person: ("Person", "person/"),
    Membership: ("Membership", "membership/"),
    Meeting: ("Meeting", "meeting/"),
    AgendaItem: ("AgendaItem", "agenda-item/"),
    File: ("File", "file/"),
    Location: ("Location", "location/"),
    LegislativeTerm: ("LegislativeTerm", "legislative-term/"),
}


def absolute(path):
    """The URL of a path below /oparl/v1.1/, on the canonical base (``register.absolute``; requests on
    another host are redirected there first, so ids never name another host or port)."""
    return absolute_url(f"/{PREFIX}{path}")


def type_url(oparl_type):
    return SCHEMA + oparl_type


def path_of(model, pk):
    return f"{KINDS[model][1]}{pk}"


def url_of(model, pk):
    return absolute(path_of(model, pk))


def _first_host_body(network_ref):
    return NetworkHost.objects.filter(network=network_ref).order_by("position", "pk").values("body_id")[:1]


def _home_host(network_ref, home):
    # No ordering: any row will do, and the hosts' own ordering would join the network for its name.
    return NetworkHost.objects.filter(network=network_ref, body_id=home).order_by().values("body_id")[:1]


def _body_of_network(network_ref, home, known=None):
    """The home body if it hosts the network, else the first host, else (no host) the home body.

    ``known``: the body, when the rows were picked from the networks of one body (``of_body``).
    """
    if known is not None:
        return Value(known, output_field=models.BigIntegerField())
    return Coalesce(
        Subquery(_home_host(network_ref, home)),
        Subquery(_first_host_body(network_ref)),
        Value(home),
        output_field=models.BigIntegerField(),
    )


PUBLIC_PERSON = Q(consent_to_publish=True, erased_at__isnull=True)
OWN_CHANGE = F("modified")


def _latest(queryset, field="modified"):
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _gone_from(prefix):
    """When the last object shown by this one was deleted or depublished."""
    path = Concat(Value(f" {prefix}"), Cast(OuterRef("pk"), models.CharField()), Value(" "))
    return _latest(Tombstone.objects.filter(parents__contains=path), "deleted_at")


def _changed(model, *latest):
    """The object's own change or a later change of what it shows, whichever came last."""
    prefix = KINDS[model][1]
    return Greatest(OWN_CHANGE, *[Coalesce(when, OWN_CHANGE) for when in [*latest, _gone_from(prefix)]])


def parents_of(instance):
    """The paths of the objects that show ``instance``, for its tombstone."""
    model = type(instance)
    paths = []
    if model is Membership:
        paths = [path_of(Network, instance.network_id)]
        if instance.person_id:
            paths.append(path_of(Person, instance.person_id))
    elif model is AgendaItem:
        paths = [path_of(Meeting, instance.meeting_id)]
    elif model is File:
        paths = [path_of(Meeting, instance.meeting_id)]
        if instance.agenda_item_id:
            paths.append(path_of(AgendaItem, instance.agenda_item_id))
    elif model is LegislativeTerm:
        paths = [path_of(Body, instance.body_id)]
    return "".join(f" {path} " for path in paths)


# A seat, or the membership of a public person. Asked per membership (an index lookup each) rather than by
# joining every person: the planner joins all of them by hash (6,000 at nation scale, 3 ms) for the
# memberships of a few networks, most of which are seats without a person.
SHOWN_MEMBERSHIP = Q(person__isnull=True) | Q(Exists(Person.objects.filter(PUBLIC_PERSON, pk=OuterRef("person_id"))))


def networks(home, body=None):
    return Network.objects.annotate(
        oparl_body_id=_body_of_network(OuterRef("pk"), home, body),
        oparl_modified=_changed(
            Network,
            _latest(Membership.objects.filter(SHOWN_MEMBERSHIP, network=OuterRef("pk"))),
            _latest(FocusArea.objects.filter(network=OuterRef("pk"))),
            _latest(NetworkHost.objects.filter(network=OuterRef("pk"))),
        ),
    )


def organisations(home):
    return Organisation.objects.annotate(
        oparl_body_id=Coalesce("body_id", Value(home), output_field=models.BigIntegerField()),
        oparl_modified=OWN_CHANGE,
    )


def actor_groups(home):
    return ActorGroup.objects.annotate(
        oparl_body_id=Value(home, output_field=models.BigIntegerField()), oparl_modified=OWN_CHANGE
    )


def persons(home):
    return Person.objects.filter(PUBLIC_PERSON).annotate(
        oparl_body_id=Value(home, output_field=models.BigIntegerField()),
        oparl_modified=_changed(Person, _latest(Membership.objects.filter(person=OuterRef("pk")))),
    )


def memberships(home, body=None):
    return Membership.objects.filter(person__consent_to_publish=True, person__erased_at__isnull=True).annotate(
        oparl_body_id=_body_of_network(OuterRef("network_id"), home, body), oparl_modified=OWN_CHANGE
    )


def person_memberships(home):
    """The memberships a person shows embedded: those in networks of the person's body (the home body).

    A client that imports one body at a time (Meine Stadt Transparent) finds the Organization of every
    embedded Membership in the same body's lists; a membership in a network of another body is listed
    by that body and by its network.
    """
    return memberships(home).filter(oparl_body_id=home)


def meetings(home, body=None):
    return Meeting.objects.filter(is_public=True).annotate(
        oparl_body_id=_body_of_network(OuterRef("network_id"), home, body),
        oparl_modified=_changed(
            Meeting,
            _latest(AgendaItem.objects.filter(meeting=OuterRef("pk"), public=True)),
            _latest(File.objects.filter(meeting=OuterRef("pk"), public=True)),
            _latest(Location.objects.filter(pk=OuterRef("location_id"))),
        ),
    )


def _order_in_meeting():
    """The item's place among all items of its meeting, counted from 0 (OParl ``order``)."""
    earlier = AgendaItem.objects.filter(meeting=OuterRef("meeting_id")).filter(
        Q(position__lt=OuterRef("position")) | Q(position=OuterRef("position"), pk__lt=OuterRef("pk"))
    )
    return count_per_row(earlier, "meeting")


def agenda_items(home, body=None):
    # The result of an item is public once the meeting's minutes are approved.
    return AgendaItem.objects.filter(public=True, meeting__is_public=True).annotate(
        oparl_body_id=_body_of_network(OuterRef("meeting__network_id"), home, body),
        oparl_minutes_approved_at=F("meeting__minutes_approved_at"),
        oparl_order=_order_in_meeting(),
        oparl_modified=_changed(
            AgendaItem,
            _latest(File.objects.filter(agenda_item=OuterRef("pk"), public=True)),
            F("meeting__minutes_approved_at"),
        ),
    )


PUBLIC_FILE = Q(public=True, meeting__is_public=True) & (Q(agenda_item__isnull=True) | Q(agenda_item__public=True))


def files(home, body=None):
    return File.objects.filter(PUBLIC_FILE).annotate(
        oparl_body_id=_body_of_network(OuterRef("meeting__network_id"), home, body), oparl_modified=OWN_CHANGE
    )


def locations(home):
    return Location.objects.annotate(
        oparl_body_id=Value(home, output_field=models.BigIntegerField()), oparl_modified=OWN_CHANGE
    )


def legislative_terms(home):
    return LegislativeTerm.objects.annotate(oparl_body_id=F("body_id"), oparl_modified=OWN_CHANGE)


def bodies(home):
    return Body.objects.annotate(
        oparl_body_id=F("pk"),
        oparl_modified=_changed(Body, _latest(LegislativeTerm.objects.filter(body=OuterRef("pk")))),
    )


QUERYSETS = {
    Body: bodies,
    Network: networks,
    Organisation: organisations,
    ActorGroup: actor_groups,
    Person: persons,
    Membership: memberships,
    Meeting: meetings,
    AgendaItem: agenda_items,
    File: files,
    Location: locations,
    LegislativeTerm: legislative_terms,
}


def network_ids_of_body(home, body):
    """The ids of the networks that belong to ``body``, in one query that the hosts' indexes serve.

    The home body gets the networks it hosts and those that nobody hosts; another body the networks
    it hosts first that the home body does not host. Read once per list, so that the list's own
    queries filter by a short list of keys instead of computing the body of every row.
    """
    if body == home:
        hosted = Network.objects.hosted_by(home).order_by().values_list("pk", flat=True)
        return sorted(hosted.union(Network.objects.filter(hosted=False).order_by().values_list("pk", flat=True)))
    hosted_first = (
        NetworkHost.objects.filter(body_id=body)
        .annotate(network_body=_body_of_network(OuterRef("network_id"), home))
        .filter(network_body=body)
        .values_list("network_id", flat=True)
    )
    return sorted(set(hosted_first))


# The models whose body is their network's.
BY_NETWORK = (Network, Membership, Meeting, AgendaItem, File)


def annotated(model, home, body=None):
    """``QUERYSETS[model](home)`` (with ``body`` for the models of ``BY_NETWORK``), a fresh copy of one built
    once per process: building the annotations (the body, the subqueries of the latest changes) took about
    as long as a list's queries take to run. Only their shape is kept, no rows: each use gets its own copy."""
    return _built(model, home, body).all()


@functools.lru_cache(maxsize=256)
def _built(model, home, body):
    return QUERYSETS[model](home) if body is None else QUERYSETS[model](home, body)


def of_body(model, home, body):
    """The objects of ``model`` that belong to ``body`` (the rules above), as filters an index can serve.

    Equivalent to ``QUERYSETS[model](home).filter(oparl_body_id=body)``, which would compute the body of
    every row of the table before it could pick the few of one body. The rows of the networks of
    ``body`` need not compute it at all: it is ``body``.
    """
    if model in BY_NETWORK:
        networks_here = network_ids_of_body(home, body)
        queryset = annotated(model, home, body)
    else:
        queryset = annotated(model, home)
    if model is Body:
        return queryset.filter(pk=body)
    if model is Organisation:
        return queryset.filter(Q(body_id=body) | Q(body_id__isnull=True) if body == home else Q(body_id=body))
    if model in (ActorGroup, Person, Location):
        return queryset if body == home else queryset.none()
    if model is LegislativeTerm:
        return queryset.filter(body_id=body)
    if model is Network:
        return queryset.filter(pk__in=networks_here)
    if model in (Membership, Meeting):
        return queryset.filter(network_id__in=networks_here)
    return queryset.filter(meeting__network_id__in=networks_here)  # agenda items and files


def visible(instance):
    """Whether the object is public through OParl right now (one row, used when it is deleted or saved)."""
    queryset = QUERYSETS[type(instance)](0)
    return queryset.filter(pk=instance.pk).exists()


def placement(instance):
    """(body id, network id) of a single object, by the rules above."""
    home = Body.home_pk()
    model = type(instance)
    network_id = None
    if model is Network:
        network_id = instance.pk
    elif model in (Membership, Meeting):
        network_id = instance.network_id
    elif model in (AgendaItem, File):
        network_id = Meeting.objects.filter(pk=instance.meeting_id).values_list("network_id", flat=True).first()
    if network_id is not None:
        hosts = list(
            NetworkHost.objects.filter(network_id=network_id)
            .order_by("position", "pk")
            .values_list("body_id", flat=True)
        )
        return (home if home in hosts or not hosts else hosts[0]), network_id
    if model is Organisation:
        return instance.body_id or home, None
    if model is LegislativeTerm:
        return instance.body_id, instance.network_id
    if model is Body:
        return instance.pk, None
    return home, None
