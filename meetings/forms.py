"""Forms of meetings and events. The rules live here and in the models; views only call them."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register import permissions
from register.locking import VersionedFormMixin
from register.models import (
    AgendaItem,
    Event,
    File,
    FollowUp,
    Location,
    Meeting,
    Organisation,
    Person,
    SiteIdentity,
)
from register.models.fields import validate_name
from register.widgets import SearchSelect

from .models import Attendance, MeetingSeries, MinutesComment, Registration
from .uploads import check_upload

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class AccessibleErrorsMixin:
    """Ties each field's error message to the field (aria-describedby), next to its help text."""

    def full_clean(self):
        super().full_clean()
        if self.is_bound and NON_FIELD_ERRORS in self._errors:
            # A model rule reported at its field and again by its database constraint: say it once, at the field.
            at_fields = {str(e) for name, errors in self._errors.items() if name != NON_FIELD_ERRORS for e in errors}
            remaining = [e for e in self._errors[NON_FIELD_ERRORS] if str(e) not in at_fields]
            if remaining:
                self._errors[NON_FIELD_ERRORS] = self.error_class(remaining, error_class="nonfield")
            else:
                del self._errors[NON_FIELD_ERRORS]
        for name in self.errors:
            if name not in self.fields:
                continue
            ids = [f"{self[name].auto_id}_error"]
            if self.fields[name].help_text:
                ids.insert(0, f"{self[name].auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def minute(value):
    return value.replace(second=0, microsecond=0)


class DatesMixin:
    """End after start; for events also a start in the future (when new or moved). Meetings may lie in
    the past, so that a meeting already held can be recorded."""

    start_field = "start"
    end_field = "end"
    past_allowed = False

    def clean_dates(self, cleaned):
        start, end = cleaned.get(self.start_field), cleaned.get(self.end_field)
        original = getattr(self.instance, self.start_field) if self.instance.pk else None
        moved = original is None or (start and minute(start) != minute(original))
        if start and moved and start < timezone.now() and not self.past_allowed:
            self.add_error(self.start_field, _("The date lies in the past. Choose a date from today on."))
        if start and end and end <= start:
            self.add_error(self.end_field, _("The end must be after the start."))


class MeetingForm(VersionedFormMixin, AccessibleErrorsMixin, DatesMixin, forms.ModelForm):
    past_allowed = True

    class Meta:
        model = Meeting
        fields = ["network", "name", "start", "end", "location", "is_public"]
        widgets = {"network": SearchSelect("editable-networks"), "start": DateTimeInput(), "end": DateTimeInput()}
        help_texts = {"start": _("A meeting in the past is recorded as held, ready for its minutes.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = permissions.networks_editable(user)
        self.fields["location"].queryset = Location.objects.all()
        if self.instance.pk:
            self.fields["network"].disabled = True

    def clean(self):
        cleaned = super().clean()
        self.clean_dates(cleaned)
        return cleaned


class MeetingSeriesForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = ["network", "name", "first_start", "duration_minutes", "frequency", "interval", "count", "location"]
        widgets = {"network": SearchSelect("editable-networks"), "first_start": DateTimeInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = permissions.networks_editable(user)
        self.fields["duration_minutes"].min_value = 1
        self.fields["count"].help_text = _("At most 52 dates.")
        self.fields["interval"].help_text = _("1 = every week, month or quarter, 2 = every second, …")

    def clean_duration_minutes(self):
        value = self.cleaned_data["duration_minutes"]
        if value < 1:
            raise forms.ValidationError(_("A meeting must last at least one minute."), code="min_value")
        return value

    def clean_count(self):
        value = self.cleaned_data["count"]
        if not 1 <= value <= 52:
            raise forms.ValidationError(_("A series has between 1 and 52 dates."), code="range")
        return value

    def clean_interval(self):
        value = self.cleaned_data["interval"]
        if not 1 <= value <= 12:
            raise forms.ValidationError(_("Repeat every 1 to 12 weeks or months."), code="range")
        return value


class EventForm(VersionedFormMixin, AccessibleErrorsMixin, DatesMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "network",
            "description",
            "start",
            "end",
            "location",
            "host",
            "contact_function",
            "is_public",
            "capacity",
            "registration_deadline",
        ]
        widgets = {
            "network": SearchSelect("editable-networks"),
            "start": DateTimeInput(),
            "end": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = permissions.networks_editable(user)
        self.fields["network"].required = not permissions.is_office(user)
        self.fields["capacity"].help_text = _("Leave empty for no limit.")
        self.initial_sequence = self.instance.sequence

    def clean_capacity(self):
        value = self.cleaned_data["capacity"]
        if value is not None and value < 1:
            raise forms.ValidationError(
                _("Give at least one place, or leave the number of places empty."), code="min_value"
            )
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_dates(cleaned)
        deadline, end = cleaned.get("registration_deadline"), cleaned.get("end")
        if deadline and end and deadline > end:
            self.add_error("registration_deadline", _("Registration must close before the event ends."))
        return cleaned


class AgendaItemForm(AccessibleErrorsMixin, forms.ModelForm):
    """A new item: its number, title and whether the public may see it (not unless ticked)."""

    class Meta:
        model = AgendaItem
        fields = ["number", "name", "public"]


class AgendaItemChangeForm(VersionedFormMixin, AccessibleErrorsMixin, forms.ModelForm):
    """An item with its result, as the minutes record it; the votes only where the body voted."""

    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "name",
            "public",
            "notes",
            "result",
            "resolution_text",
            "votes_for",
            "votes_against",
            "votes_abstaining",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 5}),
            "resolution_text": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "notes": _("What was reported and discussed."),
            "resolution_text": _("The words of the decision, as voted on."),
            "votes_for": _("Only where the body voted; leave the three numbers empty otherwise."),
        }


class FollowUpForm(AccessibleErrorsMixin, forms.ModelForm):
    """A task from the minutes: what, who (an organisation or a person) and by when."""

    class Meta:
        model = FollowUp
        fields = ["description", "agenda_item", "organisation", "person", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"organisation": _("Choose an organisation or a person, not both.")}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        seats = meeting.network.memberships.active()
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=seats.exclude(organisation=None).values("organisation")
        ) | Organisation.objects.filter(pk__in=seats.exclude(on_behalf_of=None).values("on_behalf_of"))
        self.fields["person"].queryset = Person.objects.filter(erased_at__isnull=True).filter(
            pk__in=seats.exclude(person=None).values("person")
        ) | Person.objects.filter(erased_at__isnull=True, pk__in=seats.exclude(contact=None).values("contact"))


class MinutesIntroForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes_intro"]
        widgets = {"minutes_intro": forms.Textarea(attrs={"rows": 4})}


class CommentForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = MinutesComment
        fields = ["agenda_item", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"agenda_item": _("On the item (optional)"), "text": _("Your comment")}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class FileForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = File
        fields = ["file", "name", "role", "agenda_item", "public"]

    def __init__(self, *args, meeting=None, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting, self.instance.event = meeting, event
        if meeting is not None:
            self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        else:
            del self.fields["agenda_item"]
            self.fields["role"].choices = [(File.Role.ATTACHMENT, File.Role.ATTACHMENT.label)]
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Leave empty to use the file name.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.instance.mime_type = check_upload(upload)
        self.instance.size = upload.size
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and cleaned.get("file"):
            cleaned["name"] = cleaned["file"].name[:200]
            self.instance.name = cleaned["name"]
        return cleaned


class AttendanceForm(AccessibleErrorsMixin, forms.Form):
    """One choice per seat of the network on the meeting's day; a seat with a deputy can be marked as
    represented by that deputy."""

    def __init__(self, *args, meeting, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.seats = list(seats)
        recorded = {row.membership_id: row for row in meeting.attendances.all()}
        for membership in self.seats:
            choices = [("", _("not recorded")), (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label)]
            for deputy in membership.deputy_list:
                label = _("represented by %(deputy)s") % {"deputy": deputy.member}
                choices.append((f"{Attendance.Status.REPRESENTED}:{deputy.pk}", label))
            choices += [(value, label) for value, label in Attendance.Status.choices if value in ("excused", "absent")]
            row = recorded.get(membership.pk)
            initial = ""
            if row is not None:
                initial = f"{row.status}:{row.deputy_id}" if row.deputy_id else row.status
            self.fields[f"member_{membership.pk}"] = forms.ChoiceField(
                label=str(membership.member), choices=choices, required=False, initial=initial
            )

    def rows(self):
        return [(membership, self[f"member_{membership.pk}"]) for membership in self.seats]

    def statuses(self):
        """{membership: (status, deputy membership or None)} for the service."""
        result = {}
        for membership in self.seats:
            value = self.cleaned_data[f"member_{membership.pk}"]
            status, _sep, deputy_pk = value.partition(":")
            deputy = next((d for d in membership.deputy_list if str(d.pk) == deputy_pk), None)
            result[membership] = (status, deputy)
        return result


class LocationForm(VersionedFormMixin, AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = [
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
            "description",
            "address_public",
        ]
        widgets = {
            "step_free": forms.NullBooleanSelect(),
            "accessible_toilet": forms.NullBooleanSelect(),
            "hearing_loop": forms.NullBooleanSelect(),
            "accessible_parking": forms.NullBooleanSelect(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class RegistrationForm(AccessibleErrorsMixin, forms.Form):
    """The public registration form. ``homepage`` is a honeypot that people never see."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        validators=[validate_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the confirmation and the link to cancel here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        validators=[validate_name],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    need_sign_language = forms.BooleanField(label=_("Sign-language interpreter"), required=False)
    need_wheelchair_space = forms.BooleanField(label=_("Space for a wheelchair"), required=False)
    need_hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    need_easy_language = forms.BooleanField(label=_("Easy language"), required=False)
    need_personal_assistance = forms.BooleanField(label=_("I bring a personal assistant"), required=False)
    need_food = forms.BooleanField(label=_("Special food (please describe below)"), required=False)
    needs_details = forms.CharField(
        label=_("Anything else we should know?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example food allergies or the language you need."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisers (%(office)s) store my details to organise this event and "
            "delete them %(days)s days after the event."
        ),
        error_messages={"required": _("Please agree to the storage of your details, or we cannot register you.")},
    )
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, retention_days, **kwargs):
        super().__init__(*args, **kwargs)
        office = SiteIdentity.current().name_with_body
        self.fields["consent"].label = self.fields["consent"].label % {"days": retention_days, "office": office}
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    def needs_fields(self):
        return [self[name] for name in Registration.NEEDS]


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accepted", _("I will attend")), ("declined", _("I cannot attend"))],
        widget=forms.RadioSelect,
    )
