"""Deterministic, realistic-looking register data at several scales, for benchmarks.

    .venv/bin/python -m benchmarks.generate --scale state    # or county, nation, tiny

county loads the county's page (the seed) and nothing else. The other scales load the seed and
add generated bodies (counties and cities) with municipalities, organisations with units and
aliases, near-duplicate organisations (the same provider written another way), actor groups,
people, networks with hosts, focus areas, members, deputies and actor-group seats, meetings,
public events and event registrations.

The same scale and seed give the same data (names, slugs, links, calendar UIDs); only primary keys
and timestamps depend on the database. Rows are written with bulk_create in batches, so the
generated rows have no change history (the seed's rows keep theirs).
"""

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    bodies: int
    organisations: int  # including units and near-duplicates
    networks: int
    memberships: int
    meetings: int
    registrations: int
    municipalities_per_body: int = 20


SCALES = {
    "tiny": Scale(3, 120, 9, 180, 30, 60, 4),
    "state": Scale(26, 8_000, 650, 26_000, 3_300, 13_000),
    "nation": Scale(400, 120_000, 10_000, 400_000, 50_000, 200_000),
}
BATCH = 2_000
SOURCE = "generated"
UNIT_SHARE = 0.2  # of the organisations are units of another
DUPLICATE_SHARE = 0.02  # of the organisations are the same provider written another way
ALIAS_SHARE = 0.05  # of the top-level organisations have an alias

PLACE_HEADS = ["Ober", "Nieder", "Groß", "Klein", "Bad ", "Neu", "Alt", "Hohen", "Schön", "Wald", "Unter", "Langen"]
PLACE_STEMS = [
    "Münster", "Hof", "Stein", "Roß", "Weiler", "Zimmer", "Eppel", "Erz", "Fisch", "Mühl", "Otter", "Pfung",
    "Bicken", "Dorn", "Eber", "Fels", "Gerns", "Hassel", "Isen", "Kirch", "Linden", "Mar", "Nord", "Oster",
    "Rein", "Sulz", "Trebur", "Utten", "Wester", "Zell", "Bruch", "Hepp", "Lorsch", "Rosen", "Birken", "Buchen",
]  # fmt: skip
PLACE_ROOTS = [
    "bach", "heim", "dorf", "stadt", "hausen", "feld", "burg", "au", "berg", "furt", "ingen", "rode", "brück",
    "weiler", "hagen", "tal", "stedt", "born", "beck", "wald",
]  # fmt: skip
# Providers: the ways people write the name, category, legal form, and whether they have units.
PROVIDERS = [
    (["Caritasverband", "Caritas Verband", "Caritas"], "welfare", "ev", True),
    (["Diakonisches Werk", "Diakonie"], "welfare", "ev", True),
    (["Deutsches Rotes Kreuz Kreisverband", "DRK Kreisverband", "DRK-Kreisverband"], "welfare", "ev", True),
    (["Arbeiterwohlfahrt Kreisverband", "AWO Kreisverband"], "welfare", "ev", True),
    (["Der PARITÄTISCHE", "Der Paritätische", "Paritätischer Wohlfahrtsverband"], "welfare", "ev", True),
    (["Internationaler Bund", "IB"], "welfare", "ev", True),
    (["Arbeiter-Samariter-Bund", "ASB"], "welfare", "ev", True),
    (["Sozialdienst katholischer Frauen", "SkF"], "welfare", "ev", True),
    (["Malteser Hilfsdienst"], "welfare", "ev", True),
    (["Johanniter-Unfall-Hilfe"], "welfare", "ev", True),
    (["Volkshochschule", "VHS"], "education", "public_law", True),
    (["Familienbildungsstätte", "Familien-Bildungsstätte"], "education", "ggmbh", False),
    (["Jobcenter"], "authority", "public_law", True),
    (["Ausländerbehörde"], "authority", "public_law", False),
    (["Gesundheitsamt"], "authority", "public_law", True),
    (["Jugendamt"], "authority", "public_law", True),
    (["Agentur für Arbeit", "Arbeitsagentur"], "authority", "public_law", True),
    (["Frauenhaus", "Frauen-Haus"], "association", "ev", False),
    (["Kulturverein", "Kultur-Verein"], "association", "ev", False),
    (["Integrationsverein", "Verein für Integration"], "association", "ev", False),
    (["Flüchtlingshilfe", "Flüchtlings-Hilfe"], "association", "ev", False),
    (["Freundeskreis Asyl", "Freundeskreis-Asyl"], "association", "ev", False),
    (["Helferkreis Flüchtlinge", "Helferkreis für Flüchtlinge"], "association", "ev", False),
    (["Deutsch-Türkischer Freundschaftsverein"], "association", "ev", False),
    (["Afrikanischer Kulturverein"], "association", "ev", False),
    (["Sportverein Eintracht", "SV Eintracht"], "association", "ev", False),
    (["Evangelische Kirchengemeinde", "Ev. Kirchengemeinde"], "religion", "public_law", False),
    (["Katholische Pfarrei", "Kath. Pfarrei"], "religion", "public_law", False),
    (["Islamische Gemeinde"], "religion", "ev", False),
    (["Türkisch-Islamische Gemeinde", "Türkisch Islamische Gemeinde"], "religion", "ev", False),
    (["Psychosoziales Zentrum für Geflüchtete"], "health", "ggmbh", False),
    (["Klinikum", "Kreisklinik"], "health", "ggmbh", True),
    (["Industrie- und Handelskammer", "IHK"], "economy", "public_law", False),
    (["Handwerkskammer"], "economy", "public_law", False),
    (["Gesamtschule", "Integrierte Gesamtschule"], "education", "public_law", False),
    (["Praxis für Psychotherapie"], "practice", "", False),
    (["Ausländerbeirat", "Integrationsbeirat"], "politics", "", False),
]
LEGAL_SUFFIX = {"ev": " e.V.", "ggmbh": " gGmbH"}
UNITS = [
    "Migrationsberatung für erwachsene Zuwanderer", "Jugendmigrationsdienst", "Schuldnerberatung",
    "Suchtberatung", "Flüchtlingsberatung", "Asylverfahrensberatung", "Erziehungsberatungsstelle",
    "Sprachkurse", "Fachdienst Integration", "Freiwilligenzentrum", "Ehrenamtskoordination",
    "Koordination Ehrenamt in der Flüchtlingshilfe", "Frauenberatung", "Sozialpsychiatrischer Dienst",
    "Integrationskurse", "Familienzentrum", "Stadtteilbüro", "Fachbereich Zuwanderung und Flüchtlinge",
]  # fmt: skip
ACTOR_GROUPS = [
    "Integrationsbeauftragte der kreisangehörigen Kommunen",
    "Migrantenselbstorganisationen",
    "Religionsgemeinschaften",
    "Ehrenamtliche Helferkreise",
    "Schulsozialarbeit",
]
NETWORK_KINDS = [
    ("Arbeitskreis Migration", "working_group", "MiLa"),
    ("Arbeitskreis Migration und Gesundheit", "working_group", "MiGe"),
    ("Fachbeirat Flucht und Integration", "expert_board", ""),
    ("Ausländerbeirat", "council", "KAB"),
    ("Inklusionsforum", "forum", ""),
    ("InterReligiöses Forum", "forum", ""),
    ("Runder Tisch Integration", "other", ""),
    ("Netzwerk Frühe Hilfen", "other", ""),
    ("Arbeitskreis Sprache und Bildung", "working_group", ""),
    ("Arbeitskreis Arbeit und Ausbildung", "working_group", ""),
]
FOCUS = [
    "Zugang zur Gesundheitsversorgung", "Sprachmittlung", "Wohnen", "Ausbildung und Arbeit",
    "Frühe Bildung", "Psychosoziale Versorgung", "Ehrenamt", "Teilhabe von Menschen mit Behinderung",
]  # fmt: skip
DISTRICTS = ["Mitte", "Nord", "Süd", "West", "Ost"]
GIVEN = ["Anna", "Ayşe", "Mehmet", "Julia", "Thomas", "Fatima", "Jan", "Olga", "Sven", "Leyla", "Karin", "Ali"]
FAMILY = ["Müller", "Schmidt", "Yılmaz", "Schneider", "Fischer", "Kaya", "Weber", "Nowak", "Becker", "Hoffmann"]


def place_name(rng):
    if rng.random() < 0.35:
        head = rng.choice(PLACE_HEADS)
        stem = rng.choice(PLACE_STEMS)
        return head + (stem if head.endswith(" ") else stem.lower()) + rng.choice(PLACE_ROOTS)
    return rng.choice(PLACE_STEMS) + rng.choice(PLACE_ROOTS)


def drop_letter(rng, name):
    """A typing error: one letter left out."""
    position = rng.randrange(1, max(2, len(name) - 1))
    return name[:position] + name[position + 1 :]


def slug_of(prefix, number):
    return f"{prefix}-{number}"


class Bulk:
    """Collects rows of one model and writes them in batches; keeps the saved rows only if asked."""

    def __init__(self, model, keep=True):
        self.model, self.keep, self.pending, self.saved, self.count = model, keep, [], [], 0

    def add(self, row):
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()
        return row

    def flush(self):
        if self.pending:
            created = self.model.objects.bulk_create(self.pending)
            self.count += len(created)
            if self.keep:
                self.saved += created
            self.pending = []
        return self.saved


def generate(scale="county", seed=42, out=sys.stdout):
    """Fill the (migrated) database at ``scale``; returns the counts of what was generated."""
    from django.db import connection, transaction

    from analysis import figures
    from importing.demo import load_demo
    from matching.services import count_networks
    from portal import indexing
    from register import translations

    started = time.perf_counter()
    load_demo(only_if_empty=True)
    if scale == "county":
        out.write(f"county: seed loaded in {time.perf_counter() - started:.1f} s\n")
        return {}
    if already_generated():
        out.write(f"{scale}: generated data already present, nothing done\n")
        return {}
    sizes = SCALES[scale] if isinstance(scale, str) else scale
    with transaction.atomic():
        counts = Generator(sizes, random.Random(seed), out).run()
        # bulk_create bypasses the signals that keep the public search's table in step, that count the
        # networks of each organisation, that recompute the map's figures and that keep the counts of the
        # translations still to do.
        counts["search entries"] = indexing.rebuild()
        count_networks()
        counts["map nodes"] = figures.compute().nodes
        translations.recount()
    if connection.vendor == "postgresql":
        # Fresh planner statistics now rather than when autovacuum gets to it. Not on SQLite: a
        # database there has none unless somebody runs ANALYZE, and with them SQLite takes columns
        # that are mostly NULL (on_behalf_of, person) as unselective and scans whole tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out.write(f"generated in {time.perf_counter() - started:.1f} s: {counts}\n")
    return counts


def already_generated():
    from register.models import Body

    return Body.objects.filter(slug__startswith="gen-").exists()


class Generator:
    def __init__(self, sizes, rng, out):
        self.sizes, self.rng, self.out = sizes, rng, out
        self.now = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
        self.counts = {}

    def log(self, text):
        self.out.write(f"  {text}\n")
        self.out.flush()

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def run(self):
        self.bodies_and_municipalities()
        self.organisations()
        self.actor_groups_and_people()
        self.networks()
        self.memberships()
        self.meetings_and_events()
        self.registrations()
        return self.counts

    # --- places ---------------------------------------------------------------------------------

    def bodies_and_municipalities(self):
        from register.models import Body, Municipality

        rng, taken = self.rng, set(Body.objects.values_list("name", flat=True))
        bodies = Bulk(Body)
        for number in range(self.sizes.bodies):
            while True:
                kind = "Stadt" if rng.random() < 0.25 else "Landkreis"
                name = f"{kind} {place_name(rng)}"
                if name not in taken:
                    break
            taken.add(name)
            bodies.add(
                Body(
                    name=name,
                    short_name=name.split(" ", 1)[1][:50],
                    slug=slug_of("gen-body", number),
                    ags=f"99{number:04d}000000",
                    website=f"https://www.{slug_of('gen-body', number)}.example.de",
                )
            )
        self.bodies = bodies.flush()
        municipalities = Bulk(Municipality)
        for body in self.bodies:
            names = set()
            while len(names) < self.sizes.municipalities_per_body:
                names.add(place_name(self.rng))
            for number, name in enumerate(sorted(names)):
                municipalities.add(
                    Municipality(
                        name=name,
                        slug=f"{body.slug}-{number}",
                        kind="town" if number % 4 == 0 else "municipality",
                        ags=f"{body.ags[:6]}{number + 1:03d}",
                        county=body,
                    )
                )
        self.municipalities = municipalities.flush()
        self.municipalities_of = {}
        for municipality in self.municipalities:
            self.municipalities_of.setdefault(municipality.county_id, []).append(municipality)
        self.counts.update(bodies=len(self.bodies), municipalities=len(self.municipalities))
        self.log(f"{len(self.bodies)} bodies, {len(self.municipalities)} municipalities")

    # --- organisations --------------------------------------------------------------------------

    def organisations(self):
        from register.models import Organisation, OrganisationAlias

        rng, sizes = self.rng, self.sizes
        n_units = int(sizes.organisations * UNIT_SHARE)
        n_duplicates = int(sizes.organisations * DUPLICATE_SHARE)
        n_tops = sizes.organisations - n_units - n_duplicates
        taken = set(Organisation.objects.filter(parent=None).values_list("name", flat=True))
        tops, provider_of = Bulk(Organisation), {}
        for number in range(n_tops):
            body = self.bodies[number % len(self.bodies)]
            municipality = rng.choice(self.municipalities_of[body.pk])
            provider = rng.choice(PROVIDERS)
            names, category, legal_form, _has_units = provider
            where = municipality.name if rng.random() < 0.7 else body.short_name
            base = f"{names[0]} {where}"
            name = base + LEGAL_SUFFIX.get(legal_form, "")
            extra = 0
            while name in taken:  # the same provider twice in one place: another site
                site = DISTRICTS[extra % len(DISTRICTS)] + (f" {extra // len(DISTRICTS) + 1}" if extra >= 5 else "")
                name = f"{base} {site}" + LEGAL_SUFFIX.get(legal_form, "")
                extra += 1
            taken.add(name)
            slug = slug_of("gen-org", number)
            organisation = tops.add(
                Organisation(
                    name=name,
                    slug=slug,
                    category=category,
                    legal_form=legal_form,
                    municipality=municipality,
                    description=f"{names[0]} in {municipality.name}.",
                    website=f"https://{slug}.example.org",
                    email=f"info@{slug}.example.org",
                    phone=f"06071 {number:06d}",
                    street_address=f"{rng.choice(['Haupt', 'Bahnhof', 'Kirch', 'Schul'])}straße {number % 97 + 1}",
                    postal_code=f"{60000 + number % 39999:05d}",
                    locality=municipality.name,
                    anonymised=category == "practice",
                    source=SOURCE,
                )
            )
            provider_of[slug] = (provider, where)
        self.tops = tops.flush()

        aliases = Bulk(OrganisationAlias, keep=False)
        for organisation in rng.sample(self.tops, int(len(self.tops) * ALIAS_SHARE)):
            names = provider_of[organisation.slug][0][0]
            if len(names) > 1:
                alias = organisation.name.replace(names[0], names[1], 1)
                kind = "abbreviation" if len(names[1]) <= 4 else "variant"
            else:
                alias, kind = organisation.name.replace(" e.V.", ""), "former"
            if alias != organisation.name:
                aliases.add(OrganisationAlias(organisation=organisation, name=alias, kind=kind))
        aliases.flush()

        # Near-duplicates: the same provider entered again, written another way, as a separate entry.
        duplicates = Bulk(Organisation)
        for number, original in enumerate(rng.sample(self.tops, n_duplicates)):
            (names, category, legal_form, _units), where = provider_of[original.slug]
            variants = [
                original.name.replace(names[0], other, 1) for other in names[1:] if other not in original.name
            ] + [
                original.name.replace(" e.V.", "") if original.name.endswith(" e.V.") else original.name + " e.V.",
                drop_letter(rng, original.name),
                original.name.replace(where, where.upper(), 1),
            ]
            name = next((v for v in rng.sample(variants, len(variants)) if v not in taken), None)
            if name is None:
                name = f"{original.name} (Standort {number})"
            taken.add(name)
            duplicates.add(
                Organisation(
                    name=name,
                    slug=slug_of("gen-dup", number),
                    category=category,
                    legal_form=legal_form if rng.random() < 0.6 else "",
                    municipality=original.municipality if rng.random() < 0.8 else None,
                    email=original.email if rng.random() < 0.3 else "",
                    source=SOURCE,
                )
            )
        self.duplicates = duplicates.flush()

        # Units (Fachdienste, Beratungsstellen) of the providers that have them; a few units of units.
        parents = [org for org in self.tops if provider_of[org.slug][0][3]] or self.tops
        units, used = Bulk(Organisation), set()
        for number in range(n_units):
            parent = rng.choice(parents)
            if number and rng.random() < 0.1 and units.saved:
                parent = rng.choice(units.saved)  # a unit of a unit, "A - B - C"
            for _attempt in range(20):
                name = rng.choice(UNITS)
                if (parent.slug, name) not in used:
                    break
                name = f"{name} {place_name(rng)}"
                if (parent.slug, name) not in used:
                    break
            else:
                name = f"{rng.choice(UNITS)} {number}"
            used.add((parent.slug, name))
            units.add(
                Organisation(
                    name=name,
                    slug=slug_of("gen-unit", number),
                    parent=parent,
                    category=parent.category,
                    municipality=parent.municipality,
                    source=SOURCE,
                )
            )
            if len(units.pending) >= BATCH or rng.random() < 0.02:
                units.flush()  # units of units need saved parents
        self.units = units.flush()
        self.organisations_all = self.tops + self.duplicates + self.units
        self.by_body = {}
        for organisation in self.organisations_all:
            county = self.county_of(organisation)
            self.by_body.setdefault(county, []).append(organisation)
        self.counts.update(
            organisations=len(self.organisations_all),
            units=len(self.units),
            near_duplicates=len(self.duplicates),
            aliases=aliases.count,
        )
        self.log(
            f"{len(self.organisations_all)} organisations ({len(self.units)} units, "
            f"{len(self.duplicates)} near-duplicates, {aliases.count} aliases)"
        )

    def county_of(self, organisation):
        if organisation.municipality is not None:
            return organisation.municipality.county_id
        return None

    # --- actor groups and people ----------------------------------------------------------------

    def actor_groups_and_people(self):
        from register.models import ActorGroup, Person

        rng = self.rng
        groups = Bulk(ActorGroup)
        for index, body in enumerate(self.bodies):
            for number, name in enumerate(ACTOR_GROUPS[: 2 + index % 3]):
                groups.add(
                    ActorGroup(
                        name=f"{name} ({body.name})",
                        slug=f"{body.slug}-group-{number}",
                        description=f"Sitz für {name} im Gebiet {body.name}.",
                        source=SOURCE,
                    )
                )
        self.groups = groups.flush()
        self.groups_of = {}
        for group in self.groups:
            self.groups_of.setdefault(group.slug.rsplit("-group-", 1)[0], []).append(group)
        links = []
        through = ActorGroup.organisations.through
        for group in self.groups:
            candidates = self.by_body.get(self.body_by_slug(group.slug).pk, [])
            for organisation in rng.sample(candidates, min(3, len(candidates))):
                links.append(through(actorgroup_id=group.pk, organisation_id=organisation.pk))
        for start in range(0, len(links), BATCH):
            through.objects.bulk_create(links[start : start + BATCH])

        people = Bulk(Person)
        for number in range(max(len(self.bodies) * 5, len(self.organisations_all) // 20)):
            organisation = rng.choice(self.tops)
            consent = rng.random() < 0.3
            people.add(
                Person(
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    function=rng.choice(["Integrationsbeauftragte*r", "Geschäftsführung", "Koordination", ""]),
                    organisation=organisation,
                    email=f"person{number}@{organisation.slug}.example.org",
                    consent_to_publish=consent,
                    consent_recorded_at=self.now if consent else None,
                    consent_note="schriftlich" if consent else "",
                )
            )
        self.people = people.flush()
        self.counts.update(actor_groups=len(self.groups), people=len(self.people))
        self.log(f"{len(self.groups)} actor groups, {len(self.people)} people")

    def body_by_slug(self, group_slug):
        if not hasattr(self, "_bodies_by_slug"):
            self._bodies_by_slug = {body.slug: body for body in self.bodies}
        return self._bodies_by_slug[group_slug.rsplit("-group-", 1)[0]]

    # --- networks -------------------------------------------------------------------------------

    def networks(self):
        from register.models import FocusArea, Network, NetworkHost, Topic

        rng = self.rng
        topics = list(Topic.objects.all())
        networks, taken = Bulk(Network), set(Network.objects.values_list("name", flat=True))
        for number in range(self.sizes.networks):
            body = self.bodies[number % len(self.bodies)]
            kind, classification, short = NETWORK_KINDS[(number // len(self.bodies)) % len(NETWORK_KINDS)]
            name = f"{kind} {body.name}"
            if name in taken:
                name = f"{kind} {rng.choice(self.municipalities_of[body.pk]).name} ({body.short_name})"
            if name in taken:
                name = f"{kind} {body.name} {number}"
            taken.add(name)
            networks.add(
                Network(
                    name=name[:200],
                    short_name=short,
                    slug=slug_of("gen-net", number),
                    classification=classification,
                    organization_type="committee" if classification in {"expert_board", "council"} else "other",
                    purpose=f"Fachlicher Austausch: {kind.split(' ', 1)[-1]} im Gebiet {body.name}.",
                    description=f"Das Netzwerk {name} verbindet die Akteure im Gebiet {body.name}.",
                    since_year=1990 + number % 35,
                    open_to_public=classification == "forum",
                    cadence=rng.choice(["yearly", "regular", "as_needed"]),
                    contact_function="Koordinationsstelle",
                    seats_members=7 if classification == "council" else None,
                    seats_deputies=7 if classification == "council" else None,
                    position=100 + number,
                    source=SOURCE,
                    hosted=True,  # each gets a host below (bulk_create: no signal marks it)
                )
            )
        self.networks_all = networks.flush()
        hosts, focus, topic_links = Bulk(NetworkHost, keep=False), Bulk(FocusArea, keep=False), []
        through = Network.topics.through
        for number, network in enumerate(self.networks_all):
            hosts.add(NetworkHost(network=network, body=self.bodies[number % len(self.bodies)], unit="Fachstelle"))
            for position, area in enumerate(rng.sample(FOCUS, 3)):
                focus.add(FocusArea(network=network, name=area, position=position, source=SOURCE))
            for topic in rng.sample(topics, min(2, len(topics))):
                topic_links.append(through(network_id=network.pk, topic_id=topic.pk))
        hosts.flush()
        focus.flush()
        for start in range(0, len(topic_links), BATCH):
            through.objects.bulk_create(topic_links[start : start + BATCH])
        self.counts.update(networks=len(self.networks_all))
        self.log(f"{len(self.networks_all)} networks")

    def memberships(self):
        from register.models import Membership

        rng, total = self.rng, self.sizes.memberships
        memberships = Bulk(Membership, keep=False)
        per_network, extra = divmod(total, len(self.networks_all))
        everyone = self.organisations_all
        for number, network in enumerate(self.networks_all):
            body = self.bodies[number % len(self.bodies)]
            wanted = per_network + (1 if number < extra else 0)
            groups = self.groups_of[body.slug][: 1 if wanted > 3 else 0]
            local = self.by_body.get(body.pk, everyone)
            n_org = max(0, wanted - len(groups))
            n_deputies = n_org // 8 if network.classification == "council" else 0
            n_members = n_org - n_deputies
            chosen, seen = [], set()
            while len(chosen) < n_members:
                pool = local if rng.random() < 0.8 else everyone
                organisation = rng.choice(pool)
                if organisation.pk not in seen:
                    seen.add(organisation.pk)
                    chosen.append(organisation)
            position = 0
            for organisation in chosen:
                position += 1
                ended = rng.random() < 0.05
                memberships.add(
                    Membership(
                        network=network,
                        organisation=organisation,
                        role="chair" if position == 1 else "member",
                        voting_right=network.classification == "council" or None,
                        start_date=datetime.date(2015 + position % 10, 1 + position % 12, 1),
                        end_date=datetime.date(2025, 12, 31) if ended else None,
                        label=organisation.name,
                        position=position,
                        source=SOURCE,
                    )
                )
            for organisation in chosen[:n_deputies]:
                position += 1
                memberships.add(
                    Membership(
                        network=network,
                        organisation=organisation,
                        role="deputy",
                        label=organisation.name,
                        position=position,
                        source=SOURCE,
                    )
                )
            for group in groups:
                position += 1
                memberships.add(
                    Membership(network=network, actor_group=group, label=group.name, position=position, source=SOURCE)
                )
        memberships.flush()
        self.counts.update(memberships=memberships.count)
        self.log(f"{memberships.count} memberships")

    # --- dates ----------------------------------------------------------------------------------

    def meetings_and_events(self):
        from register.models import Event, Location, Meeting

        rng = self.rng
        locations = Bulk(Location)
        for index, body in enumerate(self.bodies):
            locations.add(
                Location(
                    name=f"Kreishaus {body.short_name}" if body.name.startswith("Landkreis") else "Rathaus",
                    street_address=f"Marktplatz {index % 9 + 1}",
                    postal_code=f"{60000 + index:05d}",
                    locality=body.short_name[:120],
                    room="Großer Sitzungssaal",
                    step_free=rng.random() < 0.8,
                    accessible_toilet=rng.random() < 0.7,
                    hearing_loop=rng.random() < 0.3,
                )
            )
        self.locations = locations.flush()
        meetings = Bulk(Meeting, keep=False)
        for number in range(self.sizes.meetings):
            network_number = number % len(self.networks_all)
            network = self.networks_all[network_number]
            start = self.now + datetime.timedelta(days=rng.randint(-720, 240), hours=rng.randint(0, 8))
            meetings.add(
                Meeting(
                    network=network,
                    name=f"{number // len(self.networks_all) + 1}. Sitzung {network.short_name or network.name}"[:200],
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    location=self.locations[network_number % len(self.bodies)],
                    state="held" if start < self.now else rng.choice(["planned", "invited"]),
                    is_public=network.classification in {"council", "forum"},
                    uid=self.uuid(),
                )
            )
        meetings.flush()
        events = Bulk(Event)
        forums = [network for network in self.networks_all if network.classification == "forum"]
        for number, body in enumerate(self.bodies):
            start = self.now + datetime.timedelta(days=20 + number % 60, hours=8)
            events.add(
                Event(
                    title=f"Inklusionsforum {body.name}",
                    slug=slug_of("gen-event", number),
                    network=forums[number % len(forums)] if forums else None,
                    description="Offen für alle Interessierten.",
                    start=start,
                    end=start + datetime.timedelta(hours=2, minutes=30),
                    location=self.locations[number],
                    host="Sozial- und Jugenddezernat",
                    contact_function="Behindertenbeauftragte*r",
                    capacity=max(1, self.sizes.registrations // len(self.bodies) * 9 // 10),
                    registration_deadline=start - datetime.timedelta(days=2),
                    uid=self.uuid(),
                    source=SOURCE,
                )
            )
        self.events = events.flush()
        self.counts.update(meetings=meetings.count, events=len(self.events))
        self.log(f"{meetings.count} meetings, {len(self.events)} events")

    def registrations(self):
        """Registrations for the public events: most confirmed, the rest on the waiting list or cancelled."""
        from meetings.models import Registration

        rng, total = self.rng, self.sizes.registrations
        per_event, extra = divmod(total, len(self.events))
        rows = Bulk(Registration, keep=False)
        for index, event in enumerate(self.events):
            wanted = per_event + (1 if index < extra else 0)
            for number in range(wanted):
                status = "confirmed" if number < event.capacity else "waiting"
                if rng.random() < 0.03:
                    status = "cancelled"
                needs = {name: rng.random() < 0.04 for name in Registration.NEEDS}
                rows.add(
                    Registration(
                        event=event,
                        name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                        email=f"teilnahme{number}@{event.slug}.example.org",
                        organisation=rng.choice(self.tops).name[:200] if rng.random() < 0.5 else "",
                        language="de" if rng.random() < 0.85 else "en",
                        status=status,
                        consent_at=event.start - datetime.timedelta(days=10),
                        created=event.start - datetime.timedelta(days=30, minutes=number),
                        confirmed_at=event.start - datetime.timedelta(days=30, minutes=number - 5),
                        cancelled_at=event.start - datetime.timedelta(days=5) if status == "cancelled" else None,
                        cancel_token=f"gen{self.rng.getrandbits(120):030x}",
                        **needs,
                    )
                )
        rows.flush()
        self.counts.update(registrations=rows.count)
        self.log(f"{rows.count} registrations")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["county", *SCALES], default="county")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vernetzt.settings")
    import django

    django.setup()
    if arguments.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    generate(arguments.scale, arguments.seed)


if __name__ == "__main__":
    main()
