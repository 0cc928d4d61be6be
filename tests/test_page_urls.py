"""The register's public pages by their slugs (``vernetzt.page_urls``), wired in ABSOLUTE_URL_OVERRIDES."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from register.models import Network
from vernetzt.page_urls import slug_path


def test_the_page_of_an_object_by_its_slug_is_where_reverse_puts_it_in_every_language_and_prefix():
    for language in ("de", "en", "de-x-ls"):
        with translation.override(language):
            for view in ("portal:network", "portal:organisation", "portal:event"):
                assert slug_path(view, "ak-migration_2") == reverse(view, args=["ak-migration_2"])
    assert slug_path("portal:network", "mila") == "/netzwerke/mila/"
    with translation.override("en"):
        assert slug_path("portal:network", "mila") == "/en/netzwerke/mila/"
    set_script_prefix("/vernetzt/")  # served below a path of another site
    try:
        assert slug_path("portal:network", "mila") == "/vernetzt/netzwerke/mila/"
    finally:
        clear_script_prefix()
    assert slug_path("portal:network", "mila") == "/netzwerke/mila/"
    # A slug the path converter refuses is refused as reverse() refuses it, not put in the path.
    with pytest.raises(NoReverseMatch):
        slug_path("portal:network", "")
    with pytest.raises(NoReverseMatch):
        slug_path("portal:network", "a/b")
    assert Network(slug="mila").get_absolute_url() == "/netzwerke/mila/"
