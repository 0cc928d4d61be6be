"""50 people register at once for 20 places: exactly 20 confirmed, 30 waiting, never more (PostgreSQL)."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from meetings import registrations
from meetings.models import Registration

from .conftest import make_event

PEOPLE = 50
PLACES = 20


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_for_twenty_places(location):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks under real concurrency); run with VERNETZT_DATABASE_URL=postgres://…")
    event = make_event(capacity=PLACES, location=location)
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def register(number):
        try:
            barrier.wait(timeout=60)
            registrations.enrol(event, name=f"Person {number}", email=f"p{number}@example.org", language="de")
        except Exception as error:  # noqa: BLE001 – collected and reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(number,)) for number in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = list(event.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == PLACES
    assert statuses.count(Registration.Status.WAITING) == PEOPLE - PLACES

    first_waiting = event.registrations.waiting_in_order().first()
    cancelled = event.registrations.filter(status=Registration.Status.CONFIRMED).first()
    mail.outbox.clear()
    promoted = registrations.cancel(cancelled)
    assert [registration.pk for registration in promoted] == [first_waiting.pk]
    assert event.registrations.filter(status=Registration.Status.CONFIRMED).count() == PLACES
    assert event.registrations.filter(status=Registration.Status.WAITING).count() == PEOPLE - PLACES - 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted([cancelled.email, first_waiting.email])
    promotion = next(message for message in mail.outbox if message.to == [first_waiting.email])
    assert "frei geworden" in promotion.subject
