"""The PostgreSQL backend (``vernetzt.postgresql``) reads timestamps as Django's own backend does."""

import datetime

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from register.models import Event

# What PostgreSQL may write: fractions of every length, near the ends of the years Python knows, the change to
# summer time in Germany, and values beyond what Python knows (which raise as before).
VALUES = [
    "2026-12-07 07:44:12.123456+00",
    "2026-12-07 07:44:12.5+00",
    "2026-12-07 07:44:12+00",
    "2026-03-29 00:59:59.999999+00",
    "2026-03-29 01:00:00+00",
    "0001-01-02 12:00:00+00",
    "9999-12-30 23:59:59.999999+00",
]


@pytest.fixture
def postgresql(db, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("a backend of PostgreSQL; run with VERNETZT_DATABASE_URL=postgres://…")
    # The dates below are values to read, not days relative to today: the clock is pinned all the same,
    # so that what the tests write (created, modified) does not depend on the day they run.
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False)


def read(values, djangos_own=False):
    with connection.cursor() as cursor:
        if djangos_own:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT value::timestamptz FROM unnest(%s::text[]) AS value", [values])
        return [row[0] for row in cursor.fetchall()]


def test_timestamps_read_as_djangos_own_backend_reads_them_in_every_session_time_zone(postgresql):
    loader = connection.connection.adapters.get_loader(connection.connection.adapters.types["timestamptz"].oid, 0)
    assert loader.__name__ == "SpecificIsoTzLoader" and loader.timezone == connection.timezone
    ours = read(VALUES)
    assert ours == read(VALUES, djangos_own=True)
    assert all(value.tzinfo is datetime.UTC for value in ours)
    assert ours[0] == datetime.datetime(2026, 12, 7, 7, 44, 12, 123456, tzinfo=datetime.UTC)
    # Sessions in another zone write other offsets (and offset 0 in London's winter): Django's results still.
    for zone in ("Europe/Berlin", "Europe/London", "America/St_Johns"):
        with connection.cursor() as cursor:
            cursor.execute(f"SET TIME ZONE '{zone}'")
        try:
            assert read(VALUES) == read(VALUES, djangos_own=True), zone
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET TIME ZONE 'UTC'")
    for beyond in ("infinity", "0044-03-15 12:00:00+00 BC"):
        with pytest.raises(DataError):
            read([beyond])


def test_a_model_reads_its_times_as_it_wrote_them(postgresql):
    start = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)  # the hour Germany skips, in UTC
    event = Event.objects.create(title="Forum", slug="forum", start=start, end=start + datetime.timedelta(hours=2))
    event.refresh_from_db()
    assert event.start == start and event.start.tzinfo is datetime.UTC
    assert Event.objects.filter(start__lt=start + datetime.timedelta(microseconds=1)).get() == event
