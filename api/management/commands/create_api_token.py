"""Make a key for the JSON API: ``manage.py create_api_token <username> [--scope write] [--days 90]``.

The key is printed once and only its hash is kept; a lost key cannot be shown again – make a new one
and revoke the old (Django admin, "API tokens").
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken


class Command(BaseCommand):
    help = "Make a key for the JSON API for a user; printed once, kept only as a hash."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--scope",
            choices=[choice.value for choice in ApiToken.Scope],
            default=ApiToken.Scope.READ,
            help="read (the default) or write (read and write, as far as the user may)",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=ApiToken.DEFAULT_DAYS,
            help=f"days until the key expires (1 to {ApiToken.MAX_DAYS}, default {ApiToken.DEFAULT_DAYS})",
        )
        parser.add_argument("--name", default="", help="what the key is for, e.g. the name of the integration")

    def handle(self, username, scope, days, name, **options):
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no active user {username!r}.") from None
        if not 1 <= days <= ApiToken.MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {ApiToken.MAX_DAYS}.")
        token, key = ApiToken.issue(user, scope=scope, days=days, name=name[:100])
        self.stdout.write(key)
        self.stderr.write(
            f"Key for {user} ({token.get_scope_display()}), valid until {token.expires_at:%Y-%m-%d}. "
            "It is shown only now; send it as the header “Authorization: Token <key>”."
        )
