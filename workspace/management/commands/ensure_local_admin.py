import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local administrator account once and print its login (for the embedded default)."

    def handle(self, **options):
        password_file = settings.VAR_DIR / "admin_password"
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser("admin", "admin@localhost", password)
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
        if password_file.exists():
            self.stdout.write(f"Local admin login: admin / {password_file.read_text().strip()}")
        else:
            self.stdout.write("Local admin login: admin (password set by you)")
