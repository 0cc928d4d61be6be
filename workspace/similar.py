"""The check on entry in the workspace's forms: similar entries are named before anything is saved.

A form that creates or renames an organisation, a person or a network asks the matching service
(or, for networks, the analysis) for similar entries. If there are any, nothing is saved: the form
names them with the reasons and a link to use the existing entry; to save anyway, the person
confirms that it is a separate entry and says why, and the reason goes into the entry's history.
"""

from dataclasses import dataclass, field

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis.overlap import similar_networks
from matching.checks import similar_organisations, similar_people
from register.history import record_note

CONFIRM, REASON = "similar_confirm", "similar_reason"


@dataclass
class Found:
    name: str
    url: str
    reasons: list = field(default_factory=list)
    key: int | None = None


class SimilarCheckMixin:
    """For model forms. The check of each kind of entry (``OrganisationCheck``, ``PersonCheck``,
    ``NetworkCheck`` below) defines ``find_similar(cleaned_data)``, which returns [Found];
    ``checked_fields`` say when to look."""

    checked_fields = ("name",)
    kind_label = gettext_lazy("entry")

    def needs_check(self, cleaned):
        if self.instance.pk is None:
            return True
        return any(name in self.changed_data for name in self.checked_fields)

    def _post_clean(self):
        """After the model's own validation: similar entries are looked for only when all else is valid."""
        super()._post_clean()
        self.similar, self.similar_reason = [], ""
        if self._errors or not self.needs_check(self.cleaned_data):
            return
        self.similar = self.find_similar(self.cleaned_data)
        if not self.similar:
            return
        self.fields[CONFIRM] = forms.BooleanField(
            label=_("None of these is the same: save this as a separate entry"), required=False
        )
        self.fields[REASON] = forms.CharField(
            label=_("Why is it a separate entry?"),
            required=False,
            max_length=500,
            help_text=_("Kept in the entry's history."),
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        confirmed = self.data.get(self.add_prefix(CONFIRM)) in ("on", "true", "1", "True")
        reason = (self.data.get(self.add_prefix(REASON)) or "").strip()
        if not confirmed:
            self.add_error(None, _("Similar entries exist: use one of them, or confirm a separate entry and say why."))
        elif not reason:
            self.add_error(REASON, _("Say why this is a separate entry."))
        else:
            self.similar_reason = reason[:500]

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit and self.similar and self.similar_reason:
            names = "; ".join(found.name for found in self.similar)
            record_note(
                instance,
                _("Saved as a separate entry although similar entries exist (%(names)s). Reason: %(reason)s")
                % {"names": names, "reason": self.similar_reason},
            )
        return instance


class OrganisationCheck(SimilarCheckMixin):
    checked_fields = ("name", "short_name")

    def find_similar(self, cleaned):
        found, parent = [], cleaned.get("parent")
        excluded = [self.instance.pk, *([parent.pk, *(above.pk for above in parent.ancestors)] if parent else [])]
        names = [cleaned.get("name"), cleaned.get("short_name")]
        if parent and cleaned.get("name"):
            names[0] = f"{parent.full_name} - {cleaned['name']}"  # a unit is known by its organisation's name
        for name in dict.fromkeys(value for value in names if value):
            for item in similar_organisations(name, exclude=excluded):
                if all(other.key != item.entry.pk for other in found):
                    url = reverse("workspace:organisation", args=[item.entry.pk])
                    found.append(Found(item.name, url, item.reasons, item.entry.pk))
        return found


class PersonCheck(SimilarCheckMixin):
    checked_fields = ("given_name", "family_name", "email")

    def find_similar(self, cleaned):
        return [
            Found(str(item.entry), reverse("workspace:person", args=[item.entry.pk]), item.reasons, item.entry.pk)
            for item in similar_people(
                cleaned.get("given_name", ""),
                cleaned.get("family_name", ""),
                cleaned.get("email", ""),
                exclude=self.instance.pk,
            )
        ]


class NetworkCheck(SimilarCheckMixin):
    checked_fields = ("name", "purpose", "topics")

    def find_similar(self, cleaned):
        topics = [topic.pk for topic in cleaned.get("topics") or []]
        members, hosts = [], []
        if self.instance.pk:
            members = list(self.instance.memberships.exclude(organisation=None).values_list("organisation", flat=True))
            hosts = list(self.instance.hosts.values_list("body", "unit"))
        return [
            Found(
                item.network.name, reverse("workspace:network", args=[item.network.pk]), item.reasons, item.network.pk
            )
            for item in similar_networks(
                cleaned.get("name", ""),
                purpose=cleaned.get("purpose", ""),
                topic_ids=topics,
                organisation_ids=members,
                hosts=hosts,
                exclude=self.instance.pk,
            )
        ]


def network_url(network):
    return reverse("workspace:network", args=[network.pk])
