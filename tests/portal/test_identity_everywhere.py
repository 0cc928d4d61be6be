"""Another county's identity, set in the workspace, is what the pages, mails and letters name: no
template names the Landkreis Darmstadt-Dieburg or its office."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import permission_denied, server_error

from meetings import registrations
from meetings.models import OutgoingMail
from register.models import Body, Event, SiteIdentity
from register.permissions import OFFICE_GROUP
from workspace import accounts

ROOT = Path(settings.BASE_DIR)
OFFICE_WORDS = ["Darmstadt-Dieburg", "Büro für Migration", "Jägertorstraße"]


def test_no_template_names_the_county_or_its_office():
    found = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in ROOT.glob("*/templates/**/*")
        if path.is_file() and not path.is_relative_to(ROOT / "node_modules")
        for word in OFFICE_WORDS
        if word in path.read_text(encoding="utf-8", errors="ignore")
    ]
    assert found == []


@pytest.fixture
def musterland(client, transactional_db):
    """The office of another county enters its identity on the workspace's page."""
    office = User.objects.create_user("office", "office@example.org", "a long test password")
    office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    county = Body.objects.create(name="Landkreis Musterland", slug="landkreis-musterland", ags="06999")
    client.force_login(office)
    response = client.post(
        reverse("workspace:site_identity"),
        {
            "office_name": "Integrationsbüro",
            "home_body": county.pk,
            "street_address": "Marktplatz 1",
            "postal_code": "12345",
            "locality": "Musterstadt",
            "phone": "",
            "email": "integration@example.org",
            "website": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SiteIdentity.current().name_with_body == "Integrationsbüro, Landkreis Musterland"
    return office


def latest_body():
    return OutgoingMail.objects.order_by("-pk").first().body


def test_mails_are_signed_by_the_office_set_in_the_workspace(musterland, django_capture_on_commit_callbacks):
    start = timezone.now() + datetime.timedelta(days=30)
    event = Event.objects.create(
        title="Forum", slug="forum", start=start, end=start + datetime.timedelta(hours=2), capacity=5, is_public=True
    )
    with django_capture_on_commit_callbacks(execute=False):
        registrations.request_registration(event, name="Rosa", email="rosa@example.org", language="de")
        assert latest_body().rstrip().endswith("Integrationsbüro, Landkreis Musterland")
        registrations.request_registration(event, name="Rosa", email="rosa@example.org", language="de")
        newcomer = User.objects.create_user("neu", "neu@example.org")
        accounts.invite(newcomer, musterland, "de")
        body = latest_body()
    assert "Netzwerkregister von: Integrationsbüro." in body
    assert body.rstrip().endswith("Integrationsbüro, Landkreis Musterland")
    assert not any(word in mail.body for mail in OutgoingMail.objects.all() for word in OFFICE_WORDS)


def test_error_pages_name_the_office_the_cache_holds_and_need_no_query(musterland, django_assert_num_queries):
    request = RequestFactory().get("/")
    SiteIdentity.current()  # as any page a running server served before has done
    with django_assert_num_queries(0):
        html = server_error(request).content.decode()
    assert "Integrationsbüro · Landkreis Musterland" in html and "Betrieben von: Integrationsbüro" in html
    assert "vernetzt, Landkreis Musterland</title>" in html
    assert not any(word in html for word in OFFICE_WORDS)
    cache.clear()  # an empty cache: the page still renders, without naming anyone
    with django_assert_num_queries(0):
        html = server_error(request).content.decode()
    assert "Integrationsbüro" not in html and "die diese Website betreibt" in html


def test_the_forbidden_page_names_the_office_set_in_the_workspace(musterland):
    html = permission_denied(RequestFactory().get("/"), exception=None).content.decode()
    assert "Integrationsbüro" in html and not any(word in html for word in OFFICE_WORDS)
