"""Filters of the register's lists, written once (django-filter) for the workspace's lists and the JSON API.

The free-text filter ``q`` is folded with the register's spelling of the German letters
(``register.text.GERMAN_SPELLING``): case, umlauts and ß do not matter ("Paritätisch", "paritaetisch"), and
every word of the query must appear in one of the searched columns, in any order. The database folds the
columns with the same rules (``folded``), so a search is one query, on SQLite and PostgreSQL alike.
"""

import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import widgets

from .composition import with_vacant_seats
from .folding import SPELLED_OUT, Folded, folded
from .models import ActorGroup, Category, ChangeRecord, LegalBasis, Membership, Network, Organisation, Person
from .models.memberships import active_condition

WORD = re.compile(r"[^\W_]+")


def query_words(query):
    """The folded words of a query: "Der PARITÄTISCHE" -> ["der", "paritaetische"]."""
    spelled = query.casefold()
    for letter, written in SPELLED_OUT:
        spelled = spelled.replace(letter.casefold(), written)
    return list(dict.fromkeys(WORD.findall(spelled)))


class BooleanWidget(widgets.BooleanWidget):
    """A yes/no filter whose empty choice says that it does not filter."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("all")), ("true", _("yes")), ("false", _("no"))]


def search(queryset, fields, query):
    """Entries in which every folded word of ``query`` appears in one of ``fields``."""
    words = query_words(query or "")
    if not words:
        return queryset
    # A column the database already keeps folded (``Folded``) is searched as it is, without the functions.
    queryset = queryset.alias(
        **{f"folded_{index}": folded(field) for index, field in enumerate(fields) if not isinstance(field, Folded)}
    )
    names = [field if isinstance(field, Folded) else f"folded_{index}" for index, field in enumerate(fields)]
    for word in words:
        condition = Q()
        for name in names:
            condition |= _contains(queryset.model, name, word)
        queryset = queryset.filter(condition)
    return queryset


def _contains(model, name, word):
    """The rows whose column ``name`` contains ``word``. A folded column of a related row ("parent__folded_names")
    as the keys of the related rows that contain it, found by the column's own index: with "or", a join to
    test the column read every row of both sides (an organisation's name or its parent's: 100 ms at nation
    scale)."""
    relation, _, column = name.rpartition("__")
    if isinstance(name, Folded) and relation and "__" not in relation:
        related = model._meta.get_field(relation).related_model
        return Q(**{f"{relation}__in": related._base_manager.filter(**{f"{column}__contains": word}).values("pk")})
    return Q(**{f"{name}__contains": word})


class SearchFilter(django_filters.CharFilter):
    """``q``: the folded word search over the given columns."""

    def __init__(self, *fields, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(**kwargs)
        self.fields = fields

    def filter(self, queryset, value):
        return search(queryset, self.fields, value)


class OrganisationFilter(django_filters.FilterSet):
    q = SearchFilter(Folded("folded_names"), Folded("parent__folded_names"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    unconfirmed = django_filters.BooleanFilter(
        label=_("Never confirmed"), field_name="confirmed_at", lookup_expr="isnull", widget=BooleanWidget
    )

    class Meta:
        model = Organisation
        fields = ["q", "category", "unconfirmed"]


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter("given_name", "family_name", "function", "email", "organisation__name")
    legal_basis = django_filters.ChoiceFilter(label=_("Legal basis"), choices=LegalBasis.choices)
    consent_to_publish = django_filters.BooleanFilter(label=_("Consents to publication"), widget=BooleanWidget)

    class Meta:
        model = Person
        fields = ["q", "legal_basis", "consent_to_publish"]


class ActorGroupFilter(django_filters.FilterSet):
    q = SearchFilter("name")

    class Meta:
        model = ActorGroup
        fields = ["q"]


class NetworkFilter(django_filters.FilterSet):
    q = SearchFilter("name", "short_name")
    classification = django_filters.ChoiceFilter(label=_("Kind"), choices=Network.Classification.choices)
    vacant = django_filters.BooleanFilter(label=_("With vacant seats"), method="filter_vacant", widget=BooleanWidget)

    class Meta:
        model = Network
        fields = ["q", "classification", "vacant"]

    def filter_vacant(self, queryset, name, value):
        vacant = with_vacant_seats(Network.objects.all()).values("pk")
        return queryset.filter(pk__in=vacant) if value else queryset.exclude(pk__in=vacant)


class MembershipFilter(django_filters.FilterSet):
    """Seats; the API offers ``network`` of these, the workspace all."""

    network = django_filters.NumberFilter(label=_("Network"), field_name="network_id", min_value=1)
    q = SearchFilter("organisation__name", "organisation__parent__name", "actor_group__name", "person__family_name")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Membership.Role.choices)
    active = django_filters.BooleanFilter(label=_("Active today"), method="filter_active", widget=BooleanWidget)
    without_contact = django_filters.BooleanFilter(
        label=_("Without a contact person"), method="filter_without_contact", widget=BooleanWidget
    )

    class Meta:
        model = Membership
        fields = ["network", "q", "role", "active", "without_contact"]

    # Conditions on the seats' own columns: as ``pk IN (active seats)`` or joined to every contact person, the
    # database compared all 400,000 seats with another list to count them (a second at nation scale).
    def filter_active(self, queryset, name, value):
        active = active_condition(timezone.localdate())
        return queryset.filter(active) if value else queryset.exclude(active)

    def filter_without_contact(self, queryset, name, value):
        erased = Person.objects.filter(erased_at__isnull=False).values("pk")
        missing = Q(person__isnull=True) & (Q(contact__isnull=True) | Q(contact__in=erased))
        return queryset.filter(missing) if value else queryset.exclude(missing)


def recorded_kinds():
    """The kinds of record the history has entries for: each kind looks up one entry of its own (the index on the
    kind), not the distinct kinds of the whole history."""
    return ContentType.objects.filter(Exists(ChangeRecord.objects.filter(content_type=OuterRef("pk")))).order_by(
        "app_label", "model"
    )


class KindChoiceFilter(django_filters.ModelChoiceFilter):
    """A kind of record, named by its model's verbose name in the user's language."""

    def __init__(self, **kwargs):
        super().__init__(queryset=lambda request: recorded_kinds(), **kwargs)

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda kind: (
            str(kind.model_class()._meta.verbose_name) if kind.model_class() else kind.model
        )
        return field


class ChangeFilter(django_filters.FilterSet):
    """The office's list of changes: by kind of record, by user, by date range."""

    content_type = KindChoiceFilter(label=_("Kind of record"))
    user = django_filters.ModelChoiceFilter(
        label=_("User"),
        # Each user looks up one change of their own, not the distinct users of the whole history.
        queryset=lambda request: (
            get_user_model()
            .objects.filter(Exists(ChangeRecord.objects.filter(user=OuterRef("pk"))))
            .order_by("username")
        ),
    )
    since = django_filters.DateFilter(label=_("From"), field_name="timestamp", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("Until"), field_name="timestamp", lookup_expr="date__lte")
    q = SearchFilter("object_repr", label=_("Record"))

    class Meta:
        model = ChangeRecord
        fields = ["content_type", "user", "since", "until", "q"]
