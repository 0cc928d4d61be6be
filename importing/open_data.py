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

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from register.absolute import absolute_url
from register.choices import data_label
from register.models import Category, FocusArea, LegalForm, Membership, Network, NetworkHost, Organisation
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


def networks_sheet():
    networks = (
        Network.objects.annotate(member_count=Count("memberships", filter=PUBLIC_MEMBERSHIP, distinct=True))
        .prefetch_related(
            Prefetch("hosts", queryset=NetworkHost.objects.select_related("body").order_by("network_id", "position")),
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("network_id", "position", "pk")),
            "topics",
            "target_groups",
        )
        .order_by("position", "name")
    )
    headers = [
        "Name", "Kurzname", "Art", "OParl-Typ", "Zweck", "Seit", "Getragen von", "Geschäftsführung",
        "Gegründet durch", "Rechtsgrundlage", "Berät", "Lädt ein", "Organ des Kreises", "Stimmrecht in Ausschüssen",
        "Offen für alle", "Trifft sich", "Kontakt", "Sitze Mitglieder", "Sitze Stellvertretungen", "Amtszeit (Jahre)",
        "Zusammensetzung", "Arbeitsschwerpunkte", "Themen", "Zielgruppen", "Mitgliedschaften", "Seite",
    ]  # fmt: skip
    rows = [
        [
            n.name,
            n.short_name,
            data_label(Network.Classification, n.classification),
            data_label(Network.OrganizationType, n.organization_type),
            n.purpose,
            n.since_year,
            LIST_SEPARATOR.join(" – ".join(filter(None, [h.body.name, h.unit])) for h in n.hosts.all()),
            n.administrative_support,
            n.establishing_decision,
            n.legal_basis,
            n.advises,
            n.convened_by,
            yes_no(n.is_organ_of_body),
            yes_no(n.votes_in_committees),
            yes_no(n.open_to_public),
            data_label(Network.Cadence, n.cadence) if n.cadence else "",
            n.contact_function,
            n.seats_members,
            n.seats_deputies,
            n.term_years,
            n.composition,
            LIST_SEPARATOR.join(area.name for area in n.focus_areas.all()),
            LIST_SEPARATOR.join(sorted(topic.name for topic in n.topics.all())),
            LIST_SEPARATOR.join(sorted(group.name for group in n.target_groups.all())),
            n.member_count,
            absolute_url(n.get_absolute_url()),
        ]
        for n in networks
    ]
    return Sheet("Netzwerke", headers, rows)


def organisations_sheet():
    organisations = list(Organisation.objects.select_related("municipality"))
    names = full_names(organisations)
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
            data_label(Category, org.category),
            data_label(LegalForm, org.legal_form) if org.legal_form else "",
            org.municipality.name if org.municipality else "",
            org.website,
            org.description,
            absolute_url(org.get_absolute_url()),
        ]
        for org in sorted(organisations, key=lambda org: names[org.pk].casefold())
    ]
    return Sheet("Organisationen", headers, rows)


def member_of(membership, names):
    """(kind, name) of the member of a membership as the public sees it."""
    if membership.organisation_id:
        return "Organisation", names[membership.organisation_id]
    if membership.actor_group_id:
        return "Akteursgruppe", membership.actor_group.name
    return "Person", str(membership.person)


def memberships_sheet():
    organisations = list(Organisation.objects.only("pk", "name", "parent_id"))
    names = full_names(organisations)
    memberships = (
        Membership.objects.filter(PUBLIC_PERSON)
        .select_related("network", "actor_group", "person")
        .order_by("network__position", "network__name", "position", "pk")
    )
    headers = ["Netzwerk", "Art des Mitglieds", "Mitglied", "Rolle", "Stimmrecht", "Im Auftrag von", "Beginn", "Ende"]
    rows = []
    for m in memberships:
        kind, member = member_of(m, names)
        rows.append(
            [
                m.network.name,
                kind,
                member,
                data_label(Membership.Role, m.role),
                yes_no(m.voting_right),
                names.get(m.on_behalf_of_id, ""),
                m.start_date,
                m.end_date,
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
