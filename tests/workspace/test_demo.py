"""The start page and the network page on the county's real data."""

from django.urls import reverse

from register.models import Membership, Network
from workspace import attention


def test_start_page_on_the_seed(client, demo, office, django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    summary = response.context["summary"]
    kab = Network.objects.get(short_name="KAB")
    vacant = {(row.network.pk, row.kind): row for row in summary["vacant"]}
    filled = Membership.objects.active().filter(network=kab, role__in=attention.SEAT_ROLES).count()
    deputies = Membership.objects.active().filter(network=kab, role="deputy").count()
    assert filled < 7 and deputies < 7
    assert (vacant[kab.pk, "members"].seats, vacant[kab.pk, "members"].filled) == (7, filled)
    assert (vacant[kab.pk, "deputies"].seats, vacant[kab.pk, "deputies"].filled) == (7, deputies)
    assert "Kreisausländerbeirat" in response.content.decode()
    # Every imported organisation is still unconfirmed, and every membership lacks a contact person.
    assert summary["stale_total"] > 0
    assert summary["without_contact_total"] == (
        Membership.objects.active().filter(person__isnull=True, contact__isnull=True).count()
    )


def test_network_pages_on_the_seed_are_cheap(client, demo, office, django_assert_max_num_queries):
    client.force_login(office)
    for network in Network.objects.all():
        with django_assert_max_num_queries(25):
            assert client.get(reverse("workspace:network", args=[network.pk])).status_code == 200
