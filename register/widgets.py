"""Form widgets shared by the faces and the services (the workspace's forms, the staff lists' filters)."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def searched_choices(choices, value, limit):
    """The choices a search select offers when its queryset holds more than ``limit`` entries: the empty
    choice and the chosen entries (``value``); None when the list is short enough to offer whole (one
    bounded query, unordered: no count over everything)."""
    queryset = getattr(choices, "queryset", None)
    if queryset is None or len(queryset.order_by().values_list("pk", flat=True)[: limit + 1]) <= limit:
        return None
    field = choices.field
    key = field.to_field_name or "pk"
    chosen = [item for item in value if item and (key != "pk" or str(item).isdigit())]
    offered = [("", field.empty_label)] if field.empty_label is not None else []
    offered += [choices.choice(entry) for entry in queryset.filter(**{f"{key}__in": chosen})] if chosen else []
    return offered


class SearchSelect(forms.Select):
    """A select that the browser turns into a search-as-you-type field (tom-select, ``register/choices.js``) fed
    by the options endpoint the form names (``data-options-url``, with ``KIND`` for the select's kind); without
    JavaScript it stays a plain select with every option the user may choose.

    Beyond ``full_list`` entries (``FULL_LIST`` unless given) the page would grow with the register (120,000
    organisations are megabytes of options, 400 bodies 70 ms of rendering): then the select offers only the
    empty choice and the chosen entry, and the search finds the others. The form still accepts every entry of
    its queryset."""

    FULL_LIST = 1000

    def __init__(self, kind, attrs=None, full_list=None):
        super().__init__(attrs={"data-options": kind, **(attrs or {})})
        self.full_list = full_list

    def optgroups(self, name, value, attrs=None):
        offered = searched_choices(self.choices, value, self.full_list or self.FULL_LIST)
        if offered is None:
            return super().optgroups(name, value, attrs)
        iterator, self.choices = self.choices, offered
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = iterator


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    """A ``SearchSelect`` of several entries: the browser shows the chosen ones and finds more by search."""


class PlainSelect(forms.Select):
    """A select rendered in Python rather than through a template per option.

    Filters list hundreds or thousands of options (authorities, municipalities, the organisations of a
    map); the template-based rendering costs about 0.3 ms per option, this a small fraction of that.
    """

    german_options = False  # whether the options are German content, marked so on English pages

    def offered(self, value):
        """The (value, label) pairs to offer (``value``: the chosen values as strings)."""
        return self.choices

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = set(self.format_value(value))
        options = []
        for option, label in self.offered(selected):
            option = str(option)
            # German content: proper names always, texts staff write where no translation exists.
            german = ' lang="de"' if self.german_options or getattr(label, "untranslated", False) else ""
            options.append(
                f'<option value="{escape(option)}"{german if option else ""}'
                f"{' selected' if option in selected else ''}>{escape(str(label))}</option>"
            )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options)))


class GermanOptionsSelect(PlainSelect):
    """A select whose options are German content (topics, place names): marked so on English pages too."""

    german_options = True


class PlainSearchSelect(PlainSelect):
    """A ``PlainSelect`` that the browser turns into a search-as-you-type field, offering every entry up to
    ``full_list`` and beyond that only the empty choice and the chosen entry (as ``SearchSelect`` does)."""

    def __init__(self, kind, attrs=None, full_list=None):
        super().__init__(attrs={"data-options": kind, **(attrs or {})})
        self.full_list = full_list

    def offered(self, value):
        offered = searched_choices(self.choices, sorted(value), self.full_list or SearchSelect.FULL_LIST)
        return self.choices if offered is None else offered
