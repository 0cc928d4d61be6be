"""Self-service: a signed, expiring, single-use link; the correction waits for the office."""

import re
import socket
from datetime import timedelta

from django.core import mail
from django.core.validators import EmailValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import OutgoingMail
from register.models import ChangeRecord, Organisation
from workspace import selfservice
from workspace.models import Correction, SelfServiceLink

FORM = {
    "name": "Caritasverband Darmstadt e.V.",
    "short_name": "Caritas",
    "description": "",
    "website": "https://caritas-beispiel.de",
    "email": "info@caritas-beispiel.de",
    "phone": "",
    "street_address": "Heinrichstraße 32",
    "postal_code": "64283",
    "locality": "Darmstadt",
    "languages": ["de", "ar", "gsg"],
    "contact_public": "on",
    "note": "Neue Adresse seit März.",
}
# The same proposal as the register stores it.
STORED = {
    **{k: v for k, v in FORM.items() if k not in {"note", "languages", "contact_public"}},
    "languages": "de,gsg,ar",
    "contact_public": True,
}


def sent_link(client, office, organisation):
    client.force_login(office)
    client.post(
        reverse("workspace:organisation_send_link", args=[organisation.pk]), {"email": "info@caritas-beispiel.de"}
    )
    client.logout()
    queued = OutgoingMail.objects.get()
    assert queued.recipient == "info@caritas-beispiel.de" and queued.status == OutgoingMail.Status.QUEUED
    return re.search(r"http://\S+", queued.body).group(0).removeprefix("http://127.0.0.1:8000")


def test_correction_waits_for_approval_and_is_applied_through_the_register(client, office, caritas):
    url = sent_link(client, office, caritas)
    assert client.get(url).status_code == 200
    response = client.post(url, FORM)
    assert response.status_code == 200 and "Vielen Dank" in response.content.decode()
    caritas.refresh_from_db()
    assert caritas.locality == ""  # nothing published yet
    correction = Correction.objects.get()
    assert correction.proposed == {
        "short_name": "Caritas",
        "website": "https://caritas-beispiel.de",
        "email": "info@caritas-beispiel.de",
        "street_address": "Heinrichstraße 32",
        "postal_code": "64283",
        "locality": "Darmstadt",
        "languages": "de,gsg,ar",  # in the order of the list, whatever order they were ticked in
        "contact_public": True,
    }
    # Single use.
    again = client.post(url, FORM)
    assert again.status_code == 410 and Correction.objects.count() == 1

    client.force_login(office)
    client.post(reverse("workspace:correction_decide", args=[correction.pk]), {"decision": "approve"})
    caritas.refresh_from_db()
    assert caritas.locality == "Darmstadt" and caritas.confirmed_at is not None
    assert caritas.contact_public and caritas.language_names == ["Deutsch", "Deutsche Gebärdensprache", "Arabisch"]
    record = ChangeRecord.objects.filter(object_repr=caritas.name, action="update").latest("pk")
    assert record.source == "self-service" and record.user == office
    assert record.changes["street_address"] == ["", "Heinrichstraße 32"]
    assert record.changes["contact_public"] == ["False", "True"]
    public = client.get(caritas.get_absolute_url()).content.decode()
    assert "Heinrichstraße 32" in public and "info@caritas-beispiel.de" in public and "Arabisch" in public
    correction.refresh_from_db()
    assert correction.state == "approved" and correction.decided_by == office


def test_rejected_correction_changes_nothing(client, office, caritas):
    link = SelfServiceLink.objects.create(organisation=caritas, email="a@example.org")
    correction = selfservice.submit(link, STORED)
    client.force_login(office)
    client.post(reverse("workspace:correction_decide", args=[correction.pk]), {"decision": "reject"})
    caritas.refresh_from_db()
    assert caritas.locality == "" and Correction.objects.get().state == "rejected"


def test_expired_forged_and_invalid_links_are_refused(client, caritas):
    link = SelfServiceLink.objects.create(organisation=caritas, email="a@example.org")
    token = selfservice.token_for(link)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("workspace:self_service", args=[forged])).status_code == 410
    past = timezone.now() - timedelta(days=15)
    SelfServiceLink.objects.filter(pk=link.pk).update(created=past, expires_at=past + timedelta(days=14))
    response = client.post(reverse("workspace:self_service", args=[token]), FORM)
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()
    assert not Correction.objects.exists()


def test_invalid_correction_says_what_is_wrong_and_keeps_link(client, caritas, diakonie):
    link = SelfServiceLink.objects.create(organisation=caritas, email="a@example.org")
    url = reverse("workspace:self_service", args=[selfservice.token_for(link)])
    response = client.post(url, {**FORM, "name": diakonie.name, "email": "kein-mail"})
    errors = response.context["form"].errors
    assert errors == {
        "__all__": [_("An organisation of that name already exists.")],
        "email": [str(EmailValidator.message)],
    }
    link.refresh_from_db()
    assert link.used_at is None and not Correction.objects.exists()
    assert Organisation.objects.get(pk=caritas.pk).name == "Caritasverband Darmstadt e.V."


def test_the_link_goes_through_the_outbox_and_a_failure_is_shown_and_sent_again(
    client, office, caritas, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:  # a port nobody listens on: the mail server is down
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_BACKEND, settings.EMAIL_HOST = "django.core.mail.backends.smtp.EmailBackend", "127.0.0.1"
        settings.EMAIL_PORT = probe.getsockname()[1]
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:organisation_send_link", args=[caritas.pk]), {"email": "info@caritas-beispiel.de"}
        )
    assert response.status_code == 302
    failed = OutgoingMail.objects.get()
    assert failed.recipient == "info@caritas-beispiel.de" and failed.status == OutgoingMail.Status.FAILED
    assert failed.error and "/selbstauskunft/" in failed.body
    assert "info@caritas-beispiel.de" in client.get(reverse("meetings:outbox")).content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:outbox_retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.status == OutgoingMail.Status.SENT and failed.body == ""  # the link is not kept once sent
    assert len(mail.outbox) == 1 and "/selbstauskunft/" in mail.outbox[0].body
