"""Form widgets shared by the faces and the services (the workspace's forms, the staff lists' filters)."""

from django import forms


class SearchSelect(forms.Select):
    """A select that the browser turns into a search-as-you-type field (tom-select, ``choices.js``) fed by the
    options endpoint; without JavaScript it stays a plain select with every option the user may choose.

    Beyond ``FULL_LIST`` entries the page would grow with the register (120,000 organisations are megabytes
    of options): then the select offers only the empty choice and the chosen entry, and the search finds the
    others. The form still accepts every entry of its queryset."""

    FULL_LIST = 1000

    def __init__(self, kind, attrs=None):
        super().__init__(attrs={"data-options": kind, **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        queryset = getattr(self.choices, "queryset", None)
        # One bounded query, unordered: whether the list is short enough to offer whole (no count over everything).
        if (
            queryset is None
            or len(queryset.order_by().values_list("pk", flat=True)[: self.FULL_LIST + 1]) <= self.FULL_LIST
        ):
            return super().optgroups(name, value, attrs)
        iterator, field = self.choices, self.choices.field
        chosen = [item for item in value if str(item).isdigit()]
        offered = [("", field.empty_label)] if field.empty_label is not None else []
        offered += [iterator.choice(entry) for entry in queryset.filter(pk__in=chosen)] if chosen else []
        self.choices = offered
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = iterator
