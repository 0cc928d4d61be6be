"""Moves the keys of DRF's plain authtoken table (stored readable) into hashed, expiring ApiTokens and
drops that table. A key that worked before keeps working – with the scope "write" it had in effect –
for 90 days; the office then makes new ones (``manage.py create_api_token``)."""

import datetime
import hashlib

from django.db import migrations
from django.utils import timezone

PLAIN_TABLE = "authtoken_token"


def hash_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("api", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {PLAIN_TABLE}")  # noqa: S608 – a fixed table name
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="DRF token (converted)",
            prefix=key[:12],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            scope="write",
            created=now,
            expires_at=now + datetime.timedelta(days=90),
        )
        for key, user_id in rows
    )
    schema_editor.execute(f"DROP TABLE {PLAIN_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("api", "0002_api_tokens")]

    operations = [migrations.RunPython(hash_plain_tokens, migrations.RunPython.noop)]
