from django import forms
from django.db.models import F, Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from analysis.forms import bounded_choices
from register.models import Body, Category, FocusArea, Municipality, Network, NetworkHost, Topic
from register.translations import SOURCE, Text, attach, current_language, translated, translations_by_text
from register.widgets import GermanOptionsSelect, PlainSearchSelect, PlainSelect

from .search import Filters


class PlainModelChoiceIterator(ModelChoiceIterator):
    """(value, name) pairs read with one query, without building a model instance per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list(self.field.to_field_name or "pk", "name")


class NamedChoiceField(forms.ModelChoiceField):
    """A choice of a register entry by slug, listed by name."""

    iterator = PlainModelChoiceIterator


class TranslatedModelChoiceIterator(ModelChoiceIterator):
    """(value, name) pairs with the names in the visitor's language, in its alphabetical order: one
    query in German, two in other languages (the entries and their translations)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = self.field.to_field_name or "pk"
        if current_language() == SOURCE:
            yield from self.queryset.values_list(key, "name")
            return
        records = attach(list(self.queryset.only("pk", key, "name")))
        labels = [(getattr(record, key), translated(record, "name")) for record in records]
        yield from sorted(labels, key=lambda pair: pair[1].casefold())

    def choice(self, obj):
        """The entry offered alone (a search select's chosen one), by its name in the visitor's language."""
        return (getattr(obj, self.field.to_field_name or "pk"), translated(obj, "name"))


class TranslatedChoiceField(NamedChoiceField):
    """A choice of a register entry whose name staff write (and translate), by slug."""

    iterator = TranslatedModelChoiceIterator


def focus_area_choices():
    """[(German name, name in the visitor's language)] of the focus areas networks name, each once, A–Z."""
    names = FocusArea.objects.names()
    language = current_language()
    if language == SOURCE:
        return [(name, name) for name in names]
    labels = translations_by_text(FocusArea, "name", language)
    choices = [
        (name, Text(labels[name], language) if name in labels else Text(name, SOURCE, untranslated=True))
        for name in names
    ]
    return sorted(choices, key=lambda pair: pair[1].casefold())


def kind_field():
    return forms.ChoiceField(
        label=_("Kind of network"),
        required=False,
        choices=[("", _("all kinds"))] + Network.Classification.choices,
        widget=PlainSelect,
        error_messages={"invalid_choice": _("There is no such kind of network.")},
    )


def topic_field():
    return TranslatedChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        widget=PlainSelect,
        to_field_name="slug",
        empty_label=_("all topics"),
        error_messages={"invalid_choice": _("There is no such topic. Choose one from the list.")},
    )


# Beyond this many municipalities (a state, the country) only those of the office's own county are
# offered: a select of 8,000 places is half a megabyte that nobody can scroll through.
MUNICIPALITY_CHOICES_LIMIT = 200


def municipality_choices(chosen=None):
    """[(slug, name)] of every municipality and None; when there are more than the limit, of those of
    the office's own county and the one chosen, and that county (one query; five when cut)."""
    choices, bounded = bounded_choices(
        Municipality.objects.order_by("name", "pk"),
        ("name",),
        lambda county: Q(county=county),
        Body.home_pk,
        [chosen] if chosen else [],
        limit=MUNICIPALITY_CHOICES_LIMIT,
    )
    return choices, Body.objects.filter(pk=Body.home_pk()).first() if bounded else None


def active_count(form, exclude):
    return sum(1 for name in form.fields if name not in exclude and form.is_bound and form.data.get(name))


class SearchForm(forms.Form):
    """The public search: words and filters, all optional; unknown filter values are named as errors."""

    q = forms.CharField(label=_("Search for"), max_length=200, required=False, widget=forms.SearchInput)
    kind = kind_field()
    topic = topic_field()
    category = forms.ChoiceField(
        label=_("Category of organisation"),
        required=False,
        choices=[("", _("all categories"))] + Category.choices,
        widget=PlainSelect,
    )
    municipality = NamedChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.all(),
        widget=GermanOptionsSelect,
        to_field_name="slug",
        empty_label=_("all municipalities"),
        error_messages={"invalid_choice": _("There is no such municipality. Choose one from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].error_messages["invalid_choice"] = _("There is no such category.")
        self.fields["q"].error_messages["max_length"] = _("Use at most %(limit_value)d characters.")
        municipality = self.fields["municipality"]
        choices, county = municipality_choices(self.data.get("municipality") if self.is_bound else None)
        municipality.widget.choices = [("", municipality.empty_label), *choices]
        if county is not None:
            hint = _("Listed are the towns and municipalities of this area: %(county)s.")
            municipality.help_text = hint % {"county": county}

    def filters(self):
        data = self.cleaned_data
        return Filters(
            kind=data["kind"], topic=data["topic"], category=data["category"], municipality=data["municipality"]
        )

    @property
    def has_criteria(self):
        return self.is_valid() and any(self.cleaned_data.values())

    @property
    def active_filters(self):
        """How many filters (not the words) the visitor set, valid or not: the folded panel says so."""
        return active_count(self, exclude={"q"})


class DirectoryForm(forms.Form):
    """The network directory's filters and order, all optional; unknown values are named as errors."""

    SORTS = [
        ("name", _("name (A–Z)")),
        ("-name", _("name (Z–A)")),
        ("newest", _("newest first")),
        ("oldest", _("oldest first")),
    ]

    body = NamedChoiceField(
        label=_("Regional authority"),
        required=False,
        queryset=Body.objects.none(),
        widget=GermanOptionsSelect,
        to_field_name="slug",
        empty_label=_("all regional authorities"),
        error_messages={"invalid_choice": _("There is no such regional authority. Choose one from the list.")},
    )
    kind = kind_field()
    topic = topic_field()
    focus = forms.ChoiceField(label=_("Focus area"), required=False, widget=PlainSelect)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS, widget=PlainSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only authorities that host a network, and the focus areas networks name: one query each.
        self.fields["body"].queryset = Body.objects.filter(pk__in=NetworkHost.objects.values("body_id")).order_by(
            "name"
        )
        self.fields["focus"].choices = [("", _("all focus areas")), *focus_area_choices()]
        self.fields["focus"].error_messages["invalid_choice"] = _("No network names this focus area.")
        self.fields["sort"].error_messages["invalid_choice"] = _("There is no such order.")

    def networks(self):
        """The networks that pass the filters, in the chosen order (all of them if the form is invalid)."""
        networks = Network.objects.all()
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("body"):
            networks = networks.hosted_by(data["body"])
        if data.get("kind"):
            networks = networks.filter(classification=data["kind"])
        if data.get("topic"):
            networks = networks.filter(
                pk__in=Network.topics.through.objects.filter(topic=data["topic"]).values("network_id")
            )
        if data.get("focus"):
            networks = networks.filter(pk__in=FocusArea.objects.filter(name=data["focus"]).values("network_id"))
        order = {
            "-name": ["-name"],
            "newest": [F("since_year").desc(nulls_last=True), "name"],
            "oldest": [F("since_year").asc(nulls_last=True), "name"],
        }.get(data.get("sort"), ["name"])
        return networks.order_by(*order, "pk")

    @property
    def filtered(self):
        return self.is_valid() and any(value for name, value in self.cleaned_data.items() if name != "sort")

    @property
    def active_filters(self):
        """How many filters and orders the visitor set, valid or not: the folded panel says so."""
        return active_count(self, exclude=set())


class MessageForm(forms.Form):
    """A message to the office from the contact page or the accessibility statement's feedback form.

    ``homepage`` is a honeypot that people never see. Name and e-mail address are optional: without an
    address the office cannot answer, and the form says so.
    """

    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if you would like an answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    network = TranslatedChoiceField(
        label=_("About a network (optional)"),
        required=False,
        queryset=Network.objects.order_by("name"),
        # A search field beyond the first thousand: a country's 10,000 networks were a megabyte of options.
        widget=PlainSearchSelect("networks"),
        to_field_name="slug",
        empty_label=_("no particular network"),
        help_text=_("The message then goes to the network's contact, where one is given."),
        error_messages={"invalid_choice": _("There is no such network. Choose one from the list.")},
    )
    page = forms.CharField(
        label=_("Where did you find the barrier? (optional)"),
        max_length=500,
        required=False,
        help_text=_("The address of the page, or what the content is called."),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": _("Please write your message.")},
    )
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "barrier":
            del self.fields["network"]
            self.fields["message"].label = _("What is the barrier, or which content do you need in another form?")
        else:
            del self.fields["page"]
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "homepage"]
