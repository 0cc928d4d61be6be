"""The office's synonym list for the public search (workspace page "Search synonyms")."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from register.guards import requires
from register.permissions import is_office

from .models import SearchSynonym


class SynonymsForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Synonym groups, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 30, "lang": "de"}),
        help_text=gettext_lazy(
            "Words separated by commas: a search for one also finds entries with the others. "
            "Add the words people use, in German, English and other languages."
        ),
    )

    def clean_text(self):
        try:
            self.groups = SearchSynonym.parse(self.cleaned_data["text"])
        except ValueError as error:
            raise forms.ValidationError(
                _("Line %(line)s needs at least two words, separated by commas.") % {"line": error.args[0]}
            ) from error
        return self.cleaned_data["text"]


@requires(is_office)
def synonyms_edit(request):
    form = SynonymsForm(request.POST if request.method == "POST" else None, initial={"text": SearchSynonym.as_text()})
    if request.method == "POST" and form.is_valid():
        SearchSynonym.replace_all(form.groups)
        messages.success(request, _("The search's synonyms are saved: %(count)d groups.") % {"count": len(form.groups)})
        return redirect("portal:search_synonyms")
    context = {
        "form": form,
        "title": _("Search synonyms"),
        "intro": _("The public search takes the words of a line as meaning the same."),
    }
    return render(request, "workspace/form.html", context)
