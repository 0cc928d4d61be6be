"""The upload form of the table import: what the file holds, and the file."""

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from register.permissions import can_import

from .models import TabularImport
from .tabular import MAX_FILE_SIZE, FileProblem, file_format_of, too_large_message


def allowed_kinds(user):
    """The kinds of file the user may import (register.permissions.can_import)."""
    return [(kind, label) for kind, label in TabularImport.Kind.choices if can_import(user, kind)]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = allowed_kinds(user)
        self.fields["file"].help_text = _(
            "Excel (.xlsx) or CSV, at most %(max)s MB. The templates below show the columns."
        ) % {"max": MAX_FILE_SIZE // 1024 // 1024}
        if len(self.fields["kind"].choices) == 1:
            self.fields["kind"].initial = self.fields["kind"].choices[0][0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size is known before the file is read: a large file is refused unread.
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(too_large_message(upload.size))
        head = upload.read(8)
        upload.seek(0)
        try:
            file_format_of(upload.name, head)
        except FileProblem as problem:
            raise forms.ValidationError(problem.message) from None
        return upload

    def save(self, user, language):
        upload = self.cleaned_data["file"]
        content = upload.read()
        return TabularImport.objects.create(
            user=user,
            language=language,
            kind=self.cleaned_data["kind"],
            file_name=upload.name[:300],
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )


class StatisticsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Table of the statistical office"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_(
            "Excel (.xlsx) or CSV as the Hessisches Statistisches Landesamt publishes it, one row per municipality."
        ),
    )
    date = forms.DateField(
        label=_("Figures of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to take the date from the title of the table."),
    )
    source = forms.CharField(
        label=_("Source"), required=False, max_length=300, help_text=_("Leave empty to name the office and the table.")
    )

    # The same checks as the table import: size before reading, format from the first bytes.
    clean_file = UploadForm.clean_file
