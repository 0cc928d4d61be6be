"""Finding 13: every kind of answer carries the Content-Security-Policy and the Permissions-Policy;
request bodies larger than any upload are refused before they are read; error pages are styled and
translated (issue 20)."""

import datetime as dt

import pytest
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.urls import path, reverse
from django.utils import timezone

from register.models import Event, File, Meeting, Network
from register.permissions import OFFICE_GROUP
from vernetzt import urls as site_urls

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


# The real URLs and two that fail on purpose: the 500 and 403 pages as a visitor sees them.
urlpatterns = [
    *site_urls.urlpatterns,
    *i18n_patterns(path("kaputt/", boom), path("verboten/", forbidden), prefix_default_language=False),
]


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network = Network.objects.create(name="Arbeitskreis Migration", slug="mila")
    start = timezone.now() + dt.timedelta(days=7)
    Event.objects.create(title="Inklusionsforum", slug="forum", start=start, end=start + dt.timedelta(hours=2))
    meeting = Meeting.objects.create(
        network=network, name="Sitzung", start=start, end=start + dt.timedelta(hours=1), is_public=True
    )
    document = File(meeting=meeting, name="Tagesordnung", mime_type="text/plain", size=4, public=True)
    document.file.save("tagesordnung.txt", ContentFile(b"TOPs"), save=False)
    document.save()
    office = User.objects.create_user("buero", "buero@example.org", "a long test password", is_staff=True)
    office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return {"network": network, "meeting": meeting, "file": document, "office": office}


def public_pages(data):
    meeting, document = data["meeting"], data["file"]
    return {
        "portal page": reverse("portal:home"),
        "portal page, English": "/en/",
        "network page": reverse("portal:network", args=["mila"]),
        "event page": reverse("portal:event", args=["forum"]),
        "network map": reverse("analysis:map"),
        "map data (JSON)": reverse("analysis:map_data"),
        "map export (GEXF)": reverse("analysis:map_gexf"),
        "REST API (JSON)": reverse("api:rest:network-list"),
        "REST API docs": "/api/v1/docs/",
        "OParl": "/oparl/v1.1/system",
        "calendar feed": reverse("meetings:public_feed"),
        "public meeting": reverse("meetings:public_meeting", args=[meeting.pk]),
        "file download": reverse("meetings:file", args=[meeting.pk, document.pk]),
        "static file": "/static/css/site.css",
        "login page": reverse("workspace:login"),
        "password reset page": reverse("workspace:password_reset"),
        "404 page": "/gibt-es-nicht/",
        "redirect": "/admin/",
    }


def staff_pages(data):
    return {
        "workspace": reverse("workspace:home"),
        "staff list": reverse("workspace:people"),
        "staff page of another app": reverse("meetings:meeting", args=[data["meeting"].pk]),
        "export (XLSX)": reverse("importing:export_xlsx"),
        "admin": "/admin/",
    }


def assert_policies(response, name):
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "script-src 'self'" in policy, name
    assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy, name
    assert (
        "camera=()" in response.get("Permissions-Policy", "") and "geolocation=()" in response["Permissions-Policy"]
    ), name


@pytest.mark.urls(__name__)
def test_every_kind_of_answer_carries_both_policies(client, data):
    for name, address in public_pages(data).items():
        assert_policies(client.get(address), name)
    client.force_login(data["office"])
    for name, address in staff_pages(data).items():
        response = client.get(address)
        assert response.status_code == 200, name
        assert_policies(response, name)
    assert_policies(client.get("/verboten/"), "403 page")
    client.raise_request_exception = False
    assert_policies(client.get("/kaputt/"), "500 page")


@pytest.mark.urls(__name__)
def test_cached_pages_carry_the_policies_too(client, data):
    first = client.get(reverse("portal:network", args=["mila"]))
    second = client.get(reverse("portal:network", args=["mila"]))
    assert second.content == first.content
    assert_policies(second, "cached page")


def test_the_policy_allows_nothing_from_other_hosts():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    sources = {source for values in directives.values() for source in values}
    assert sources <= {"'self'", "'none'", "data:"}


# Upload size: refused before the body is read.


class Unreadable:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_larger_than_any_upload_is_refused_unread(client, data):
    client.force_login(data["office"])
    meeting = data["meeting"]
    response = client.generic(
        "POST",
        reverse("meetings:file_upload", args=[meeting.pk]),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    content = response.content.decode()
    assert "50,0\xa0MB" in content and "20,0\xa0MB" in content
    assert "Die Datei ist zu groß" in content
    assert File.objects.count() == 1


def test_the_api_says_it_in_json(client):
    response = client.generic(
        "POST",
        "/api/v1/organisations/",
        b"",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_SIZE + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413 and "detail" in response.json()


def test_uploads_up_to_the_limit_still_pass_the_gate(client, data):
    client.force_login(data["office"])
    response = client.post(
        reverse("meetings:file_upload", args=[data["meeting"].pk]),
        {"file-name": "Protokoll", "file-role": "minutes", "file-file": ContentFile(b"Protokoll", name="p.txt")},
    )
    assert response.status_code == 302


# Error pages (issue 20): styled like the site and translated.


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("address", "status", "german", "english"),
    [
        ("/verboten/", 403, "Sie dürfen diese Seite nicht öffnen", "You may not open this page"),
        ("/gibt-es-nicht/", 404, "Seite nicht gefunden", "Page not found"),
        ("/kaputt/", 500, "Bei uns ist ein Fehler aufgetreten", "Something went wrong on our side"),
    ],
)
def test_error_pages_are_styled_and_translated(client, address, status, german, english):
    client.raise_request_exception = False
    response = client.get(address)
    assert response.status_code == status
    content = response.content.decode()
    assert german in content and "/static/css/site.css" in content and 'lang="de"' in content
    response = client.get("/en" + address)
    assert response.status_code == status and english in response.content.decode()


@pytest.mark.urls(__name__)
def test_the_403_page_of_signed_in_staff_keeps_the_workspace(client, data):
    client.force_login(data["office"])
    content = client.get("/verboten/").content.decode()
    assert "buero" in content and reverse("workspace:logout") in content


def test_a_failed_csrf_check_explains_what_to_do(data):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("workspace:login"), {"username": "buero", "password": "x"})
    assert response.status_code == 403
    assert "Das Formular konnte nicht gesendet werden" in response.content.decode()
