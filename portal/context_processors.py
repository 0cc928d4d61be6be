"""What every page's template may name: the site identity (read only when a template uses it)."""

from django.utils.functional import SimpleLazyObject

from register.models import SiteIdentity


def identity_for(request):
    """The site identity, read once per request however many parts of the page name it."""
    if not hasattr(request, "_site_identity"):
        request._site_identity = SiteIdentity.current()
    return request._site_identity


def site(request):
    return {"site": SimpleLazyObject(lambda: identity_for(request))}
