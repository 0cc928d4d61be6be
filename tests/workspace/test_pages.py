"""Every workspace page renders in German and in English, with one h1 and no skipped heading levels."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from register.models import ActorGroup
from workspace.models import Correction

HEADING = re.compile(r"<h([1-6])[\s>]")


def pages(network, membership, organisation, person, group, correction, user):
    return [
        ("workspace:home", []),
        ("workspace:networks", []),
        ("workspace:network_create", []),
        ("workspace:network", [network.pk]),
        ("workspace:network_edit", [network.pk]),
        ("workspace:membership_add", [network.pk]),
        ("workspace:membership_bulk_add", [network.pk]),
        ("workspace:assignment_add", [network.pk]),
        ("workspace:membership", [membership.pk]),
        ("workspace:membership_end", [membership.pk]),
        ("workspace:organisations", []),
        ("workspace:organisation_create", []),
        ("workspace:organisation", [organisation.pk]),
        ("workspace:organisation_edit", [organisation.pk]),
        ("workspace:actor_groups", []),
        ("workspace:actor_group_create", []),
        ("workspace:actor_group", [group.pk]),
        ("workspace:actor_group_edit", [group.pk]),
        ("workspace:people", []),
        ("workspace:person_create", []),
        ("workspace:person", [person.pk]),
        ("workspace:person_edit", [person.pk]),
        ("workspace:person_export", [person.pk]),
        ("workspace:person_erase", [person.pk]),
        ("workspace:changes", []),
        ("workspace:corrections", []),
        ("workspace:correction", [correction.pk]),
        ("workspace:users", []),
        ("workspace:user_create", []),
        ("workspace:user_edit", [user.pk]),
        ("workspace:settings", []),
        ("workspace:two_factor", []),
    ]


def assert_headings(html, url):
    levels = [int(level) for level in HEADING.findall(html)]
    assert levels and levels[0] == 1 and levels.count(1) == 1, url
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{url}: h{before} followed by h{after}"


@pytest.mark.parametrize("prefix, word", [("", "Zu erledigen"), ("/en", "Needs attention")])
def test_every_page_renders_in_both_languages(client, office, own_network, membership, caritas, person, prefix, word):
    group = ActorGroup.objects.create(name="Integrationsbeauftragte", slug="ib")
    correction = Correction.objects.create(organisation=caritas, proposed={"locality": "Dieburg"})
    client.force_login(office)
    for name, args in pages(own_network, membership, caritas, person, group, correction, office):
        with translation.override("de"):
            url = prefix + reverse(name, args=args)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert word in html, url  # the staff navigation, in the page's language
        assert f'<html lang="{prefix.strip("/") or "de"}" dir="ltr">' in html
        assert_headings(html, url)


def test_login_page_and_public_self_service_pages(client, db):
    for url in ["/arbeitsbereich/anmelden/", "/en/arbeitsbereich/anmelden/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert_headings(response.content.decode(), url)
    response = client.get("/arbeitsbereich/selbstauskunft/kaputt/")
    assert response.status_code == 410 and "ungültig" in response.content.decode()
