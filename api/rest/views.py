"""The JSON API for integrations (e.g. the county's website): public reads, token-authenticated writes."""

from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response

from register import freshness
from register import permissions as rules
from register.absolute import absolute_url, canonical_base
from register.filters import MembershipFilter
from register.guards import public
from register.history import audit_context
from register.models import (
    ActorGroup,
    Event,
    FocusArea,
    Membership,
    Municipality,
    MunicipalityStatistic,
    Network,
    NetworkHost,
    Organisation,
    Topic,
)

from . import serializers
from .fields import MAX_KEY, parse_key
from .pagination import KeysetPagination
from .permissions import RegisterRules, edits_some_network

KEY_PATTERN = "[0-9]{1,18}"


class InUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still referred to elsewhere and cannot be deleted.")
    default_code = "in_use"


class RegisterViewSet(viewsets.GenericViewSet):
    """Common ground: paging, key format, the permission rules and the audit trail for writes.

    Lists are paged by keyset (``KeysetPagination``) in the order of the view's queryset, which ends in
    the primary key and has an index of its own in the register.
    """

    pagination_class = KeysetPagination
    permission_classes = [RegisterRules]
    lookup_value_regex = KEY_PATTERN
    # What the answers show, for the page cache (``register.freshness``); none: every change renews them.
    shows = ()
    # The nested lists of the answers: {field: its related rows, in their order} (``serializers.load_nested``).
    nested = {}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else serializers.load_nested(self.get_serializer_class(), page, self.nested)

    def get_object(self):
        instance = super().get_object()
        if self.action == "retrieve":  # a write answers with what it wrote: its serializer reads the relations
            serializers.load_nested(self.get_serializer_class(), [instance], self.nested)
        return instance

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.shows:
            freshness.depends_on(request, *self.shows)

    def may_write(self, user):
        return False

    def may_change(self, user, obj):
        return False


class AuditedWrites:
    """Writes name the token's user as author in the change history (source "api").

    Listed first among a view set's bases, so that it wraps the mixins' ``perform_*``.
    """

    def perform_create(self, serializer):
        with audit_context(user=self.request.user, source="api"):
            super().perform_create(serializer)

    def perform_update(self, serializer):
        with audit_context(user=self.request.user, source="api"):
            super().perform_update(serializer)

    def perform_destroy(self, instance):
        with audit_context(user=self.request.user, source="api"):
            try:
                super().perform_destroy(instance)
            except ProtectedError:
                raise InUse() from None


WRITABLE = ["get", "post", "patch", "delete", "head", "options"]


class NetworkViewSet(
    AuditedWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    RegisterViewSet,
):
    """Networks with their focus areas, topics and hosts. Office: create and delete; coordinators: change."""

    serializer_class = serializers.NetworkSerializer
    shows = (freshness.NETWORKS, freshness.BODIES, freshness.TOPICS)
    http_method_names = WRITABLE
    queryset = Network.objects.order_by("position", "name", "pk")
    # Each ordered by its network's key, not by "network", which would join the networks for their ordering.
    nested = {
        "focus_areas": FocusArea.objects.order_by("network_id", "position", "pk"),
        "topics": Topic.objects.all(),
        "hosts": NetworkHost.objects.order_by("network_id", "position", "pk"),
    }

    def may_write(self, user):
        return rules.can_create_network(user) if self.action == "create" else edits_some_network(user)

    def may_change(self, user, obj):
        if self.action == "destroy":
            return rules.is_office(user)
        return rules.can_edit_network(user, obj)


ARCHIVED_PARAMETER = OpenApiParameter(
    "archived",
    {"type": "boolean"},
    description=_("true: the archived organisations instead of the current ones."),
    required=False,
)


def archived_filter(request):
    """Whether the archived organisations are asked for: ``archived=true``; anything but true or false is refused."""
    values = request.query_params.getlist("archived")
    if not values:
        return False
    if len(values) != 1 or values[0] not in ("true", "false"):
        raise ValidationError({"archived": [_("Give true or false.")]})
    return values[0] == "true"


@extend_schema_view(list=extend_schema(parameters=[ARCHIVED_PARAMETER]))
class OrganisationViewSet(
    AuditedWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    RegisterViewSet,
):
    """Organisations with their parent and units. Only the office changes them."""

    serializer_class = serializers.OrganisationSerializer
    shows = (freshness.ORGANISATIONS, freshness.BODIES)
    http_method_names = WRITABLE
    queryset = Organisation.objects.order_by("name", "pk")
    nested = {"units": Organisation.objects.order_by("parent_id", "name", "pk")}

    def get_queryset(self):
        """The list shows current organisations, or with ``archived=true`` the archived ones."""
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.filter(archived_at__isnull=not archived_filter(self.request))
        return queryset

    def may_write(self, user):
        return rules.can_edit_register(user)

    def may_change(self, user, obj):
        return rules.can_edit_register(user)


class ActorGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegisterViewSet):
    """Seats that stand for a class of actors, with the organisations that fill them."""

    serializer_class = serializers.ActorGroupSerializer
    shows = (freshness.ACTOR_GROUPS, freshness.ORGANISATION_NAMES)
    queryset = ActorGroup.objects.order_by("name", "pk")
    nested = {"organisations": Organisation.objects.all()}


NETWORK_PARAMETER = OpenApiParameter(
    "network",
    {"type": "integer", "minimum": 1, "maximum": MAX_KEY},
    description=_("Only those of this network (its id)."),
    required=False,
)


def network_filter(request):
    value = request.query_params.get("network")
    if value is None:
        return None
    key = parse_key(value)
    if key is None:
        raise ValidationError({"network": [_("Give the id of a network.")]})
    return key


# The columns of a seat's member that ``MembershipSerializer.get_member_name`` reads (``Person.__str__``).
MEMBER_NAMES = (
    "organisation__name",
    "actor_group__name",
    *(f"person__{name}" for name in ("title", "given_name", "family_name", "function", "erased_at")),
)


@extend_schema_view(list=extend_schema(parameters=[NETWORK_PARAMETER]))
class MembershipViewSet(
    AuditedWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    RegisterViewSet,
):
    """Seats in the networks. Persons appear only with their consent to publication.

    The office and the coordinators of a network change its memberships.
    """

    serializer_class = serializers.MembershipSerializer
    shows = (
        freshness.MEMBERSHIPS,
        freshness.NETWORK_NAMES,
        freshness.ORGANISATION_NAMES,
        freshness.PERSONS,
        freshness.ACTOR_GROUPS,
    )
    http_method_names = WRITABLE

    def get_queryset(self):
        queryset = (
            Membership.objects.filter(
                Q(person__isnull=True) | Q(person__consent_to_publish=True, person__erased_at__isnull=True)
            )
            .select_related("organisation", "actor_group", "person")
            .order_by("network_id", "position", "pk")
        )
        if self.action == "list":
            # Of the members only what ``member_name`` says: their other columns cost more to load than the seats.
            queryset = queryset.only(*(field.name for field in Membership._meta.concrete_fields), *MEMBER_NAMES)
        network = network_filter(self.request) if self.action == "list" else None
        # The workspace's list of memberships filters with the same FilterSet.
        return queryset if network is None else MembershipFilter({"network": network}, queryset=queryset).qs

    def may_write(self, user):
        return edits_some_network(user)

    def may_change(self, user, obj):
        return rules.can_edit_network(user, obj.network_id)

    def perform_create(self, serializer):
        self.check_network(serializer.validated_data["network"])
        super().perform_create(serializer)

    def perform_update(self, serializer):
        if "network" in serializer.validated_data:
            self.check_network(serializer.validated_data["network"])
        super().perform_update(serializer)

    def check_network(self, network):
        if not rules.can_edit_network(self.request.user, network):
            raise PermissionDenied(_("You may not change the memberships of this network."))


@extend_schema_view(list=extend_schema(parameters=[NETWORK_PARAMETER]))
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegisterViewSet):
    """Public events such as the yearly Inklusionsforum."""

    serializer_class = serializers.EventSerializer
    shows = (freshness.EVENTS, freshness.NETWORK_NAMES)

    def get_queryset(self):
        queryset = Event.objects.filter(is_public=True).select_related("location").order_by("start", "pk")
        network = network_filter(self.request) if self.action == "list" else None
        return queryset if network is None else queryset.filter(network_id=network)


class MunicipalityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegisterViewSet):
    """The municipalities of the county with their dated population figures."""

    serializer_class = serializers.MunicipalitySerializer
    shows = (freshness.BODIES,)
    queryset = Municipality.objects.order_by("name", "pk")
    nested = {"statistics": MunicipalityStatistic.objects.order_by("municipality_id", "-date", "pk")}


# part of the API -> the name of its list's URL
PARTS = {
    "networks": "network-list",
    "organisations": "organisation-list",
    "actor-groups": "actor-group-list",
    "memberships": "membership-list",
    "events": "event-list",
    "municipalities": "municipality-list",
}


@extend_schema(
    summary="The parts of the API",
    responses=inline_serializer(
        "ApiRoot",
        {
            **{name: drf_serializers.URLField() for name in PARTS},
            "schema": drf_serializers.URLField(),
            "docs": drf_serializers.URLField(),
            "oparl": drf_serializers.URLField(),
        },
    ),
)
@public
@api_view(["GET"])
@permission_classes([])
def api_root(request):
    """Links to every list of the API, its OpenAPI description, its description page and OParl."""
    links = {name: absolute_url(reverse(f"api:rest:{url}"), request) for name, url in PARTS.items()}
    links.update(
        schema=absolute_url(reverse("api:rest:schema"), request),
        docs=absolute_url(reverse("api:rest:docs"), request),
        oparl=canonical_base(request) + reverse("api:oparl:system"),
    )
    return Response(links)
