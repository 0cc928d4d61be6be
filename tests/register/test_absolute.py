"""Absolute URLs come from VERNETZT_SITE_URL or, without it, from the request's host and port."""

import datetime
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from meetings.models import OutgoingMail
from register.absolute import FALLBACK, absolute_url, base_url, base_url_for, canonical_base
from register.models import Event, Network, Organisation


def test_the_configured_site_url_wins(settings):
    settings.SITE_URL = "https://vernetzt.example.org/"
    request = RequestFactory().get("/", HTTP_HOST="localhost:8123")
    assert absolute_url("/x/", request) == "https://vernetzt.example.org/x/"
    assert canonical_base(request) == "https://vernetzt.example.org"


def test_without_it_the_request_or_the_task_names_the_base(settings):
    settings.SITE_URL = ""
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8123")
    assert base_url(request) == "http://127.0.0.1:8123"
    assert base_url() == FALLBACK
    with base_url_for("http://127.0.0.1:9000/"):
        assert absolute_url("/y/") == "http://127.0.0.1:9000/y/"
    assert canonical_base(RequestFactory().get("/", HTTP_HOST="localhost:8123")) == "http://127.0.0.1:8123"
    assert canonical_base(RequestFactory().get("/", HTTP_HOST="localhost")) == "http://127.0.0.1"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "vernetzt.lan"]
    lan = RequestFactory().get("/", HTTP_HOST="vernetzt.lan:8000")
    assert canonical_base(lan) == "http://vernetzt.lan:8000"  # reached under another name: no redirect


@pytest.fixture
def office_client(db, settings):
    from django.contrib.auth.models import Group, User

    from register.permissions import OFFICE_GROUP

    settings.SITE_URL = ""
    user = User.objects.create_user("office", password="a long test password")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    client = Client(HTTP_HOST="127.0.0.1:8123")
    client.force_login(user)
    return client


def test_a_mail_queued_during_a_request_links_to_the_port_the_server_runs_on(office_client):
    organisation = Organisation.objects.create(name="Verein am Ort", slug="verein-am-ort")
    office_client.post(reverse("workspace:organisation_send_link", args=[organisation.pk]), {"email": "a@example.org"})
    links = re.findall(r"https?://\S+", OutgoingMail.objects.get(recipient="a@example.org").body)
    assert links and all(link.startswith("http://127.0.0.1:8123/") for link in links)


def test_calendar_files_link_to_the_port_the_server_runs_on(db, settings):
    settings.SITE_URL = ""
    network = Network.objects.create(name="Inklusionsforum", slug="inklusionsforum")
    start = timezone.now() + datetime.timedelta(days=3)
    Event.objects.create(
        title="Forum", slug="forum", network=network, start=start, end=start + datetime.timedelta(hours=2)
    )
    feed = Client(HTTP_HOST="localhost:8123").get(reverse("meetings:public_feed")).content.decode()
    urls = re.findall(r"^URL:(\S+)", feed.replace("\r\n ", ""), flags=re.MULTILINE)
    assert urls and all(url.startswith("http://localhost:8123/") for url in urls)
