"""Open data: the public register as CSV for Excel in Germany and as XLSX, without personal data."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from register.models import Network, Person

from .conftest import build_register


def rows(response):
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_networks_come_with_their_facts(client, register_data):
    network = register_data[0]
    network.purpose = "Fachlicher Austausch"
    network.since_year = 2010
    network.save()
    network.focus_areas.create(name="Gesundheit", position=0)
    listed = {row["Name"]: row for row in rows(client.get(reverse("api:open_data", args=["netzwerke", "csv"])))}
    row = listed[network.name]
    assert (row["Zweck"], row["Seit"], row["Art"]) == ("Fachlicher Austausch", "2010", "Arbeitskreis")
    assert row["Getragen von"] == network.hosts.get().body.name and row["Arbeitsschwerpunkte"] == "Gesundheit"
    assert row["Mitgliedschaften"] == "3"  # two seats and one person who consented; not the one who did not
    assert row["Seite"].startswith("http://") and row["Seite"].endswith(network.get_absolute_url())


def test_memberships_name_only_persons_who_consented_and_no_contact_data(client, register_data):
    hidden = Person.objects.filter(consent_to_publish=False).first()
    hidden.email = "verborgen@example.org"
    hidden.save()
    Person.objects.filter(consent_to_publish=True).update(email="erika@example.org", phone="06151 1")
    for fmt in ("csv", "xlsx"):
        content = client.get(reverse("api:open_data", args=["mitgliedschaften", fmt])).content
        text = (
            content.decode("utf-8-sig")
            if fmt == "csv"
            else " ".join(
                str(cell.value)
                for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()
                for cell in row
            )
        )
        assert "Erika Muster" in text and hidden.family_name not in text
        assert "@example.org" not in text and "06151" not in text
    listed = rows(client.get(reverse("api:open_data", args=["mitgliedschaften", "csv"])))
    assert {row["Art des Mitglieds"] for row in listed} == {"Organisation", "Akteursgruppe", "Person"}
    chair = next(row for row in listed if row["Art des Mitglieds"] == "Person")
    assert (chair["Rolle"], chair["Beginn"]) == ("Vorsitz", "01.01.2024")


def test_organisations_give_their_place_in_the_tree(client, register_data):
    listed = {row["Name"]: row for row in rows(client.get(reverse("api:open_data", args=["organisationen", "csv"])))}
    unit = (
        listed["Beratung 1"]
        if "Beratung 1" in listed
        else next(r for r in listed.values() if r["Übergeordnete Organisation"])
    )
    assert unit["Vollständiger Name"] == f"{unit['Übergeordnete Organisation']} - {unit['Name']}"


@pytest.mark.parametrize("dataset", ["netzwerke", "organisationen", "mitgliedschaften"])
def test_a_download_needs_the_same_number_of_queries_however_large_the_register(
    client, db, dataset, django_assert_max_num_queries
):
    build_register(2)
    url = reverse("api:open_data", args=[dataset, "xlsx"])
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    build_register(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response["Content-Disposition"].startswith(f'attachment; filename="vernetzt-{dataset}-')
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row > 20


def test_an_unknown_dataset_is_not_found(client, db):
    assert client.get("/daten/personen.csv").status_code == 404
    assert client.post(reverse("api:open_data", args=["netzwerke", "csv"])).status_code == 405


def test_the_seed_as_open_data(client, demo):
    listed = rows(client.get(reverse("api:open_data", args=["netzwerke", "csv"])))
    assert {row["Name"] for row in listed} == set(Network.objects.values_list("name", flat=True))
