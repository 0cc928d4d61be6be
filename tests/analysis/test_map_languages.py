"""The network map names networks and actor groups in the visitor's language where they are translated."""

from django.urls import reverse
from django.utils import translation

from register.models import Network
from register.translations import translate


def nodes(client, language):
    with translation.override(language):
        url = reverse("analysis:map_data")
    response = client.get(url)
    assert response.status_code == 200
    return {node["data"]["slug"]: node["data"] for node in response.json()["nodes"]}


def test_map_data_and_table_name_networks_and_groups_in_english(client, demo):
    english = nodes(client, "en")
    mige = english["mige"]
    assert (mige["label"], mige["name"], mige["lang"]) == ("MiGe", "Working Group on Migration and Health (MiGe)", "en")
    forum = english["inklusionsforum-im-ladadi"]
    assert (forum["label"], forum["name"]) == ("Inclusion Forum in the County (LaDaDi)",) * 2
    groups = {data["name"] for data in english.values() if data["kind"] == "actor_group"}
    assert "Integration officers of the county's municipalities" in groups
    caritas = next(data for data in english.values() if data["name"] == "Caritasverband Darmstadt e.V.")
    assert "lang" not in caritas  # organisations keep their names
    german = nodes(client, "de")
    assert (german["mige"]["name"], german["mige"].get("lang")) == (
        "Arbeitskreis Migration und Gesundheit (MiGe)",
        None,
    )
    # A network without an English name keeps its German one, marked as such in the table.
    network = Network.objects.get(short_name="KAB")
    translate(network, "name", "en", "")
    assert nodes(client, "en")["kreisauslaenderbeirat-im-ladadi"]["name"] == "Kreisausländerbeirat im LaDaDi"
    with translation.override("en"):
        page = client.get(reverse("analysis:map")).content.decode()
    assert '<span lang="en"><a href="/en/netzwerke/mige/">Working Group on Migration and Health (MiGe)</a>' in page
    assert (
        '<span lang="de"><a href="/en/netzwerke/kreisauslaenderbeirat-im-ladadi/">Kreisausländerbeirat im LaDaDi'
        in page
    )
