"""The public register as open data: networks with their facts, organisations and memberships.

What the public site shows, as tables for download (CSV for Excel in Germany and XLSX, written by
``register.spreadsheets``): no personal data without consent – people appear only in memberships,
only when they agreed to be published and are not erased, and only with their name and function,
never with an e-mail address or phone number. Organisations are given with the facts of their public
entry; their contact details are left to the organisations' own pages, where each is published only as
the organisation chose. Headings are German, the language of the data, and so are the choices: the models' labels
(``register.choices.data_label``). A fixed number of
queries, whatever the size of the register.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from register.absolute import base_url, page_url_maker
from register.choices import data_labels
from register.models import Category, FocusArea, LegalForm, Membership, Network, NetworkHost, Organisation, Person
from register.spreadsheets import Sheet

from .tabular_export import full_names, yes_no

PUBLIC_PERSON = Q(person__isnull=True) | Q(person__consent_to_publish=True, person__erased_at__isnull=True)
PUBLIC_MEMBERSHIP = Q(memberships__person__isnull=True) | Q(
    memberships__person__consent_to_publish=True, memberships__person__erased_at__isnull=True
)
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Dataset:
    slug: str  # the file's name, e.g. "netzwerke" for netzwerke.csv
    title: str  # the sheet's name
    build: object  # () -> Sheet


def _grouped(rows):
    """{key: [value, …]} of (key, value) rows, in their order."""
    grouped = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def _page_urls(model):
    """``slug -> absolute URL`` of the public pages of a model's objects (one ``reverse()`` for all)."""
    base, path_of = base_url(), page_url_maker(model)
    return lambda slug: base + path_of(slug)


def networks_sheet():
    """Read as plain values: the networks with one query, and one more for each of their lists (hosts,
    focus areas, topics, target groups). Model instances with their related managers, and each label
    translated anew for every row, took half a minute at nation scale."""
    fields = [
        "name", "short_name", "classification", "organization_type", "purpose", "since_year",
        "administrative_support", "establishing_decision", "legal_basis", "advises", "convened_by",
        "is_organ_of_body", "votes_in_committees", "open_to_public", "cadence", "contact_function",
        "seats_members", "seats_deputies", "term_years", "composition",
    ]  # fmt: skip
    networks = (
        Network.objects.annotate(member_count=Count("memberships", filter=PUBLIC_MEMBERSHIP, distinct=True))
        .order_by("position", "name")
        .values("pk", "slug", "member_count", *fields)
    )
    hosts = _grouped(
        (network, " – ".join(filter(None, [body, unit])))
        for network, body, unit in NetworkHost.objects.order_by("network_id", "position", "pk").values_list(
            "network_id", "body__name", "unit"
        )
    )
    focus_areas = _grouped(FocusArea.objects.order_by("network_id", "position", "pk").values_list("network_id", "name"))
    topics = _grouped(Network.topics.through.objects.values_list("network_id", "topic__name"))
    target_groups = _grouped(Network.target_groups.through.objects.values_list("network_id", "targetgroup__name"))
    classifications, types = data_labels(Network.Classification), data_labels(Network.OrganizationType)
    cadences, url_of = data_labels(Network.Cadence), _page_urls(Network)
    headers = [
        "Name", "Kurzname", "Art", "OParl-Typ", "Zweck", "Seit", "Getragen von", "Geschäftsführung",
        "Gegründet durch", "Rechtsgrundlage", "Berät", "Lädt ein", "Organ des Kreises", "Stimmrecht in Ausschüssen",
        "Offen für alle", "Trifft sich", "Kontakt", "Sitze Mitglieder", "Sitze Stellvertretungen", "Amtszeit (Jahre)",
        "Zusammensetzung", "Arbeitsschwerpunkte", "Themen", "Zielgruppen", "Mitgliedschaften", "Seite",
    ]  # fmt: skip
    rows = [
        [
            n["name"],
            n["short_name"],
            classifications.get(n["classification"], n["classification"]),
            types.get(n["organization_type"], n["organization_type"]),
            n["purpose"],
            n["since_year"],
            LIST_SEPARATOR.join(hosts[n["pk"]]),
            n["administrative_support"],
            n["establishing_decision"],
            n["legal_basis"],
            n["advises"],
            n["convened_by"],
            yes_no(n["is_organ_of_body"]),
            yes_no(n["votes_in_committees"]),
            yes_no(n["open_to_public"]),
            cadences.get(n["cadence"], n["cadence"]) if n["cadence"] else "",
            n["contact_function"],
            n["seats_members"],
            n["seats_deputies"],
            n["term_years"],
            n["composition"],
            LIST_SEPARATOR.join(focus_areas[n["pk"]]),
            LIST_SEPARATOR.join(sorted(topics[n["pk"]])),
            LIST_SEPARATOR.join(sorted(target_groups[n["pk"]])),
            n["member_count"],
            url_of(n["slug"]),
        ]
        for n in networks
    ]
    return Sheet("Netzwerke", headers, rows)


def organisations_sheet():
    fields = ["name", "short_name", "category", "legal_form", "municipality__name", "website", "description", "slug"]
    organisations = list(Organisation.objects.values_list("pk", "parent_id", *fields, named=True))
    names = full_names(organisations)
    categories, legal_forms, url_of = data_labels(Category), data_labels(LegalForm), _page_urls(Organisation)
    headers = [
        "Name", "Vollständiger Name", "Übergeordnete Organisation", "Kurzname", "Kategorie", "Rechtsform", "Kommune",
        "Website", "Beschreibung", "Seite",
    ]  # fmt: skip
    rows = [
        [
            org.name,
            names[org.pk],
            names.get(org.parent_id, ""),
            org.short_name,
            categories.get(org.category, org.category),
            legal_forms.get(org.legal_form, org.legal_form) if org.legal_form else "",
            org.municipality__name or "",
            org.website,
            org.description,
            url_of(org.slug),
        ]
        for org in sorted(organisations, key=lambda org: names[org.pk].casefold())
    ]
    return Sheet("Organisationen", headers, rows)


def memberships_sheet():
    names = full_names(list(Organisation.objects.values_list("pk", "name", "parent_id", named=True)))
    memberships = list(
        Membership.objects.filter(PUBLIC_PERSON)
        .order_by("network__position", "network__name", "position", "pk")
        .values_list(
            "network__name", "organisation_id", "actor_group__name", "person_id", "role", "voting_right",
            "on_behalf_of_id", "start_date", "end_date",
        )
    )  # fmt: skip
    # People (published with their consent only) as the register names them; the few there are, by key.
    persons = Person.objects.in_bulk({m[3] for m in memberships if m[3] is not None})
    roles = data_labels(Membership.Role)
    headers = ["Netzwerk", "Art des Mitglieds", "Mitglied", "Rolle", "Stimmrecht", "Im Auftrag von", "Beginn", "Ende"]
    rows = []
    for network, organisation, actor_group, person, role, voting_right, on_behalf_of, start, end in memberships:
        if organisation:
            kind, member = "Organisation", names[organisation]
        elif actor_group is not None:
            kind, member = "Akteursgruppe", actor_group
        else:
            kind, member = "Person", str(persons[person])
        rows.append(
            [
                network,
                kind,
                member,
                roles.get(role, role),
                yes_no(voting_right),
                names.get(on_behalf_of, ""),
                start,
                end,
            ]
        )
    return Sheet("Mitgliedschaften", headers, rows)


DATASETS = {
    dataset.slug: dataset
    for dataset in (
        Dataset("netzwerke", "Netzwerke", networks_sheet),
        Dataset("organisationen", "Organisationen", organisations_sheet),
        Dataset("mitgliedschaften", "Mitgliedschaften", memberships_sheet),
    )
}
