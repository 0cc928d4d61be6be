"""The OParl 1.1 endpoint: read-only, public, without session, every answer with CORS for all origins.

Every answer – objects, lists, files and errors alike – carries ``Access-Control-Allow-Origin: *``;
errors are OParl error objects in JSON, also for other methods than GET (no CSRF page: nothing here
writes) and for server errors. A request on another host name than the canonical one (``localhost``
for ``127.0.0.1``, or any other than ``VERNETZT_SITE_URL``) is redirected there (OParl 1.1, 2.3), so
that an object has one URL.
"""

import functools
import json
import logging
import posixpath
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db.models import F, Max, Min, Prefetch
from django.http import FileResponse, HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from register import freshness as fresh
from register.absolute import absolute_url, canonical_base, of_request
from register.guards import public
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
    SiteIdentity,
    Topic,
)

from ..models import Tombstone
from . import lists, objects, scope

logger = logging.getLogger(__name__)

# The lists of a body: URL part -> (OParl type of the tombstones, models in the order listed)
BODY_LISTS = {
    "organizations": ("Organization", [Network, Organisation, ActorGroup]),
    "persons": ("Person", [Person]),
    "meetings": ("Meeting", [Meeting]),
    "papers": ("Paper", []),
    "consultations": ("Consultation", []),
    "memberships": ("Membership", [Membership]),
    "agenda-items": ("AgendaItem", [AgendaItem]),
    "files": ("File", [File]),
    "locations": ("Location", [Location]),
    "legislative-terms": ("LegislativeTerm", [LegislativeTerm]),
}

# What each list of a body shows, for the page cache (``register.freshness``). Which objects belong to
# a body follows the networks' hosts (``bodies``) and which networks exist (``network-names``).
_SCOPE = (fresh.BODIES, fresh.NETWORK_NAMES, fresh.TOMBSTONES)
_MEETINGS = (*_SCOPE, fresh.MEETINGS, fresh.EVENTS)
LIST_TAGS = {
    "organizations": (*_SCOPE, *fresh.KINDS),
    "persons": (*_SCOPE, fresh.PERSONS, fresh.MEMBERSHIPS),
    "memberships": (*_SCOPE, fresh.PERSONS, fresh.MEMBERSHIPS),
    "meetings": _MEETINGS,
    "agenda-items": _MEETINGS,
    "files": _MEETINGS,
    "locations": _MEETINGS,
    "legislative-terms": (*_SCOPE, fresh.NETWORKS, fresh.MEMBERSHIPS, fresh.PERSONS),
}


# What a network shows of its memberships and seats (``objects.network`` and ``objects.seat``).
SHOWN_FIELDS = [
    "network_id",
    "person_id",
    "organisation_id",
    "actor_group_id",
    "role",
    "voting_right",
    "start_date",
    "end_date",
    "label",
]


@dataclass
class Context:
    omit_internal: bool = False


def with_related(model, queryset, home):
    """Everything the serialiser of ``model`` reads, loaded in a fixed number of queries.

    Embedded objects come from the same annotated querysets as their own URLs, so that they show
    the same ``modified`` in both places. Each relation is prefetched into a plain list (``to_attr``):
    without it, Django gives every row a manager and a queryset of its own for each relation.
    """
    related = _related(model, home)
    return queryset.prefetch_related(*related) if related else queryset


@functools.lru_cache(maxsize=64)
def _related(model, home):
    """The prefetches of ``with_related``, built once per process (as a view's class attributes are): building
    their annotated querysets took longer than running them. Each use reads them through copies."""
    if model is Body:
        return (Prefetch("legislative_terms", queryset=scope.legislative_terms(home), to_attr="shown_terms"),)
    if model is Network:
        # Ordered by the network's key, not by "network" (the network's own ordering, a join): the same
        # order within each network.
        shown = (
            Membership.objects.filter(scope.SHOWN_MEMBERSHIP)
            .only(*SHOWN_FIELDS)
            .order_by("network_id", "position", "pk")
        )
        return (
            Prefetch("memberships", queryset=shown, to_attr="shown_memberships"),
            Prefetch("topics", queryset=Topic.objects.only("name"), to_attr="shown_topics"),
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.only("network_id", "name", "position").order_by(
                    "network_id", "position", "pk"
                ),
                to_attr="shown_focus_areas",
            ),
            Prefetch(
                "hosts",
                queryset=NetworkHost.objects.only("network_id", "body_id", "position").order_by(
                    "network_id", "position", "pk"
                ),
                to_attr="shown_hosts",
            ),
        )
    if model is ActorGroup:
        return (Prefetch("organisations", queryset=Organisation.objects.only("pk"), to_attr="shown_organisations"),)
    if model is Person:
        return (Prefetch("memberships", queryset=scope.person_memberships(home), to_attr="shown_memberships"),)
    if model not in (Meeting, AgendaItem):
        return ()
    files = Prefetch("files", queryset=scope.files(home).order_by("pk"), to_attr="public_files")
    if model is Meeting:
        items = scope.agenda_items(home).order_by("meeting_id", "position").prefetch_related(files)
        return (
            Prefetch("location", queryset=scope.locations(home)),
            files,
            Prefetch("agenda_items", queryset=items, to_attr="public_agenda_items"),
        )
    return (files,)


def with_cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def respond(data, status=200):
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )
    return with_cors(response)


def error(status, message, debug=""):
    """An OParl error object with a status code that says what went wrong."""
    data = {"type": scope.type_url("Error"), "message": str(message)}
    if debug:
        data["debug"] = debug
    return respond(data, status=status)


ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def oparl_view(view):
    """Only GET and HEAD (and the CORS preflight); everything else, unknown objects, bad parameters and
    server errors answer with an OParl error object. Requests on another host are sent to the canonical one."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        canonical = canonical_base(request)
        if of_request(request) != canonical:
            return with_cors(HttpResponsePermanentRedirect(canonical + request.get_full_path()))
        if request.method == "OPTIONS":
            response = with_cors(HttpResponse(status=204))
            response["Allow"] = response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            return response
        if request.method not in {"GET", "HEAD"}:
            response = error(405, _("The OParl interface can only be read (GET)."), f"method {request.method}")
            response["Allow"] = ALLOWED_METHODS
            return response
        try:
            return view(request, *args, **kwargs)
        except lists.ParameterError as problem:
            return error(400, str(problem), request.get_full_path())
        except Exception:
            logger.exception("OParl request %s failed", request.get_full_path())
            return error(500, _("The server could not answer this request. Please try again later."))

    return wrapper


def not_found(request, *args, **kwargs):
    return error(404, _("There is no such object."), request.path)


@public
@oparl_view
def unknown(request, rest=""):
    return not_found(request)


@public
@fresh.shows(fresh.BODIES)
@oparl_view
def system(request):
    span = Body.objects.aggregate(created=Min("created"), modified=Max("modified"))
    identity = SiteIdentity.current()
    data = {
        "id": scope.absolute("system"),
        "type": scope.type_url("System"),
        "oparlVersion": "https://schema.oparl.org/1.1/",
        "body": scope.absolute("bodies"),
        "name": f"vernetzt – {identity.name_with_body}" if identity.office_name else "vernetzt",
        "contactEmail": identity.email or settings.OFFICE_EMAIL,
        "website": absolute_url("/"),
        "created": objects.stamp(span["created"] or timezone.now()),
        "modified": objects.stamp(span["modified"] or timezone.now()),
    }
    return respond(objects.compact(data))


def object_list(request, list_path, sources, tombstones, home):
    query = lists.parse_query(request.GET)
    context = Context(omit_internal=query.omit_internal)
    prepared = [(model, with_related(model, lists.filtered(queryset, query), home)) for model, queryset in sources]
    prepared.append((Tombstone, lists.filtered_tombstones(tombstones, query)))
    rows, more = lists.page_of(prepared, query)
    data = [
        objects.deleted(row) if model is Tombstone else objects.SERIALIZERS[model](row, context) for model, row in rows
    ]
    last = (lists.source_name(rows[-1][0]), rows[-1][1].pk) if rows else None
    return respond(lists.envelope(data, last, more, query, scope.absolute(list_path)))


@public
@fresh.shows(fresh.BODIES, fresh.TOMBSTONES)
@oparl_view
def bodies(request):
    home = Body.home_pk()
    tombstones = Tombstone.objects.filter(oparl_type="Body")
    return object_list(request, "bodies", [(Body, scope.annotated(Body, home))], tombstones, home)


@public
@oparl_view
def body_list(request, pk, kind):
    home = Body.home_pk()
    # The home body exists (the site identity names it); any other is looked up.
    if kind not in BODY_LISTS or (pk != home and not Body.objects.filter(pk=pk).exists()):
        return not_found(request)
    fresh.depends_on(request, *LIST_TAGS.get(kind, (fresh.ANY,)))
    oparl_type, models = BODY_LISTS[kind]
    sources = [(model, scope.of_body(model, home, pk)) for model in models]
    tombstones = Tombstone.objects.filter(oparl_type=oparl_type, body_id=pk)
    return object_list(request, f"body/{pk}/{kind}", sources, tombstones, home)


@public
@oparl_view
def network_meetings(request, pk):
    if not Network.objects.filter(pk=pk).exists():
        return not_found(request)
    home = Body.home_pk()
    sources = [(Meeting, scope.annotated(Meeting, home).filter(network_id=pk))]
    tombstones = Tombstone.objects.filter(oparl_type="Meeting", network_id=pk)
    return object_list(request, f"organization/network-{pk}/meetings", sources, tombstones, home)


@public
@oparl_view
def detail(request, model, pk):
    home = Body.home_pk()
    row = with_related(model, scope.annotated(model, home), home).filter(pk=pk).first()
    if row is not None:
        context = Context(omit_internal=request.GET.get("omit_internal", "").lower() == "true")
        return respond(objects.SERIALIZERS[model](row, context))
    tombstone = Tombstone.objects.filter(path=scope.path_of(model, pk)).first()
    if tombstone is not None:
        return respond(objects.deleted(tombstone))
    return not_found(request)


@public
@oparl_view
def seat(request, pk):
    """A seat of an organisation or actor group (the vendor object in a network's ``vernetzt:seat``)."""
    row = Membership.objects.filter(person__isnull=True, pk=pk).annotate(oparl_modified=F("modified")).first()
    if row is not None:
        return respond(objects.seat(row, own=True))
    tombstone = Tombstone.objects.filter(path=f"seat/{pk}").first()
    if tombstone is not None:
        return respond(objects.deleted(tombstone))
    return not_found(request)


@public
@oparl_view
def file_content(request, pk, as_attachment=False):
    """A public file: shown in the browser (``accessUrl``) or saved (``downloadUrl``, as attachment)."""
    row = scope.files(0).filter(pk=pk).first()
    if row is None or not row.file or not row.file.storage.exists(row.file.name):
        return not_found(request)
    response = FileResponse(
        row.file.open("rb"),
        content_type=row.mime_type,
        as_attachment=as_attachment,
        filename=posixpath.basename(row.file.name),
    )
    return with_cors(response)
