"""Serializers of the JSON API. Writes go through the model's ``full_clean`` and ``save``,
so the register's rules and its change history apply as in the workspace.

Fields take only what the OpenAPI description allows (``fields``: a malformed request is answered
with 400); what the register's rules refuse – ``full_clean``, a name taken, a record that does not
exist – is answered with 409 (``errors.RuleViolation``).
"""

from collections import defaultdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from analysis.overlap import similar_networks
from matching.checks import similar_organisations
from register import permissions as rules
from register.history import record_note
from register.models import (
    ActorGroup,
    Body,
    Event,
    FocusArea,
    LegislativeTerm,
    Location,
    Membership,
    Municipality,
    MunicipalityStatistic,
    Network,
    NetworkHost,
    Organisation,
    Person,
    Topic,
    unique_slug,
)
from register.models.fields import NameField

from .errors import RuleViolation
from .fields import (
    KeyField,
    LanguageListField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictEmailField,
    StrictIntegerField,
    StrictNameField,
    StrictTextField,
    StrictURLField,
)

STRICT_FIELDS = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.CharField: StrictCharField,
    NameField: StrictNameField,
    models.TextField: StrictTextField,
    models.URLField: StrictURLField,
    models.EmailField: StrictEmailField,
    models.IntegerField: StrictIntegerField,
    models.SmallIntegerField: StrictIntegerField,
    models.PositiveIntegerField: StrictIntegerField,
    models.PositiveSmallIntegerField: StrictIntegerField,
    models.BooleanField: StrictBooleanField,
    models.DateField: StrictDateField,
}


# An answer is written with fields built once per serializer class, not once per request. DRF builds a
# ``ModelSerializer``'s fields from the model on every instance (labels, validators, choices – with
# their translations): for a page of networks that took longer than writing its 50 rows. Writing an
# answer only reads values, and the fields keep nothing of a request, so a serializer that only answers
# (an instance and no data, or read-only inside another) takes the fields of one serializer of its class
# built without a request. A serializer that validates data builds its own, as DRF does: their messages,
# labels and querysets are those of the request. (No docstring: the OpenAPI description would take it for
# every serializer.)
class FieldsBuiltOnce:
    @cached_property
    def fields(self):
        if hasattr(self, "initial_data") or (self.instance is None and not self.nested_read_only):
            return super().fields
        return self.answer_fields()

    @property
    def nested_read_only(self):
        """A read-only serializer inside another (an event's place, a network's topics): it only answers, one
        row after the other, as the serializer of an instance does."""
        return self.read_only and self.parent is not None

    @classmethod
    def answer_fields(cls):
        if "_answer_fields" not in cls.__dict__:  # each class its own, not its parent's
            cls._answer_fields = super(FieldsBuiltOnce, cls()).fields
        return cls._answer_fields

    # Writing an answer with those fields, the values of the model's own columns are read directly: DRF's
    # generic reading (a path of attributes, each tested for a mapping and a callable) took a third of a
    # page of organisations. Every other field (nested lists, method fields, dotted sources) reads as in DRF.
    def to_representation(self, instance):
        fields = self.fields
        if fields is not type(self).__dict__.get("_answer_fields"):
            return super().to_representation(instance)
        answer = {}
        for name, field, column, is_key in self.answer_plan():
            if column is None:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                empty = (value.pk if isinstance(value, PKOnlyObject) else value) is None
                answer[name] = None if empty else field.to_representation(value)
                continue
            value = getattr(instance, column)
            answer[name] = value if value is None or is_key else field.to_representation(value)
        return answer

    @classmethod
    def answer_plan(cls):
        """[(name, field, attribute name of its column or None, whether it is a key)] of the readable fields of
        an answer, worked out once per class."""
        if "_answer_plan" not in cls.__dict__:
            concrete = {field.name: field for field in cls.Meta.model._meta.concrete_fields}
            plan = []
            for field in cls.answer_fields().values():
                if field.write_only:
                    continue
                column = concrete.get(field.source)
                is_key = isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None
                plain = not isinstance(field, serializers.RelatedField | serializers.ManyRelatedField)
                direct = column is not None and (is_key if column.is_relation else plain)
                plan.append((field.field_name, field, column.attname if direct else None, is_key))
            cls._answer_plan = plan
        return cls._answer_plan


class AnswerRows(list):
    """The rows of a nested list as the answer writes them (``load_nested``): dicts, or keys."""


class NestedList(serializers.ListSerializer):
    """A nested list read from what the view loaded into ``nested_<field>`` (``load_nested``); a row
    that was not loaded through the list (e.g. the answer to a write) reads the relation."""

    def get_attribute(self, instance):
        try:
            return getattr(instance, nested(self.field_name))
        except AttributeError:
            return super().get_attribute(instance)

    def to_representation(self, data):
        return list(data) if isinstance(data, AnswerRows) else super().to_representation(data)


class NestedKeys(serializers.ManyRelatedField):
    """The keys of a relation, read like ``NestedList`` from ``nested_<field>`` when the view
    loaded it."""

    def get_attribute(self, instance):
        try:
            return getattr(instance, nested(self.field_name))
        except AttributeError:
            return super().get_attribute(instance)

    def to_representation(self, iterable):
        return list(iterable) if isinstance(iterable, AnswerRows) else super().to_representation(iterable)


def nested(name):
    """Where ``load_nested`` puts the rows of the nested list ``name``."""
    return f"nested_{name}"


def load_nested(serializer_class, objects, querysets):
    """Put the nested lists that ``serializer_class`` writes of ``objects`` where ``NestedList`` and
    ``NestedKeys`` read them, already as the answer writes them: one query of plain values per list.

    ``querysets``: {field name: its related rows, in their order}. A model instance for each nested row
    (what ``prefetch_related`` makes) took longer than writing the page: a page of 50 networks has
    about 350 focus areas, topics and hosts. Returns ``objects``."""
    if not objects or not querysets:
        return objects
    model, fields = serializer_class.Meta.model, serializer_class.answer_fields()
    keys = [instance.pk for instance in objects]
    for name, queryset in querysets.items():
        field = fields[name]
        relation = model._meta.get_field(field.source)
        # From a related row back to its owner: the foreign key or many-to-many field that leads there.
        back = relation.field.name if relation.auto_created else relation.related_query_name()
        if isinstance(field, NestedKeys):
            columns, answer = ["pk"], lambda values: values[0]
        else:
            plan = field.child.answer_plan()
            columns = [column or child.source.replace(".", "__") for _name, child, column, _key in plan]

            def answer(values, plan=plan):
                return {
                    name: value if value is None or is_key else child.to_representation(value)
                    for (name, child, _column, is_key), value in zip(plan, values, strict=True)
                }

        rows = defaultdict(AnswerRows)
        for owner, *values in queryset.filter(**{f"{back}__in": keys}).values_list(back, *columns):
            rows[owner].append(answer(values))
        for instance in objects:
            setattr(instance, nested(name), rows[instance.pk])
    return objects


def keys(**kwargs):
    """The keys of related rows (read only), from the list the view loaded where there is one."""
    return NestedKeys(child_relation=serializers.PrimaryKeyRelatedField(read_only=True), read_only=True, **kwargs)


class CleanModelSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """Creates and updates through ``full_clean`` and ``save``; the model's messages come back as 409."""

    serializer_field_mapping = STRICT_FIELDS
    serializer_related_field = KeyField
    serializer_choice_field = StrictChoiceField

    def create(self, validated_data):
        return self.clean_and_save(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.clean_and_save(instance)

    def prepare(self, instance):
        """Fill what the client does not send (e.g. the slug) before validation."""

    def clean_and_save(self, instance):
        self.prepare(instance)
        try:
            instance.full_clean()
        except DjangoValidationError as problem:
            if hasattr(problem, "error_dict"):
                errors = problem.message_dict
                if "__all__" in errors:
                    errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop("__all__")
                raise RuleViolation(errors) from None
            raise RuleViolation({api_settings.NON_FIELD_ERRORS_KEY: problem.messages}) from None
        note = self.check_similar(instance)
        instance.save()
        if note:
            record_note(instance, note)
        return instance

    def check_similar(self, instance):
        """Raise a 400 if similar entries exist and the client did not confirm; returns a history note."""
        return ""


class SimilarChecked:
    """Creating or renaming checks for similar entries (``find_similar``: [(name, reasons)]): without
    ``confirm_similar`` (the reason why it is a separate entry) the answer is 400 and names them."""

    checked_fields = ("name",)

    def get_fields(self):
        fields = super().get_fields()
        fields["confirm_similar"] = StrictCharField(
            write_only=True,
            required=False,
            allow_blank=True,
            max_length=500,
            help_text="Why this is a separate entry although similar entries exist; kept in the history.",
        )
        return fields

    def create(self, validated_data):
        self.similar_reason = validated_data.pop("confirm_similar", "").strip()
        return super().create(validated_data)

    def update(self, instance, validated_data):
        self.similar_reason = validated_data.pop("confirm_similar", "").strip()
        return super().update(instance, validated_data)

    def check_similar(self, instance):
        before = getattr(instance, "_audit_snapshot", None)
        if before and all(before.get(name) == instance.audit_values().get(name) for name in self.checked_fields):
            return ""
        found = self.find_similar(instance)
        if not found:
            return ""
        if not self.similar_reason:
            raise serializers.ValidationError(
                {
                    "confirm_similar": [
                        "Similar entries exist; send confirm_similar with the reason why this is a separate entry."
                    ],
                    "similar": [{"name": name, "reasons": reasons} for name, reasons in found],
                }
            )
        names = "; ".join(name for name, _reasons in found)
        return gettext("Saved as a separate entry although similar entries exist (%(names)s). Reason: %(reason)s") % {
            "names": names,
            "reason": self.similar_reason,
        }


class SluggedSerializer(CleanModelSerializer):
    def prepare(self, instance):
        if not instance.slug:
            instance.slug = unique_slug(type(instance), instance.name or "", instance)


class FocusAreaSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["name", "position"]
        list_serializer_class = NestedList


class TopicSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["name", "slug"]
        list_serializer_class = NestedList


class HostSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)

    class Meta:
        model = NetworkHost
        fields = ["body", "body_name", "unit"]
        list_serializer_class = NestedList


class NetworkSerializer(SimilarChecked, SluggedSerializer):
    focus_areas = FocusAreaSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    hosts = HostSerializer(many=True, read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "classification",
            "organization_type",
            "purpose",
            "description",
            "easy_language",
            "since_year",
            "history",
            "establishing_decision",
            "legal_basis",
            "advises",
            "convened_by",
            "administrative_support",
            "is_organ_of_body",
            "votes_in_committees",
            "open_to_public",
            "cadence",
            "contact_function",
            "seats_members",
            "seats_deputies",
            "term_years",
            "composition",
            "focus_areas",
            "topics",
            "hosts",
            "created",
            "modified",
        ]
        read_only_fields = ["slug", "created", "modified"]
        validators = []
        # The register's plausible range (network_since_plausible, network_term_positive), stated in the
        # description and checked as part of the request.
        extra_kwargs = {"since_year": {"min_value": 1900, "max_value": 2100}, "term_years": {"min_value": 1}}

    checked_fields = ("name", "purpose")

    def find_similar(self, network):
        found = similar_networks(
            network.name,
            purpose=network.purpose,
            topic_ids=list(network.topics.values_list("pk", flat=True)) if network.pk else [],
            hosts=list(network.hosts.values_list("body", "unit")) if network.pk else [],
            exclude=network.pk,
        )
        return [(item.network.name, [str(reason) for reason in item.reasons]) for item in found]


class OrganisationSerializer(SimilarChecked, SluggedSerializer):
    parent = KeyField(queryset=Organisation.objects.all(), allow_null=True, required=False)
    body = KeyField(queryset=Body.objects.all(), allow_null=True, required=False)
    municipality = KeyField(queryset=Municipality.objects.all(), allow_null=True, required=False)
    units = keys()
    languages = LanguageListField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The languages in which the organisation advises, as tags separated by commas (de,ar).",
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "parent",
            "units",
            "category",
            "legal_form",
            "body",
            "municipality",
            "anonymised",
            "description",
            "website",
            "email",
            "phone",
            "street_address",
            "postal_code",
            "locality",
            "languages",
            "contact_public",
            "archived_at",
            "created",
            "modified",
        ]
        read_only_fields = ["slug", "archived_at", "created", "modified"]
        validators = []

    checked_fields = ("name", "short_name")

    def find_similar(self, organisation):
        found = {}
        for name in dict.fromkeys(value for value in (organisation.name, organisation.short_name) if value):
            for item in similar_organisations(name, exclude=organisation.pk):
                found.setdefault(item.name, [str(reason) for reason in item.reasons])
        return list(found.items())

    def to_representation(self, instance):
        """Contact details only where they are released, except for those who keep the register."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not instance.contact_public and not (request and rules.can_edit_register(request.user)):
            for name in Organisation.CONTACT_FIELDS:
                data[name] = ""
        return data


class ActorGroupSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    organisations = keys()

    class Meta:
        model = ActorGroup
        fields = ["id", "slug", "name", "description", "organisations", "created", "modified"]


class MembershipSerializer(CleanModelSerializer):
    network = KeyField(queryset=Network.objects.all())
    organisation = KeyField(queryset=Organisation.objects.all(), allow_null=True, required=False)
    actor_group = KeyField(queryset=ActorGroup.objects.all(), allow_null=True, required=False)
    person = KeyField(queryset=Person.objects.all(), allow_null=True, required=False)
    on_behalf_of = KeyField(queryset=Organisation.objects.all(), allow_null=True, required=False)
    deputy_of = KeyField(queryset=Membership.objects.all(), allow_null=True, required=False)
    legislative_term = KeyField(queryset=LegislativeTerm.objects.all(), allow_null=True, required=False)
    member_name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "network",
            "organisation",
            "actor_group",
            "person",
            "member_name",
            "role",
            "voting_right",
            "on_behalf_of",
            "deputy_of",
            "legislative_term",
            "start_date",
            "end_date",
            "over_seats_reason",
            "label",
            "created",
            "modified",
        ]
        read_only_fields = ["created", "modified"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "person" in fields:
            # A person can be named only by those who may see them; else member_name would tell any name.
            fields["person"].queryset = rules.people_visible_to(request.user)
        return fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_member_name(self, membership):
        if membership.organisation_id:
            return membership.organisation.name
        if membership.actor_group_id:
            return membership.actor_group.name
        return str(membership.person)


class LocationSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = [
            "id",
            "name",
            "street_address",
            "postal_code",
            "locality",
            "room",
            "step_free",
            "accessible_toilet",
            "hearing_loop",
            "accessible_parking",
            "parking",
            "public_transport",
        ]

    def to_representation(self, instance):
        """A place that must not be published shows only its name and locality."""
        data = super().to_representation(instance)
        if not instance.address_public:
            data.update(street_address="", postal_code="", room="")
        return data


class EventSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    location = LocationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "network",
            "description",
            "start",
            "end",
            "location",
            "host",
            "contact_function",
            "capacity",
            "registration_deadline",
            "cancelled",
            "created",
            "modified",
        ]


class StatisticSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = MunicipalityStatistic
        fields = ["date", "population", "foreign_residents", "source"]
        list_serializer_class = NestedList


class MunicipalitySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    statistics = StatisticSerializer(many=True, read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "slug", "name", "kind", "ags", "county", "statistics", "created", "modified"]
