"""Forms of the workspace. Validation lives here and in the register's models; views stay thin."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import ActorGroup, Assignment, Membership, Network, Organisation, Person, unique_slug
from register.permissions import OFFICE_GROUP

from .models import SELF_SERVICE_FIELDS, WorkspaceSettings
from .similar import NetworkCheck, OrganisationCheck, PersonCheck

ORGANISATIONS = Organisation.objects.select_related("parent", "parent__parent", "parent__parent__parent")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class NetworkScopedForm(forms.ModelForm):
    """A form for a record of one network: the network is set by the view and checked in constraints."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard("network")
        return exclude


class SluggedForm(forms.ModelForm):
    """New records get a unique slug from their name."""

    def clean(self):
        cleaned = super().clean()
        if not self.instance.slug and cleaned.get("name"):
            self.instance.slug = unique_slug(type(self.instance), cleaned["name"])
        return cleaned


class NetworkForm(NetworkCheck, SluggedForm):
    organisation = OrganisationChoiceField(
        ORGANISATIONS,
        required=False,
        label=_("entry as a member"),
        help_text=_("The organisation entry that stands for this network where it is a member of other networks."),
    )

    class Meta:
        model = Network
        fields = [
            "name",
            "short_name",
            "classification",
            "organization_type",
            "purpose",
            "description",
            "easy_language",
            "topics",
            "target_groups",
            "since_year",
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
            "organisation",
        ]
        widgets = {"topics": forms.CheckboxSelectMultiple, "target_groups": forms.CheckboxSelectMultiple}


class OrganisationForm(OrganisationCheck, SluggedForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    parent = OrganisationChoiceField(
        ORGANISATIONS, required=False, label=_("part of"), help_text=_("The organisation this one is a unit of.")
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "parent",
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
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].queryset = ORGANISATIONS.exclude(pk=self.instance.pk)


class ActorGroupForm(SluggedForm):
    organisations = OrganisationMultipleChoiceField(
        ORGANISATIONS, required=False, label=_("organisations"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ActorGroup
        fields = ["name", "description", "organisations", "persons"]
        widgets = {"persons": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = Person.objects.filter(erased_at__isnull=True)


class PersonForm(PersonCheck, forms.ModelForm):
    organisation = OrganisationChoiceField(ORGANISATIONS, required=False, label=_("organisation"))

    class Meta:
        model = Person
        fields = [
            "title",
            "given_name",
            "family_name",
            "function",
            "organisation",
            "email",
            "phone",
            "legal_basis",
            "purpose",
            "consent_to_publish",
            "consent_recorded_at",
            "consent_note",
        ]
        widgets = {"consent_recorded_at": DateTimeInput}

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ["given_name", "family_name", "function"]):
            raise forms.ValidationError(_("Give at least a name or a function."))
        needs_record = cleaned.get("consent_to_publish") or cleaned.get("legal_basis") == "consent"
        if needs_record and not cleaned.get("consent_recorded_at"):
            self.add_error(
                "consent_recorded_at",
                _("Give the date consent was given: publication and consent as legal basis need it."),
            )
        return cleaned


class MembershipForm(NetworkScopedForm):
    organisation = OrganisationChoiceField(ORGANISATIONS, required=False, label=_("organisation"))
    on_behalf_of = OrganisationChoiceField(
        ORGANISATIONS, required=False, label=_("on behalf of"), help_text=_("The organisation a person represents.")
    )

    class Meta:
        model = Membership
        fields = [
            "organisation",
            "actor_group",
            "person",
            "role",
            "voting_right",
            "on_behalf_of",
            "deputy_of",
            "contact",
            "start_date",
            "end_date",
            "label",
        ]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        people = Person.objects.filter(erased_at__isnull=True)
        self.fields["person"].queryset = people
        self.fields["contact"].queryset = people
        # Members that can be stood in for now, and the current pairing even if that seat has ended since.
        pairable = Q(pk__in=Membership.objects.active().filter(network=network).values("pk")) | Q(
            pk=self.instance.deputy_of_id
        )
        self.fields["deputy_of"].queryset = (
            Membership.objects.filter(pairable, network=network)
            .exclude(role=Membership.Role.DEPUTY)
            .exclude(pk=self.instance.pk)
            .select_related("network", "organisation", "actor_group", "person")
        )
        self.fields["deputy_of"].label_from_instance = lambda m: f"{m.member} ({m.get_role_display()})"


class BulkMembershipForm(forms.Form):
    """Add many organisations to a network in one action; either all are added or none."""

    organisations = OrganisationMultipleChoiceField(
        ORGANISATIONS, label=_("organisations"), widget=forms.CheckboxSelectMultiple
    )
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    voting_right = forms.NullBooleanField(label=_("voting right"), required=False)
    start_date = forms.DateField(label=_("start"), required=False, widget=DateInput)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["organisations"].queryset = ORGANISATIONS.exclude(
            pk__in=Membership.objects.filter(network=network, end_date__isnull=True).values("organisation")
        )

    def clean(self):
        cleaned = super().clean()
        organisations, role = cleaned.get("organisations"), cleaned.get("role")
        if not organisations or not role:
            return cleaned
        taken = Membership.objects.filter(
            network=self.network, organisation__in=organisations, role=role, end_date__isnull=True
        ).select_related("organisation")
        if taken:
            names = ", ".join(sorted(m.organisation.name for m in taken))
            raise forms.ValidationError(
                _("These organisations already hold this role in the network: %(names)s"), params={"names": names}
            )
        return cleaned

    def save(self, source=""):
        created = []
        with transaction.atomic():
            for organisation in self.cleaned_data["organisations"]:
                membership = Membership(
                    network=self.network,
                    organisation=organisation,
                    role=self.cleaned_data["role"],
                    voting_right=self.cleaned_data["voting_right"],
                    start_date=self.cleaned_data["start_date"],
                    source=source,
                )
                membership.full_clean()
                membership.save()
                created.append(membership)
        return created


class EndMembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["end_date"]
        widgets = {"end_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        self.fields["end_date"].initial = timezone.localdate()

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        start = self.instance.start_date
        if start and end < start:
            raise forms.ValidationError(
                _("The end cannot be before the start (%(start)s)."), params={"start": start.strftime("%d.%m.%Y")}
            )
        return end


class AssignmentForm(NetworkScopedForm):
    class Meta:
        model = Assignment
        fields = ["user", "role"]

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class UserForm(UserCreationForm):
    """A new login for a coordinator, a member or an office administrator."""

    is_office = forms.BooleanField(
        label=_("office administrator"), required=False, help_text=_("May do everything in the workspace.")
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit and self.cleaned_data["is_office"]:
            group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
            user.groups.add(group)
        return user


class UserEditForm(forms.ModelForm):
    """Name, address, whether the login may be used, and the office role of an existing login."""

    is_office = forms.BooleanField(
        label=_("office administrator"), required=False, help_text=_("May do everything in the workspace.")
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["is_office"].initial = self.instance.groups.filter(name=OFFICE_GROUP).exists()

    def clean(self):
        cleaned = super().clean()
        keeps_office = cleaned.get("is_office") or self.instance.is_superuser
        if self.instance.pk == self.editor.pk and not (cleaned.get("is_active") and keeps_office):
            raise forms.ValidationError(_("You cannot deactivate your own login or take away your own office role."))
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=commit)
        group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
        if self.cleaned_data["is_office"]:
            user.groups.add(group)
        else:
            user.groups.remove(group)
        return user


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("One-time code"),
        min_length=6,
        max_length=6,
        help_text=_("The six digits your authenticator app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of six digits."))
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(_("The code is wrong or has expired. Enter the code shown now."))
        return token


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = WorkspaceSettings
        fields = ["require_two_factor", "retention_months", "self_service_days"]


class SendLinkForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the organisation"))


class SelfServiceForm(forms.ModelForm):
    """The organisation's public data as the organisation proposes it; never saved directly."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("Note for the office"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    class Meta:
        model = Organisation
        fields = SELF_SERVICE_FIELDS

    def _get_validation_exclusions(self):
        # The parent stays as it is, but the unique names within it are checked now, not at approval.
        exclude = super()._get_validation_exclusions()
        exclude.discard("parent")
        return exclude

    def proposed_values(self):
        return {name: self.cleaned_data[name] or "" for name in SELF_SERVICE_FIELDS}


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that this person's data is to be erased. This cannot be undone."), required=True
    )
