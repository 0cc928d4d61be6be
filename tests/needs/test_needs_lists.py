"""The lists of needs and offers at the size of a large register: paged, sorted, the municipality a search."""

import pytest
from django.urls import reverse
from django.utils import timezone

from needs.models import Need, Offer
from register.widgets import SearchSelect
from tests.needs.needs_builders import make_municipality, make_organisation

pytestmark = pytest.mark.django_db


def shown(response):
    return [row.record for row in response.context["table"].paginated_rows]


def test_the_offers_come_page_by_page_and_sort_by_a_column(client, member_user, topic):
    organisation = make_organisation("Verein")
    Offer.objects.bulk_create(
        Offer(name=f"Angebot {number:02d}", organisation=organisation, kind="course", topic=topic)
        for number in range(60)
    )
    client.force_login(member_user)
    first = client.get(reverse("needs:offers"))
    assert [offer.name for offer in shown(first)][:2] == ["Angebot 00", "Angebot 01"] and len(shown(first)) == 50
    assert "60 Einträge – Seite 1 von 2" in first.content.decode()
    last = client.get(reverse("needs:offers"), {"sort": "-name", "page": 2})
    assert [offer.name for offer in shown(last)] == [f"Angebot {number:02d}" for number in range(9, -1, -1)]


def test_the_needs_come_page_by_page_with_their_measures_counted(client, member_user, topic):
    needs = Need.objects.bulk_create(
        Need(title=f"Bedarf {number:02d}", description="-", topic=topic, priority=Need.Priority.MEDIUM)
        for number in range(55)
    )
    needs[0].measures.create(description="Kurs", date=timezone.localdate())
    urgent = Need.objects.create(title="Dringend", description="-", topic=topic, priority=Need.Priority.HIGH)
    client.force_login(member_user)
    assert shown(client.get(reverse("needs:needs")))[0] == urgent  # the most urgent first
    urgent.delete()
    response = client.get(reverse("needs:needs"), {"sort": "title"})
    assert len(shown(response)) == 50 and shown(response)[0].measure_count == 1
    assert "55 Einträge – Seite 1 von 2" in response.content.decode()
    assert [need.title for need in shown(client.get(reverse("needs:needs"), {"sort": "title", "page": 2}))] == [
        f"Bedarf {number}" for number in range(50, 55)
    ]


def test_the_municipality_filter_searches_instead_of_listing_thousands(client, member_user, county, topic, monkeypatch):
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 2)
    chosen, *others = [make_municipality(county, f"Gemeinde {letter}") for letter in "ABCD"]
    offer = Offer.objects.create(name="Beratung", organisation=make_organisation("Verein"), kind="course", topic=topic)
    offer.municipalities.set([chosen])
    Offer.objects.create(name="Kurs", organisation=make_organisation("Schule"), kind="course", topic=topic)
    client.force_login(member_user)
    response = client.get(reverse("needs:offers"), {"municipality": chosen.pk})
    page = response.content.decode()
    assert [offer.name for offer in shown(response)] == ["Beratung"]
    assert f'<option value="{chosen.pk}" selected>{chosen.name} ({county.name})</option>' in page
    assert all(f'value="{other.pk}"' not in page for other in others)
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page
    # A member of a network may search the municipalities, not the register's other entries.
    found = client.get(reverse("workspace:options", args=["municipalities"]), {"q": "gemeinde b"}).json()["results"]
    assert [entry["value"] for entry in found] == [str(others[0].pk)]
    assert client.get(reverse("workspace:options", args=["organisations"]), {"q": "verein"}).status_code == 403
