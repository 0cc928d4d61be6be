"""Forms of the workspace. Validation lives here and in the register's models; views stay thin."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UsernameField
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from meetings.mail import queue_templated
from register import languages, translations
from register.composition import current_term, seat_roles, seats_of
from register.fields import (
    MUNICIPALITIES,
    ChoiceOfEntries,
    MunicipalityChoiceField,
    OrganisationChoiceField,
    OrganisationMultipleChoiceField,
    PersonChoiceField,
    PersonMultipleChoiceField,
)
from register.locking import VersionedFormMixin
from register.models import (
    ActorGroup,
    Assignment,
    Body,
    DelegatingCouncil,
    LegislativeTerm,
    Membership,
    Network,
    Organisation,
    Person,
    SiteIdentity,
    SitePage,
    unique_slug,
)
from register.permissions import OFFICE_GROUP, can_edit_register, people_visible_to
from register.widgets import SearchSelect, SearchSelectMultiple

from .accounts import authenticator, normalise_code, password_link, recovery_device, verify_second_factor
from .models import SELF_SERVICE_FIELDS, WorkspaceSettings
from .similar import NetworkCheck, OrganisationCheck, PersonCheck

ORGANISATIONS = Organisation.objects.current().select_related("parent", "parent__parent", "parent__parent__parent")
# A delegating council is an organisation of its municipality.
MUNICIPAL_ORGANISATIONS = ORGANISATIONS.filter(municipality__isnull=False)
PEOPLE = Person.objects.filter(erased_at__isnull=True).select_related("organisation")
BODIES = Body.objects.order_by("name", "pk")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LanguageSelect(forms.Select):
    """A choice of the site's languages, each named in itself and marked with its language (``lang``),
    so that a screen reader reads "Українська" as Ukrainian."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["lang"] = value
        return option


class LanguagesField(forms.MultipleChoiceField):
    """The languages an organisation speaks: ticked in a list, stored as the register's tag string."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("languages spoken"))
        kwargs.setdefault("help_text", _("The languages in which the organisation advises or can be reached."))
        super().__init__(choices=languages.LANGUAGES, required=False, **kwargs)

    def prepare_value(self, value):
        return languages.split(value) if isinstance(value, str) else value

    def clean(self, value):
        return languages.join(super().clean(value))

    def has_changed(self, initial, data):
        return languages.join(self.prepare_value(initial) or []) != languages.join(data or [])


class KeepsChosenOrganisations:
    """Choices offer current organisations only, plus an archived one the record already names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            return
        for name, field in self.fields.items():
            if isinstance(field, OrganisationChoiceField | OrganisationMultipleChoiceField):
                chosen = self.initial.get(name)
                chosen = chosen if isinstance(chosen, list) else [chosen]
                keys = [getattr(item, "pk", item) for item in chosen if item is not None]
                if keys:
                    field.queryset = field.queryset | Organisation.objects.filter(pk__in=keys)


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


class NetworkForm(VersionedFormMixin, KeepsChosenOrganisations, NetworkCheck, SluggedForm):
    contact_url = forms.URLField(label=_("contact web page"), required=False, assume_scheme="https")
    organisation = OrganisationChoiceField(
        ORGANISATIONS,
        required=False,
        widget=SearchSelect("organisations"),
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
            "contact_email",
            "contact_phone",
            "contact_url",
            "contact_public",
            "seats_members",
            "seats_deputies",
            "term_years",
            "composition",
            "organisation",
        ]
        widgets = {"topics": forms.CheckboxSelectMultiple, "target_groups": forms.CheckboxSelectMultiple}


class OrganisationForm(VersionedFormMixin, KeepsChosenOrganisations, OrganisationCheck, SluggedForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    languages = LanguagesField()
    parent = OrganisationChoiceField(
        ORGANISATIONS,
        required=False,
        label=_("part of"),
        help_text=_("The organisation this one is a unit of."),
        widget=SearchSelect("organisations"),
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
            "contact_public",
            "languages",
        ]
        # A country has 400 bodies and 8,000 municipalities: found by search beyond the first thousand.
        field_classes = {"body": ChoiceOfEntries, "municipality": MunicipalityChoiceField}
        widgets = {"body": SearchSelect("bodies"), "municipality": SearchSelect("municipalities")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = MUNICIPALITIES
        if self.instance.pk:
            self.fields["parent"].queryset = ORGANISATIONS.exclude(pk=self.instance.pk)


class ActorGroupForm(VersionedFormMixin, KeepsChosenOrganisations, SluggedForm):
    organisations = OrganisationMultipleChoiceField(
        ORGANISATIONS, required=False, label=_("organisations"), widget=SearchSelectMultiple("organisations")
    )

    class Meta:
        model = ActorGroup
        fields = ["name", "description", "organisations", "persons"]
        field_classes = {"persons": PersonMultipleChoiceField}
        widgets = {"persons": SearchSelectMultiple("people")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = PEOPLE


class PersonForm(VersionedFormMixin, KeepsChosenOrganisations, PersonCheck, forms.ModelForm):
    organisation = OrganisationChoiceField(
        ORGANISATIONS, required=False, label=_("organisation"), widget=SearchSelect("organisations")
    )

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
            "language",
            "legal_basis",
            "purpose",
            "consent_to_publish",
            "consent_recorded_at",
            "consent_note",
        ]
        widgets = {"consent_recorded_at": DateTimeInput, "language": LanguageSelect}

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


class MembershipForm(VersionedFormMixin, KeepsChosenOrganisations, NetworkScopedForm):
    organisation = OrganisationChoiceField(
        ORGANISATIONS, required=False, label=_("organisation"), widget=SearchSelect("organisations")
    )
    person = PersonChoiceField(PEOPLE, required=False, label=_("person"), widget=SearchSelect("people"))
    on_behalf_of = OrganisationChoiceField(
        ORGANISATIONS,
        required=False,
        label=_("on behalf of"),
        help_text=_("The organisation a person represents."),
        widget=SearchSelect("organisations"),
    )
    contact = PersonChoiceField(PEOPLE, required=False, label=_("contact person"), widget=SearchSelect("people"))

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
            "legislative_term",
            "start_date",
            "end_date",
            "over_seats_reason",
            "label",
        ]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, network, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        # Fields whose record the same submit creates (``AddMember``): not checked until it exists.
        self.pending = set()
        terms = LegislativeTerm.objects.filter(network=network)
        if terms.exists() or self.instance.legislative_term_id:
            self.fields["legislative_term"].queryset = terms
            if not self.instance.pk and not self.initial.get("legislative_term"):
                member = terms.none()
                if self.initial.get("deputy_of"):
                    member = Membership.objects.filter(pk=self.initial["deputy_of"], network=network)
                paired = member.values_list("legislative_term", flat=True).first() if member else None
                self.initial["legislative_term"] = paired or current_term(network)
        else:
            del self.fields["legislative_term"]
        if network.seats_members is None and network.seats_deputies is None and not terms.exists():
            del self.fields["over_seats_reason"]
        # Only the people the user may see, and those already chosen.
        chosen = Q(pk__in=[pk for pk in [self.instance.person_id, self.instance.contact_id] if pk])
        people = PEOPLE.filter(Q(pk__in=people_visible_to(user).values("pk")) | chosen)
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

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | self.pending


class NewOrganisationForm(OrganisationCheck, SluggedForm):
    """An organisation created in the "add member" form, with the same checks as on its own page."""

    parent = OrganisationChoiceField(
        ORGANISATIONS,
        required=False,
        label=_("part of"),
        help_text=_("The organisation this one is a unit of."),
        widget=SearchSelect("organisations"),
    )

    class Meta:
        model = Organisation
        fields = ["name", "parent", "category"]
        labels = {"name": _("name of the new organisation")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    @property
    def used(self):
        return bool(self.is_bound and (self.data.get(self.add_prefix("name")) or "").strip())


class NewContactForm(PersonCheck, forms.ModelForm):
    """A contact person created in the "add member" form, with the same checks as on its own page."""

    class Meta:
        model = Person
        fields = ["given_name", "family_name", "function", "email", "phone"]

    @property
    def used(self):
        names = ("given_name", "family_name", "function", "email", "phone")
        return self.is_bound and any((self.data.get(self.add_prefix(name)) or "").strip() for name in names)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ["given_name", "family_name", "function"]):
            raise forms.ValidationError(_("Give at least a name or a function."))
        return cleaned


class AddMember:
    """One submit adds a member: chosen or a new organisation, chosen or a new contact person.

    The three forms are validated together; the new records and the membership are written in one
    transaction, so that nothing is written when anything fails. Only those who keep the register
    (``can_edit_register``) create organisations here; a coordinator may enter a new contact person, as
    the people already in the register they may choose only among those ``people_visible_to`` allows.
    """

    def __init__(self, data, *, network, user, initial=None):
        self.creates = can_edit_register(user)
        self.membership = MembershipForm(data, network=network, user=user, initial=initial)
        self.organisation = NewOrganisationForm(data, prefix="new_organisation") if self.creates else None
        self.contact = NewContactForm(data, prefix="new_contact")

    def new_forms(self):
        return [form for form in (self.organisation, self.contact) if form is not None and form.used]

    def is_valid(self):
        membership = self.membership
        if self.organisation is not None and self.organisation.used:
            membership.pending.add("organisation")
        if self.contact is not None and self.contact.used:
            membership.pending.add("contact")
        valid = all([membership.is_valid(), *(form.is_valid() for form in self.new_forms())])
        for name in membership.pending:
            if membership.cleaned_data.get(name):
                membership.add_error(name, _("Choose an entry or enter a new one, not both."))
                valid = False
        return valid

    @transaction.atomic
    def save(self, source):
        membership = self.membership.instance
        if "organisation" in self.membership.pending:
            membership.organisation = self.organisation.save()
        if "contact" in self.membership.pending:
            self.contact.instance.organisation = membership.organisation or membership.on_behalf_of
            membership.contact = self.contact.save()
        membership.source = source
        membership.full_clean()
        return self.membership.save()

    @property
    def errors(self):
        return [form for form in [self.membership, *self.new_forms()] if form.errors]


class BulkMembershipForm(forms.Form):
    """Add many organisations to a network in one action; either all are added or none."""

    organisations = OrganisationMultipleChoiceField(
        ORGANISATIONS, label=_("organisations"), widget=SearchSelectMultiple("organisations")
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
        term = current_term(self.network)
        seats = seats_of(self.network, term, role)
        if seat_roles(role) and LegislativeTerm.objects.filter(network=self.network).exists() and term is None:
            raise forms.ValidationError(_("The network has no current term of office. Add the term first."))
        if seats is not None:
            filled = Membership.objects.active().filter(network=self.network, role__in=seat_roles(role))
            filled = filled.filter(legislative_term=term).count() if term else filled.count()
            if filled + len(organisations) > seats:
                raise forms.ValidationError(
                    _("Only %(free)s of %(seats)s seats are free. Add the members one by one to state a reason.")
                    % {"free": max(seats - filled, 0), "seats": seats}
                )
        self.term = term
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
                    legislative_term=self.term if seat_roles(self.cleaned_data["role"]) else None,
                    source=source,
                )
                membership.full_clean()
                membership.save()
                created.append(membership)
        return created


class EndMembershipForm(VersionedFormMixin, forms.ModelForm):
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


class UserForm(forms.ModelForm):
    """A new login for a coordinator, a member or an office administrator; its owner chooses the
    password through the invitation mail."""

    is_office = forms.BooleanField(
        label=_("office administrator"), required=False, help_text=_("May do everything in the workspace.")
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The invitation to choose a password is sent to this address.")

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Another login already uses this address."))
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            if self.cleaned_data["is_office"]:
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
    """A one-time code: the six digits of the authenticator app, or, at sign-in, a recovery code.

    ``device``: the app being set up, which must accept the code; ``user``: any of the user's
    second factors may (``accounts.verify_second_factor``). ``self.device`` is the one that did."""

    token = forms.CharField(
        label=_("One-time code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, device=None, user=None, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.device, self.user = device, user
        if recovery:
            self.fields["token"].help_text = _(
                "The six digits your authenticator app shows, or one of your recovery codes."
            )
        else:
            self.fields["token"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]*"})

    def clean_token(self):
        token = normalise_code(self.cleaned_data["token"])
        if self.user is not None:
            self.device = verify_second_factor(self.user, token)
            if self.device is None:
                raise forms.ValidationError(_("The code is wrong or has expired. Enter the code shown now."))
            return token
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("The code consists of six digits."))
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(_("The code is wrong or has expired. Enter the code shown now."))
        return token


class ConfirmIdentityForm(TokenForm):
    """Password and, if the login has one, a one-time code again: before the second factor is
    switched off, replaced or reset. ``user`` is the person confirming, not the one changed."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["password", "token"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, recovery=True, **kwargs)
        if authenticator(user) is None and recovery_device(user) is None:
            del self.fields["token"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is wrong."))
        return password


class ResetLinkForm(PasswordResetForm):
    """ "Forgot your password?": the link goes out through the outbox, in the visitor's language.

    Logins invited but without a password yet may ask too; the answer is the same whether or not
    the address is known."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        context = {
            "user": context["user"],
            "link": password_link(context["user"], "workspace:password_reset_confirm"),
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        }
        queue_templated(to_email, "account_password_reset", context, translation.get_language())


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = WorkspaceSettings
        fields = ["require_two_factor", "retention_months", "self_service_days"]


class SendLinkForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the organisation"))
    language = forms.ChoiceField(
        label=_("Language of the mail and the page"),
        required=False,
        widget=LanguageSelect,
        choices=[("", _("the preferred language of the person with this address, else German"))]
        + list(settings.LANGUAGES),
    )


class SelfServiceForm(forms.ModelForm):
    """The organisation's public data as the organisation proposes it; never saved directly."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    languages = LanguagesField()
    mail_language = forms.ChoiceField(
        label=_("Language of our mails to you"),
        choices=settings.LANGUAGES,
        required=False,
        widget=LanguageSelect,
        help_text=_("The office writes to this e-mail address in this language."),
    )
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_public"].label = _("Publish our contact details")
        self.fields["contact_public"].help_text = _(
            "Address, phone, e-mail and website appear in the public directory and its open data only if you tick "
            "this. Please give only addresses of the organisation, not private ones."
        )

    def proposed_values(self):
        """The values as the register stores them: text ("" when empty) and yes/no."""
        return {
            name: value if isinstance(value, bool) else (value or "")
            for name, value in ((name, self.cleaned_data[name]) for name in SELF_SERVICE_FIELDS)
        }


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that this person's data is to be erased. This cannot be undone."), required=True
    )


class LegislativeTermForm(VersionedFormMixin, NetworkScopedForm):
    """A term of office of an elected network. A new term starts empty: nothing is carried over."""

    class Meta:
        model = LegislativeTerm
        fields = ["name", "election_date", "start_date", "end_date", "seats_members", "seats_deputies"]
        widgets = {"election_date": DateInput, "start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        if not self.instance.body_id:
            host = network.hosts.order_by("position").first()
            self.instance.body_id = host.body_id if host else Body.home_pk()


class DelegatingCouncilForm(VersionedFormMixin, KeepsChosenOrganisations, NetworkScopedForm):
    organisation = OrganisationChoiceField(
        MUNICIPAL_ORGANISATIONS,
        widget=SearchSelect("municipal-organisations"),
        label=_("council"),
        help_text=_("The council as an organisation of its municipality. Add it under Organisations first."),
    )

    class Meta:
        model = DelegatingCouncil
        fields = ["organisation", "kind", "established_on", "dissolved_on", "replaced_by"]
        widgets = {"established_on": DateInput, "dissolved_on": DateInput}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["replaced_by"].queryset = (
            DelegatingCouncil.objects.filter(network=network)
            .exclude(pk=self.instance.pk)
            .select_related("organisation")
        )


class SiteIdentityForm(VersionedFormMixin, forms.ModelForm):
    """Who runs the site; the logo is uploaded here and kept in the database."""

    LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
    LOGO_MAX_BYTES = 200 * 1024

    website = forms.URLField(label=_("website of the office"), required=False, assume_scheme="https")
    logo_file = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_("A PNG or JPEG picture of at most 200 KB, shown square beside the name in the header."),
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)
    # The languages of the site beside German (settings.LANGUAGES), each named in itself.
    languages = forms.MultipleChoiceField(
        label=SiteIdentity._meta.get_field("languages").verbose_name,
        help_text=SiteIdentity._meta.get_field("languages").help_text,
        choices=lambda: [
            (code, format_html('<span lang="{}">{}</span>', code, name))
            for code, name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SiteIdentity
        fields = [
            "office_name",
            "home_body",
            "street_address",
            "postal_code",
            "locality",
            "phone",
            "email",
            "website",
            "languages",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_body"].queryset = Body.objects.order_by("name")
        if not self.instance.logo_type:
            del self.fields["remove_logo"]

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > self.LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The picture is larger than 200 KB. Please make it smaller."))
        content = upload.read()
        mime = next((mime for magic, mime in self.LOGO_TYPES.items() if content.startswith(magic)), None)
        if mime is None:
            raise forms.ValidationError(_("Upload a PNG or JPEG picture."))
        return content, mime

    def save(self, commit=True):
        identity = super().save(commit=False)
        if self.cleaned_data.get("logo_file"):
            identity.logo, identity.logo_type = self.cleaned_data["logo_file"]
        elif self.cleaned_data.get("remove_logo"):
            identity.logo, identity.logo_type = b"", ""
        if commit:
            identity.save()
        return identity


class SitePageForm(VersionedFormMixin, forms.ModelForm):
    """The German text of a site page (its translations are edited on the translation page); the
    accessibility statement also states its conformity and date."""

    class Meta:
        model = SitePage
        fields = ["title_de", "body_de", "conformity", "reviewed_on", "is_example"]
        widgets = {
            "body_de": forms.Textarea(attrs={"rows": 18}),
            "reviewed_on": DateInput,
        }
        help_texts = {
            "body_de": _(
                "Paragraphs are separated by a blank line; a line starting with “## ” is a heading, "
                "lines starting with “- ” form a list. Web addresses become links."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.key != SitePage.Key.ACCESSIBILITY:
            del self.fields["conformity"]
            del self.fields["reviewed_on"]

    def _get_validation_exclusions(self):
        # The key is fixed, but the rules that depend on it (an accessibility statement states its
        # conformity) are checked now, with the error on the form instead of a database error.
        exclude = super()._get_validation_exclusions()
        exclude.discard("key")
        return exclude


class TranslationForm(forms.Form):
    """The translations of one record into one language: a text per translatable field, written beside
    its German. An outdated translation that still fits the changed German is confirmed with a tick;
    a field whose German changed while the page was open is not saved, and says so."""

    def __init__(self, data=None, *, record, language):
        super().__init__(data)
        self.record, self.language = record, language
        self.rows = translations.translations_of(record, language)
        bidi = translation.get_language_info(language)["bidi"]
        self.entries = []
        for name in translations.fields_of(type(record)):
            german = getattr(record, name) or ""
            if not german.strip():
                continue
            model_field = record._meta.get_field(name)
            row = self.rows.get(name)
            state = translations.state_of(row, german)
            attrs = {"lang": language, "dir": "rtl" if bidi else "ltr", "rows": 3 if model_field.max_length else 8}
            self.fields[name] = forms.CharField(
                label=_("Translation (%(language)s)") % {"language": dict(settings.LANGUAGES)[language]},
                required=False,
                max_length=model_field.max_length,
                initial=row.text if row else "",
                widget=forms.Textarea(attrs=attrs),
            )
            self.fields[f"german-{name}"] = forms.CharField(
                required=False, initial=translations.digest(german), widget=forms.HiddenInput
            )
            label = capfirst(model_field.verbose_name)
            entry = {"name": name, "label": label, "german": german, "state": state, "row": row, "still_fits": None}
            if state == translations.OUTDATED:
                self.fields[f"fits-{name}"] = forms.BooleanField(
                    label=_("The translation still fits the changed German text"), required=False
                )
                entry["still_fits"] = f"fits-{name}"
                if row.source_text:
                    entry["changes"] = translations.changes(row.source_text, german)
            self.entries.append(entry)

    def clean(self):
        cleaned = super().clean()
        for entry in self.entries:
            name = entry["name"]
            if cleaned.get(f"german-{name}") != translations.digest(entry["german"]):
                self.add_error(
                    name,
                    _("The German text changed while you were translating. Please check the translation against it."),
                )
        return cleaned

    def changed_fields(self):
        """The fields whose translation is new, changed, removed, or confirmed as still fitting."""
        changed = []
        for entry in self.entries:
            name, row = entry["name"], entry["row"]
            text = self.cleaned_data.get(name, "")
            if row is None and not text:
                continue
            confirmed = entry["still_fits"] and self.cleaned_data.get(entry["still_fits"])
            if row is not None and text == row.text and not confirmed:
                continue
            changed.append(name)
        return changed

    def save(self):
        """Write each changed translation (its history is kept); returns how many."""
        changed = self.changed_fields()
        with transaction.atomic():
            for name in changed:
                translations.translate(self.record, name, self.language, self.cleaned_data.get(name, ""))
        return len(changed)


class TranslationFilterForm(forms.Form):
    """The filters of the office's translation list: one language, a kind of record, a state."""

    language = forms.ChoiceField(label=_("Language"))
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("missing or outdated")), ("missing", _("missing")), ("outdated", _("outdated"))],
    )

    def __init__(self, data=None, *, offered):
        self.default_language = next(
            (code for code in translations.target_languages() if code in offered), translations.target_languages()[0]
        )
        # Without a language (from the menu, or a page of that list), the first one offered: the list shows it.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("language"):
            data["language"] = self.default_language
        super().__init__(data)
        names = dict(settings.LANGUAGES)
        hidden = _("%(language)s (not offered to visitors)")
        self.fields["language"].choices = [
            (code, names[code] if code in offered else hidden % {"language": names[code]})
            for code in translations.target_languages()
        ]
        self.fields["kind"].choices = [("", _("all"))] + [
            (model._meta.model_name, capfirst(model._meta.verbose_name_plural))
            for model in translations.translatable_models()
        ]

    def choice(self):
        """(language, kinds or None for all, states) as chosen, defaults where nothing valid is."""
        self.is_valid()
        data = self.cleaned_data  # the valid ones
        language = data.get("language") or self.default_language
        kinds = [data["kind"]] if data.get("kind") else None
        states = [data["state"]] if data.get("state") else [translations.MISSING, translations.OUTDATED]
        return language, kinds, states
