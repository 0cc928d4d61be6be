"""The public pages of the register's objects, which the settings wire to the portal
(``ABSOLUTE_URL_OVERRIDES``): the register knows no screen (docs/layers.md)."""

import functools
import re

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import translation

from register.absolute import SLUG_MARKER

# What Django's ``slug`` path converter takes: such a slug stands in the URL as it is.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def slug_path(viewname, slug):
    """``reverse(viewname, args=[slug])`` for a page named by one slug, with the path around the slug worked
    out once per URL name, language, script prefix and URL configuration: a page or list names dozens of
    objects, and a ``reverse()`` for each cost more than their links."""
    if not PLAIN_SLUG.fullmatch(slug or ""):
        return reverse(viewname, args=[slug])  # the converter decides (and refuses) as always
    before, after = _around_slug(viewname, translation.get_language(), get_script_prefix(), get_resolver(get_urlconf()))
    return f"{before}{slug}{after}"


@functools.lru_cache(maxsize=256)
def _around_slug(viewname, language, script_prefix, resolver):
    """The path of ``viewname`` before and after its slug; the arguments besides the URL name are those
    ``reverse()`` depends on, so that another language, prefix or URL configuration gets its own."""
    before, after = reverse(viewname, args=[SLUG_MARKER]).split(SLUG_MARKER)
    return before, after
