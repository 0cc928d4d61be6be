"""The curated facts are held against the page: each names words the page really says."""

import re

from importing import curated
from importing.demo import import_with_curated
from importing.page import parse
from register.models import Network


def test_every_curated_fact_has_evidence_on_the_page():
    page = parse(curated.SEED_PATH.read_bytes())
    assert curated.missing_evidence(curated.load(), page) == []


def test_every_curated_organisation_is_on_the_page():
    text = curated.SEED_PATH.read_text(encoding="utf-8")
    data = curated.load()
    for name in list(data["organisations"]) + data["anonymised"]["entries"]:
        assert f"- {name}" in text, name


def test_facts_stated_in_prose(demo):
    mige = Network.objects.get(short_name="MiGe")
    assert mige.since_year == 2010
    assert [(host.body.name, host.unit) for host in mige.hosts.all()] == [
        ("Landkreis Darmstadt-Dieburg", "Büro für Migration und Inklusion"),
        ("Wissenschaftsstadt Darmstadt", "Büro für Demokratie und gesellschaftlichen Zusammenhalt"),
    ]
    board = Network.objects.get(name="Fachbeirat Flucht und Integration")
    assert (board.since_year, board.organization_type) == (2017, "committee")
    assert board.establishing_decision == "Beschluss des Kreisausschusses des Landkreises Darmstadt-Dieburg"
    gwa = Network.objects.get(name="Gemeinwesenarbeit im LaDaDi")
    assert gwa.programme.funder.short_name == "HMSI"
    assert gwa.classification == "programme"
    forum = Network.objects.get(name="Inklusionsforum im LaDaDi")
    assert forum.open_to_public and forum.cadence == "yearly"
    assert forum.contact_function == "Kommunaler Behindertenbeauftragter"
    religious = Network.objects.get(name="InterReligiöses Forum im Landkreis Darmstadt-Dieburg")
    assert religious.is_organ_of_body is False
    assert religious.administrative_support == "WIR-Koordination des Landkreises Darmstadt-Dieburg"
    council = Network.objects.get(short_name="KAB")
    assert (council.since_year, council.seats_members, council.seats_deputies) == (1988, 7, 7)
    assert council.votes_in_committees is False
    assert council.legal_basis.startswith("§§ 84 bis 88 HGO")
    assert "1993" in council.history
    assert council.organization_type == "committee" and council.classification == "council"


def test_fact_without_evidence_is_not_applied(db):
    text = curated.SEED_PATH.read_text(encoding="utf-8").replace("Seit 2010 gemeinsamer", "Gemeinsamer")
    plan = import_with_curated(text.encode(), "geaendert.txt")
    mige = Network.objects.get(short_name="MiGe")
    assert mige.since_year is None
    skipped = [step.name for step in plan.steps if step.action == "skip"]
    assert "Arbeitskreis Migration und Gesundheit (MiGe): since_year" in skipped
    assert mige.hosts.count() == 2  # other facts of the network still apply


# Words that Leichte Sprache avoids: abbreviations, and the page's long official compounds.
NOT_EASY = re.compile(r"\b(z\. ?B\.|usw\.|bzw\.|ggf\.|d\. ?h\.|HGO|KAB|MiGe|MiLa|HMSI|LaDaDi|§)")


def test_every_network_has_a_summary_in_leichte_sprache(demo):
    networks = list(Network.objects.all())
    assert len(networks) == 7
    for network in networks:
        text = network.easy_language
        assert text, network.name
        sentences = [sentence for sentence in re.split(r"(?<=[.?:])\s+", text) if sentence]
        # Short sentences, one statement each.
        assert max(len(sentence.split()) for sentence in sentences) <= 14, network.name
        assert not NOT_EASY.search(text), (network.name, NOT_EASY.search(text))
