"""The county's page becomes the register: every fact kept, nothing merged by guess."""

import datetime

import pytest

from importing.curated import SEED_PATH
from importing.demo import import_with_curated, load_demo
from importing.page import parse
from register.models import (
    ActorGroup,
    ChangeRecord,
    Event,
    FocusArea,
    Membership,
    Network,
    Organisation,
    Programme,
)

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")

SEED_LINES = SEED_PATH.read_text(encoding="utf-8").splitlines()
LIST_LINES = [line[2:] for line in SEED_LINES if line.startswith("- ")]


def network(name):
    return Network.objects.get(short_name=name) if name in {"MiLa", "MiGe", "KAB"} else Network.objects.get(name=name)


def test_the_parser_reads_all_72_list_entries_of_the_seed():
    page = parse(SEED_PATH.read_bytes())
    sections = [page.title, *page.sections]
    items = [item for section in sections for page_list in section.lists for item in page_list.items]
    assert len(LIST_LINES) == 72
    assert [item.text for item in items] == LIST_LINES
    assert [item.line for item in items] == [
        number for number, line in enumerate(SEED_LINES, 1) if line.startswith("- ")
    ]


def test_seven_networks_with_their_lists(demo):
    assert Network.objects.count() == 7
    assert network("MiLa").memberships.count() == 23
    assert network("MiGe").memberships.count() == 27
    assert list(network("MiGe").focus_areas.values_list("name", flat=True)) == [
        "Informationsaustausch, Kooperation, Vernetzung",
        "Durchführung von Fortbildungen, Vorträgen und Tagungen",
        "Begleitung und Unterstützung von wissenschaftlichen Untersuchungen",
        "Initiierung und Unterstützung von Projekten",
        "Öffentlichkeitsarbeit",
    ]
    assert network("Fachbeirat Flucht und Integration").memberships.count() == 14
    programme = Programme.objects.get(network__name="Gemeinwesenarbeit im LaDaDi")
    assert [site.municipality.name for site in programme.sites.all()] == ["Babenhausen", "Groß-Zimmern", "Weiterstadt"]


def test_every_list_line_is_kept_with_its_source(demo):
    labels = set(Membership.objects.values_list("label", flat=True))
    focus = set(FocusArea.objects.values_list("name", flat=True))
    sites = {site.municipality.name for site in Programme.objects.get().sites.all()}
    for line in LIST_LINES:
        assert line in labels | focus | sites, line
    membership = Membership.objects.get(label="Caritas Verband Darmstadt e.V. - Migrationsdienst")
    assert membership.source == "netzwerkarbeit.txt:11"
    assert membership.position == 6


def test_entry_is_split_into_organisation_and_units(demo):
    unit = Organisation.objects.get(name="Koordination Ehrenamt in der Flüchtlingshilfe")
    assert unit.parent.name == "Freiwilligenzentrum Darmstadt e.V."
    assert unit.parent.parent.name == "Der PARITÄTISCHE"
    assert unit.parent.parent.parent is None
    assert (
        unit.full_name
        == "Der PARITÄTISCHE - Freiwilligenzentrum Darmstadt e.V. - Koordination Ehrenamt in der Flüchtlingshilfe"
    )
    assert set(unit.parent.parent.units.values_list("name", flat=True)) == {
        "Freiwilligenzentrum Darmstadt e.V.",
        "Selbsthilfebüro Darmstadt",
    }
    assert unit.category == "welfare"  # inherited from the organisation it belongs to


def test_classes_of_actors_become_actor_groups(demo):
    assert set(ActorGroup.objects.values_list("name", flat=True)) == {
        "Integrationsbeauftragte der kreisangehörigen Kommunen",
        "Migrantenselbstorganisationen",
        "Religionsgemeinschaften",
        "Ehrenamtliche in der Flüchtlingsarbeit",
    }
    assert not Organisation.objects.filter(name="Religionsgemeinschaften").exists()


def test_anonymised_entries_are_kept_as_they_are(demo):
    practice = Organisation.objects.get(name="Psychotherapeutische Praxis")
    assert practice.anonymised and practice.category == "practice"
    assert Organisation.objects.get(name="Fachärztin für Innere- und Psychotherapeutische Medizin").anonymised
    assert not Organisation.objects.get(name="Klinikum Darmstadt").anonymised


def test_exact_duplicates_become_one_organisation_near_duplicates_stay_apart(db):
    import_with_curated(SEED_PATH.read_bytes(), SEED_PATH.name, decisions=False)
    women = Organisation.objects.get(name="Frauen helfen Frauen e.V.")
    assert set(women.memberships.values_list("network__short_name", flat=True)) == {"MiLa", "MiGe"}
    drk = Organisation.objects.get(name="Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V.", parent=None)
    assert drk.memberships.get().network.short_name == "MiGe"
    assert drk.units.get().memberships.get().network.short_name == "MiLa"
    for near in [
        ("Caritas Verband Darmstadt e.V.", "Caritasverband Darmstadt e.V."),
        ("Diakonisches Werk Darmstadt-Dieburg e.V.", "Diakonisches Werk Darmstadt-Dieburg"),
        ("Sozialkritischer Arbeitskreis Darmstadt e.V.", "Sozialkritischer Arbeitskreis e.V."),
    ]:
        assert Organisation.objects.filter(name__in=near, parent=None).count() == 2


def test_glued_heading_is_split_off(demo):
    forum = network("InterReligiöses Forum im Landkreis Darmstadt-Dieburg")
    assert forum.description.endswith("Zum WIR-Vielfaltszentrum des Landkreises Darmstadt-Dieburg.")
    assert "Kreisausländerbeirat im LaDaDi" not in forum.description
    council = network("Kreisausländerbeirat im LaDaDi")
    assert council.description.startswith("Erstmals 1988 gewählt")
    assert council.source == "netzwerkarbeit.txt:96"


def test_legal_forms_are_read_from_names(demo):
    assert Organisation.objects.get(name="Mäander e.V.").legal_form == "ev"
    assert Organisation.objects.get(name="Patenmodell").legal_form == ""


def test_import_is_idempotent(demo):
    counts = [model.objects.count() for model in (Network, Organisation, Membership, ActorGroup, ChangeRecord)]
    plan = load_demo()
    assert plan.changes == []
    assert [model.objects.count() for model in (Network, Organisation, Membership, ActorGroup, ChangeRecord)] == counts


def test_dry_run_shows_the_plan_and_writes_nothing(db):
    plan = load_demo(dry_run=True)
    assert plan.count("create", "network") == 7
    assert plan.count("create", "membership") == 64
    assert plan.count("create", "actor group") == 4
    assert Network.objects.count() == 0 and Organisation.objects.count() == 0


def test_second_import_matches_instead_of_creating(demo):
    plan = load_demo(dry_run=True)
    assert plan.count("create") == 0
    assert plan.count("match", "membership") == 64


def test_only_if_empty_leaves_an_edited_register_alone(demo):
    mila = network("MiLa")
    mila.purpose = "Von der Geschäftsstelle geändert."
    mila.save()
    assert load_demo(only_if_empty=True) is None
    mila.refresh_from_db()
    assert mila.purpose == "Von der Geschäftsstelle geändert."


def test_parser_sections_of_the_seed():
    page = parse(SEED_PATH.read_bytes())
    assert page.title.heading == "Netzwerkarbeit"
    assert [section.line for section in page.sections] == [3, 29, 65, 82, 90, 92, 96]
    gwa = page.sections[3]
    assert "werden die Kommunen Babenhausen, Groß-Zimmern und Weiterstadt durch das Projekt gefördert." in gwa.text


def test_import_records_who_and_where_in_history(demo):
    record = ChangeRecord.objects.get(object_repr="Arbeitskreis Migration im Landkreis (MiLa)", action="create")
    assert record.source == "import:netzwerkarbeit.txt"
    assert record.changes["name"] == [None, "Arbeitskreis Migration im Landkreis (MiLa)"]


def test_inklusionsforum_event(demo):
    event = Event.objects.get()
    berlin = datetime.timezone(datetime.timedelta(hours=2))
    assert event.start == datetime.datetime(2026, 5, 20, 17, 0, tzinfo=berlin)
    assert event.end == datetime.datetime(2026, 5, 20, 19, 30, tzinfo=berlin)
    assert event.location.name == "Kreisverwaltung Darmstadt-Dieburg"
    assert event.location.locality == "Darmstadt-Kranichstein"
    assert event.host == "Sozial- und Jugenddezernentin des Landkreises Darmstadt-Dieburg"
    assert event.contact_function == "Kommunaler Behindertenbeauftragter"
    assert event.network.name == "Inklusionsforum im LaDaDi"


def test_import_command_shows_plan_then_applies(db, tmp_path, capsys):
    from django.core.management import call_command

    call_command("import_page", str(SEED_PATH))
    assert "dry run" in capsys.readouterr().out
    assert Network.objects.count() == 0
    call_command("import_page", str(SEED_PATH), "--apply")
    assert Network.objects.count() == 7


def test_same_page_under_other_name_still_matches(demo):
    plan = import_with_curated(SEED_PATH.read_bytes(), "kopie.txt", dry_run=True)
    assert plan.count("create") == 0


def test_plan_proposes_near_duplicates_for_review_without_merging(db):
    plan = load_demo(dry_run=True)
    proposed = {(step.name, step.line) for step in plan.steps if step.action == "propose"}
    assert proposed == {
        ("Caritas Verband Darmstadt e.V.", 11),
        ("Diakonisches Werk Darmstadt-Dieburg e.V.", 12),
        ("Sozialkritischer Arbeitskreis Darmstadt e.V.", 23),
        ("Caritasverband Darmstadt e.V.", 40),
        ("Diakonisches Werk Darmstadt-Dieburg", 44),
        ("Sozialkritischer Arbeitskreis e.V.", 61),
    }
    assert Organisation.objects.count() == 0  # proposed, not merged: and a dry run writes nothing


def test_the_demo_applies_the_offices_decisions_through_the_merge(demo):
    from matching.models import MatchDecision, Merge
    from matching.services import open_suggestion_count

    caritas = Organisation.objects.get(name="Caritasverband Darmstadt e.V.", parent=None)
    assert set(caritas.aliases.values_list("name", flat=True)) >= {"Caritas Verband Darmstadt e.V."}
    assert set(caritas.units.values_list("name", flat=True)) == {"Migrationsdienst"}
    assert set(
        Membership.objects.filter(organisation__in=[caritas, *caritas.units.all()]).values_list(
            "network__short_name", flat=True
        )
    ) == {"MiLa", "MiGe"}
    for gone in [
        "Caritas Verband Darmstadt e.V.",
        "Diakonisches Werk Darmstadt-Dieburg e.V.",
        "Sozialkritischer Arbeitskreis e.V.",
    ]:
        assert not Organisation.objects.filter(name=gone, parent=None).exists()
    assert Merge.objects.count() == 3 and MatchDecision.objects.filter(decision="confirmed").count() == 3
    assert open_suggestion_count() == 0
    council = network("KAB")
    assert council.organisation.name == "Kreisausländerbeirat Darmstadt-Dieburg"
    assert council.organisation.memberships.get().network.name == "Fachbeirat Flucht und Integration"


def test_a_decision_without_its_evidence_on_the_page_is_not_applied(db):
    from importing import decisions as office_decisions
    from importing.apply import Plan

    import_with_curated(SEED_PATH.read_bytes(), SEED_PATH.name, decisions=False)
    plan = Plan()
    wrong = {
        "same": [
            {
                "keep": "Caritasverband Darmstadt e.V.",
                "merge": "Caritas Verband Darmstadt e.V.",
                "evidence": ["Caritas Darmstadt gGmbH"],
            }
        ]
    }
    office_decisions.apply_decisions(wrong, parse(SEED_PATH.read_bytes()), plan)
    assert plan.count("skip", "decision") == 1
    assert Organisation.objects.filter(name="Caritas Verband Darmstadt e.V.").exists()


def test_a_second_import_of_the_demo_changes_nothing(demo):
    plan = import_with_curated(SEED_PATH.read_bytes(), SEED_PATH.name, dry_run=True)
    assert plan.count("merge") == 0 and plan.count("create") == 0
