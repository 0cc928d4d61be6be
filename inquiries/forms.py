"""The residents' form and the forms of the inbox."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.forms import AccessibleErrorsMixin
from register.models import Body, Municipality

from .models import EASY_LANGUAGE, RETENTION_DAYS, SPECIAL_RETENTION_DAYS, Inquiry, Topic
from .services import handlers


class InquiryForm(AccessibleErrorsMixin, forms.Form):
    """``homepage`` is a honeypot: people never see it, robots fill it in."""

    message = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write in your own words. You can write in German or English."),
    )
    topic = forms.ChoiceField(label=_("What is it about?"), choices=Topic.choices, initial=Topic.OTHER)
    special = forms.BooleanField(
        label=_("My question is about my health, my religion or my residence status."),
        required=False,
        help_text=_("Then only the office and the one council member who answers you can read it."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Where do you live? (optional)"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("I prefer not to say"),
        help_text=_("This helps the council to know where help is needed."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send our answer to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my question and my details are stored to answer me."),
        error_messages={"required": _("Please agree, or we cannot answer you.")},
    )
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(county_id=Body.home_pk()).order_by("name")
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    retention_days = RETENTION_DAYS
    special_retention_days = SPECIAL_RETENTION_DAYS


class EasyInquiryForm(InquiryForm):
    """The same form in Leichte Sprache (a variant of German: it is written here, not translated). The page
    is in Leichte Sprache (/de-x-ls/), so the topics' names come from its catalogue."""

    LANGUAGE = EASY_LANGUAGE
    TEXTS = {
        "message": ("Ihre Frage", "Schreiben Sie mit Ihren Worten. Kurz ist gut."),
        "topic": ("Worum geht es?", ""),
        "special": (
            "Meine Frage ist über meine Gesundheit. Oder über meine Religion. Oder über meinen Aufenthalt.",
            "Dann lesen nur 2 Menschen Ihre Frage: das Büro und 1 Mensch vom Beirat.",
        ),
        "municipality": (
            "Wo wohnen Sie? Sie müssen das nicht sagen.",
            "Dann weiß der Beirat: Dort brauchen Menschen Hilfe.",
        ),
        "name": ("Ihr Name. Sie müssen Ihren Namen nicht sagen.", ""),
        "email": ("Ihre E-Mail-Adresse", "An diese Adresse schicken wir die Antwort."),
        "consent": ("Ja. Sie dürfen meine Frage und meine Angaben speichern. Dann können Sie mir antworten.", ""),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.TEXTS.items():
            self.fields[name].label, self.fields[name].help_text = label, help_text
        self.fields["municipality"].empty_label = "Das sage ich nicht."
        self.fields["consent"].error_messages["required"] = "Bitte sagen Sie Ja. Sonst können wir nicht antworten."


class HandlingForm(forms.ModelForm):
    """Status, topic, special category and who answers."""

    class Meta:
        model = Inquiry
        fields = ["status", "topic", "special", "assigned_to"]

    def __init__(self, *args, may_assign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = handlers(self.instance.network)
        self.fields["assigned_to"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if not may_assign:
            del self.fields["assigned_to"]
        if self.instance.special:
            # Once special, always special: the content was given in confidence.
            self.fields["special"].disabled = True


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Sent by e-mail to the resident, with a greeting and a note on data protection."),
    )
