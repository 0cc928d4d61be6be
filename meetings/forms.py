"""Forms of meetings and events. The rules live here and in the models; views only call them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register import permissions
from register.models import AgendaItem, Event, File, Location, Meeting, unique_slug
from register.models.fields import validate_name

from .models import Attendance, MeetingSeries, Registration
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
        for name in self.errors:
            if name not in self.fields:
                continue
            ids = [f"{self[name].auto_id}_error"]
            if self.fields[name].help_text:
                ids.insert(0, f"{self[name].auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def not_in_past(value, message):
    if value and value < timezone.now():
        raise forms.ValidationError(message, code="past")


def minute(value):
    return value.replace(second=0, microsecond=0)


class DatesMixin:
    """Start in the future (when new or moved) and end after start, with the error on the field concerned."""

    start_field = "start"
    end_field = "end"

    def clean_dates(self, cleaned):
        start, end = cleaned.get(self.start_field), cleaned.get(self.end_field)
        original = getattr(self.instance, self.start_field) if self.instance.pk else None
        moved = original is None or (start and minute(start) != minute(original))
        if start and moved and start < timezone.now():
            self.add_error(self.start_field, _("The date lies in the past. Choose a date from today on."))
        if start and end and end <= start:
            self.add_error(self.end_field, _("The end must be after the start."))


class MeetingForm(AccessibleErrorsMixin, DatesMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["network", "name", "start", "end", "location", "is_public"]
        widgets = {"start": DateTimeInput(), "end": DateTimeInput()}

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
        widgets = {"first_start": DateTimeInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = permissions.networks_editable(user)
        self.fields["duration_minutes"].min_value = 1
        self.fields["count"].help_text = _("At most 52 dates.")

    def clean_first_start(self):
        value = self.cleaned_data["first_start"]
        not_in_past(value, _("The date lies in the past. Choose a date from today on."))
        return value

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


class EventForm(AccessibleErrorsMixin, DatesMixin, forms.ModelForm):
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
        widgets = {"start": DateTimeInput(), "end": DateTimeInput(), "registration_deadline": DateTimeInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = permissions.networks_editable(user)
        self.fields["network"].required = not permissions.is_office(user)
        self.fields["capacity"].help_text = _("Leave empty for no limit.")

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

    def save(self, commit=True):
        event = super().save(commit=False)
        if not event.pk:
            event.slug = unique_slug(Event, event.title)
        elif {"title", "start", "end", "location"} & set(self.changed_data):
            event.sequence += 1
        if commit:
            event.save()
        return event


class AgendaItemForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["number", "name", "public", "result"]
        widgets = {"result": forms.Textarea(attrs={"rows": 3})}


class FileForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = File
        fields = ["file", "name", "role", "agenda_item", "public"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
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
    """One choice per membership of the meeting's network."""

    def __init__(self, *args, meeting, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.memberships = list(memberships)
        recorded = dict(meeting.attendances.values_list("membership_id", "status"))
        choices = [("", _("not recorded")), *Attendance.Status.choices]
        for membership in self.memberships:
            self.fields[f"member_{membership.pk}"] = forms.ChoiceField(
                label=str(membership.member),
                choices=choices,
                required=False,
                initial=recorded.get(membership.pk, ""),
            )

    def rows(self):
        return [(membership, self[f"member_{membership.pk}"]) for membership in self.memberships]

    def save(self):
        existing = {attendance.membership_id: attendance for attendance in self.meeting.attendances.all()}
        for membership in self.memberships:
            status = self.cleaned_data[f"member_{membership.pk}"]
            attendance = existing.get(membership.pk)
            if not status:
                if attendance:
                    attendance.delete()
            elif attendance is None:
                Attendance.objects.create(meeting=self.meeting, membership=membership, status=status)
            elif attendance.status != status:
                attendance.status = status
                attendance.save(update_fields=["status", "modified"])


class LocationForm(AccessibleErrorsMixin, forms.ModelForm):
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
            "public_transport",
            "description",
        ]
        widgets = {
            "step_free": forms.NullBooleanSelect(),
            "accessible_toilet": forms.NullBooleanSelect(),
            "hearing_loop": forms.NullBooleanSelect(),
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
            "I agree that the Büro für Migration und Inklusion stores my details to organise this event and "
            "deletes them %(days)s days after the event."
        ),
        error_messages={"required": _("Please agree to the storage of your details, or we cannot register you.")},
    )
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, retention_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = self.fields["consent"].label % {"days": retention_days}
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
