"""The office's website settings: who runs the site (site identity) and the pages the law asks for."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from register.guards import requires
from register.models import SiteIdentity, SitePage
from register.permissions import is_office

from ..forms import SiteIdentityForm, SitePageForm
from .common import history_rows, posted, records_of
from .translations import translation_url


@requires(is_office)
def site_overview(request):
    identity = SiteIdentity.load()
    pages = list(SitePage.objects.order_by("key"))
    for page in pages:
        page.public_url = public_url(page)
    records = records_of((SiteIdentity, [1]), (SitePage, [page.pk for page in pages]))
    names = dict(settings.LANGUAGES)
    languages = [(code, names[code]) for code in identity.offered_languages]
    context = {"identity": identity, "pages": pages, "offered": languages, "history": history_rows(records, False)}
    return render(request, "workspace/site.html", context)


@requires(is_office)
def identity_edit(request):
    identity = SiteIdentity.objects.filter(pk=1).first() or SiteIdentity(pk=1)
    form = SiteIdentityForm(posted(request), request.FILES or None, instance=identity)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The site identity was saved. Every page shows it from now on."))
        return redirect("workspace:site")
    title = _("Who runs this site")
    return render(request, "workspace/form.html", {"form": form, "title": title, "multipart": True})


@requires(is_office)
def page_edit(request, key):
    page = get_object_or_404(SitePage, key=key)
    form = SitePageForm(posted(request), instance=page)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(page)s” was saved.") % {"page": page})
        return redirect("workspace:site")
    context = {
        "form": form,
        "title": _("Edit: %(page)s") % {"page": page},
        "public_url": public_url(page),
        "translations_url": translation_url(page),
    }
    return render(request, "workspace/form.html", context)


PUBLIC_PAGES = {
    SitePage.Key.PRIVACY: "portal:privacy",
    SitePage.Key.IMPRINT: "portal:imprint",
    SitePage.Key.ACCESSIBILITY: "portal:accessibility",
    SitePage.Key.CONTACT: "portal:contact",
}


def public_url(page):
    return reverse(PUBLIC_PAGES[page.key])
