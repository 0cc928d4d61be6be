"""Production settings pass the deploy checks; login works in one or two steps; 2FA can be required."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from workspace.models import WorkspaceSettings

from .conftest import PASSWORD

# The production environment as the README asks for it; vernetzt/settings.py builds the settings from it.
PRODUCTION = {
    "VERNETZT_SECRET_KEY": secrets.token_urlsafe(50),
    "VERNETZT_ALLOWED_HOSTS": "vernetzt.example.org",
    "VERNETZT_HTTPS": "1",
    "VERNETZT_DEBUG": "0",
    "VERNETZT_SITE_URL": "https://vernetzt.example.org",
    "VERNETZT_STATIC_MANIFEST": "1",
}


def deploy_check(tmp_path, **variables):
    """`manage.py check --deploy` in a fresh process on the production settings module."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("VERNETZT_") and name not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    if os.environ.get("VERNETZT_DATABASE_URL"):
        environment["VERNETZT_DATABASE_URL"] = os.environ["VERNETZT_DATABASE_URL"]
    environment.update({"DJANGO_SETTINGS_MODULE": "vernetzt.settings", "VERNETZT_VAR_DIR": str(tmp_path)})
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_pass_with_production_settings(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "check"),
    [("VERNETZT_HTTPS", "0", "security.W008"), ("VERNETZT_DEBUG", "1", "security.W018")],
)
def test_deploy_checks_fail_without_https_or_with_debug(tmp_path, variable, value, check):
    result = deploy_check(tmp_path, **{**PRODUCTION, variable: value})
    assert result.returncode != 0 and check in result.stderr + result.stdout


def code_for(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_login_without_second_factor(client, member):
    response = client.post(reverse("workspace:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    assert client.get(reverse("workspace:home")).status_code == 200
    wrong = client.post(reverse("workspace:logout"))
    assert wrong.status_code == 302
    response = client.post(reverse("workspace:login"), {"username": "member", "password": "falsch"})
    assert response.status_code == 200 and response.context["form"].errors


def test_two_factor_setup_then_login_needs_the_code(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("workspace:two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    wrong = client.post(
        reverse("workspace:two_factor"), {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert "token" in wrong.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows further tries down; the test does not wait
    client.post(reverse("workspace:two_factor"), {"token": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.post(reverse("workspace:logout"))

    response = client.post(reverse("workspace:login"), {"username": "coordinator", "password": PASSWORD})
    assert response["Location"] == reverse("workspace:login_code")
    assert client.get(reverse("workspace:home")).status_code == 302  # not signed in yet
    device.last_t = -1
    device.save()
    response = client.post(reverse("workspace:login_code"), {"token": code_for(device)})
    assert response.status_code == 302
    assert client.get(reverse("workspace:home")).status_code == 200


def test_office_can_require_two_factor_for_staff(client, coordinator, member):
    WorkspaceSettings.objects.update_or_create(pk=1, defaults={"require_two_factor": True})
    client.force_login(coordinator)
    response = client.get(reverse("workspace:networks"))
    assert response.status_code == 302 and response["Location"] == reverse("workspace:two_factor")
    client.force_login(member)  # members are not staff: not required
    assert client.get(reverse("workspace:networks")).status_code == 200


def test_session_without_second_factor_is_not_enough(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client.force_login(coordinator)  # e.g. through another login form
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("workspace:login"))


def test_two_factor_rule_holds_on_the_staff_pages_of_every_app(client, coordinator):
    WorkspaceSettings.objects.update_or_create(pk=1, defaults={"require_two_factor": True})
    client.force_login(coordinator)
    for name in ["meetings:list", "needs:surveys", "importing:tabular", "analysis:map"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("workspace:two_factor"), name


def test_session_without_second_factor_counts_as_signed_out_everywhere(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client.force_login(coordinator)
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 302 and reverse("workspace:login") in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("portal:home")).status_code == 200  # public pages stay open
