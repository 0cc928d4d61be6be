"""Form fields that choose among the register's entries, each named as the search selects' options name it
(``workspace:options``), so that an entry reads the same when it is found and once it is chosen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Municipality

# The municipalities to choose from, with the county that names them.
MUNICIPALITIES = Municipality.objects.select_related("county").order_by("name", "pk")


def organisation_label(organisation):
    """A choice's label: a unit with the organisations above it, nearest first, so that it sorts under its own
    name and still says whose it is ("Asylverfahrensberatung – Caritasverband Darmstadt e.V.")."""
    return " – ".join([organisation.name, *(above.name for above in reversed(organisation.ancestors))])


def municipality_label(municipality):
    """A municipality as a choice, with its county: Germany has several towns of the same name."""
    return f"{municipality.name} ({municipality.county.name})"


def person_label(person):
    """A person as a choice: the name, with function and organisation when known."""
    details = [detail for detail in [person.function, person.organisation and person.organisation.name] if detail]
    return f"{person} ({', '.join(details)})" if details else str(person)


class ChoiceOfEntries(forms.ModelChoiceField):
    """A choice among the register's entries whose empty choice says what it means."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("– none –"))
        super().__init__(*args, **kwargs)


class OrganisationChoiceField(ChoiceOfEntries):
    def label_from_instance(self, obj):
        return organisation_label(obj)


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return organisation_label(obj)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class PersonChoiceField(ChoiceOfEntries):
    def label_from_instance(self, obj):
        return person_label(obj)


class MunicipalityChoiceField(ChoiceOfEntries):
    def label_from_instance(self, obj):
        return municipality_label(obj)


class MunicipalityMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return municipality_label(obj)
