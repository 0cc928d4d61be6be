"""Two people edit the same organisation in two browsers: the second save is refused, nothing is lost."""

import pytest
from django.contrib.auth.models import Group

from register.models import Organisation
from register.permissions import OFFICE_GROUP
from tests.browser import axe_violations, describe

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caritas(django_user_model):
    for name in ("buero-a", "buero-b"):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
        user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas", category="welfare")


def signed_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/arbeitsbereich/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_selector("h1:has-text('Zu erledigen')")
    return context, page


def test_two_browsers_edit_the_same_organisation(browser, live_server, caritas):
    context_a, first = signed_in(browser, live_server, "buero-a")
    context_b, second = signed_in(browser, live_server, "buero-b")
    edit = f"{live_server.url}/arbeitsbereich/organisationen/{caritas.pk}/bearbeiten/"
    try:
        first.goto(edit)
        second.goto(edit)
        first.fill("#id_phone", "06151 111222")
        first.get_by_role("button", name="Speichern", exact=True).click()
        first.wait_for_selector("text=Die Änderungen wurden gespeichert.")

        second.fill("#id_email", "info@caritas-beispiel.de")
        second.get_by_role("button", name="Speichern", exact=True).click()
        second.wait_for_selector("text=Jemand anderes hat diesen Eintrag gespeichert")
        caritas.refresh_from_db()
        assert caritas.phone == "06151 111222" and caritas.email == ""
        # Both versions side by side, per field; what the second person typed is still in the form.
        panel = second.locator("section.stale")
        phone_row = panel.get_by_role("row", name="öffentliche Telefonnummer")
        assert "06151 111222" in phone_row.inner_text()
        assert phone_row.get_by_label("gespeicherten Wert").is_checked()
        assert panel.get_by_role("row", name="öffentliche E-Mail").get_by_label("meinen Wert").is_checked()
        assert second.input_value("#id_email") == "info@caritas-beispiel.de"
        violations = axe_violations(second)
        assert not violations, describe(violations)

        # Keyboard only: the choices are radio buttons, the save is one button.
        second.get_by_role("button", name="Mit dieser Auswahl speichern").focus()
        second.keyboard.press("Enter")
        second.wait_for_selector("text=Die Änderungen wurden gespeichert.")
        caritas.refresh_from_db()
        assert caritas.phone == "06151 111222" and caritas.email == "info@caritas-beispiel.de"
    finally:
        context_a.close()
        context_b.close()
