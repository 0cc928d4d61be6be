"""Export of what a user may see, and the empty import templates, as Excel and CSV.

The files speak the import's language: German headings and, for choices, the models' labels in the
language of the data (``register.choices.data_label``), so an exported sheet can be edited and imported
again. The office exports everything; coordinators
and members the networks they belong to, their memberships and the organisations and actor
groups in them – people only as far as they agreed to be published. The queries are fixed in
number, whatever the size of the register.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from register import spreadsheets
from register.choices import data_label
from register.models import ActorGroup, Category, LegalBasis, LegalForm, Membership, Network, Organisation, Person
from register.permissions import is_office, networks_visible_internally

from .tabular import (
    CHOICES,
    COLUMNS,
    ERASED_MARK,
    ID_COLUMN,
    MEMBERSHIPS,
    NOT_PUBLIC_MARK,
    ORGANISATIONS,
    PEOPLE,
    SHEET_NAMES,
)
from .tabular_plan import UNIT_SEPARATOR

# Export kinds in the order of the workbook's sheets, with the sheet's name.
SHEETS = {
    "networks": "Netzwerke",
    ORGANISATIONS: SHEET_NAMES[ORGANISATIONS][0],
    "actor_groups": "Akteursgruppen",
    PEOPLE: SHEET_NAMES[PEOPLE][0],
    MEMBERSHIPS: SHEET_NAMES[MEMBERSHIPS][0],
}
NETWORK_HEADERS = ["Name", "Kurzname", "Art", "Zweck", "Seit", "Kontakt", "Offen für alle", "Mitgliedschaften"]
ACTOR_GROUP_HEADERS = ["Name", "Beschreibung", "Organisationen"]


@dataclass
class Sheet:
    kind: str
    headers: list
    rows: list
    name: str = ""

    @property
    def title(self):
        return self.name or SHEETS[self.kind]


def yes_no(value):
    return "" if value is None else ("ja" if value else "nein")


def full_names(organisations):
    """{pk: "A - B - C"} for all organisations given (which must include the parents)."""
    by_pk = {org.pk: org for org in organisations}
    names = {}
    for org in organisations:
        parts, node, seen = [], org, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            parts.insert(0, node.name)
            node = by_pk.get(node.parent_id)
        names[org.pk] = UNIT_SEPARATOR.join(parts)
    return names


def export_sheets(user):
    """The sheets the user may see, each with German headings and one row per record."""
    office = is_office(user)
    networks = list(
        networks_visible_internally(user).annotate(member_count=Count("memberships")).order_by("position", "name")
    )
    memberships = list(
        Membership.objects.filter(network__in=[n.pk for n in networks]).select_related(
            "network", "actor_group", "person"
        )
    )
    all_organisations = list(Organisation.objects.select_related("municipality"))
    names = full_names(all_organisations)
    if office:
        organisations = all_organisations
        actor_groups = list(ActorGroup.objects.prefetch_related("organisations"))
    else:
        seen = {m.organisation_id for m in memberships} | {m.on_behalf_of_id for m in memberships}
        organisations = [org for org in all_organisations if org.pk in seen]
        group_ids = {m.actor_group_id for m in memberships if m.actor_group_id}
        actor_groups = list(ActorGroup.objects.filter(pk__in=group_ids).prefetch_related("organisations"))

    sheets = [
        Sheet(
            "networks",
            NETWORK_HEADERS,
            [
                [
                    n.name,
                    n.short_name,
                    data_label(Network.Classification, n.classification),
                    n.purpose,
                    n.since_year,
                    n.contact_function,
                    yes_no(n.open_to_public),
                    n.member_count,
                ]
                for n in networks
            ],
        ),
        Sheet(
            ORGANISATIONS,
            [column.german for column in COLUMNS[ORGANISATIONS]],
            [
                [
                    org.name,
                    names.get(org.parent_id, ""),
                    org.short_name,
                    data_label(Category, org.category),
                    data_label(LegalForm, org.legal_form) if org.legal_form else "",
                    org.municipality.name if org.municipality else "",
                    org.website,
                    org.email,
                    org.phone,
                    org.street_address,
                    org.postal_code,
                    org.locality,
                    org.description,
                    org.pk,
                ]
                for org in sorted(organisations, key=lambda org: names[org.pk].casefold())
            ],
        ),
        Sheet(
            "actor_groups",
            ACTOR_GROUP_HEADERS,
            [
                [group.name, group.description, "; ".join(names[org.pk] for org in group.organisations.all())]
                for group in actor_groups
            ],
        ),
    ]
    if office:
        people = Person.objects.filter(erased_at__isnull=True)
        sheets.append(
            Sheet(
                PEOPLE,
                [column.german for column in COLUMNS[PEOPLE]],
                [
                    [
                        p.title,
                        p.given_name,
                        p.family_name,
                        p.function,
                        names.get(p.organisation_id, ""),
                        p.email,
                        p.phone,
                        data_label(LegalBasis, p.legal_basis),
                        yes_no(p.consent_to_publish),
                        timezone.localdate(p.consent_recorded_at) if p.consent_recorded_at else None,
                        p.consent_note,
                        str(p.purpose),
                        p.pk,
                    ]
                    for p in people
                ],
            )
        )
    sheets.append(
        Sheet(
            MEMBERSHIPS,
            [column.german for column in COLUMNS[MEMBERSHIPS]],
            [
                [
                    m.network.name,
                    names.get(m.organisation_id, ""),
                    m.actor_group.name if m.actor_group else "",
                    person_name(m.person, office),
                    data_label(Membership.Role, m.role),
                    yes_no(m.voting_right),
                    names.get(m.on_behalf_of_id, ""),
                    m.start_date,
                    m.end_date,
                    m.pk,
                ]
                for m in memberships
            ],
        )
    )
    return sheets


def person_name(person, office):
    if person is None:
        return ""
    if person.erased_at:
        return str(ERASED_MARK)
    if not office and not person.is_public:
        return str(NOT_PUBLIC_MARK)
    return " ".join(part for part in [person.given_name, person.family_name] if part) or person.function


def workbook_bytes(sheets):
    """An .xlsx with one formatted sheet per kind (``register.spreadsheets``: formulas stay text)."""
    return spreadsheets.xlsx_bytes([spreadsheets.Sheet(sheet.title, sheet.headers, sheet.rows) for sheet in sheets])


def csv_bytes(sheet):
    """Semicolon-separated, UTF-8 with BOM: what Excel in Germany opens without asking."""
    return spreadsheets.csv_bytes(sheet.headers, sheet.rows)


def template_columns(kind):
    """The columns of an empty template: all but the ID, which only an export fills."""
    return [column for column in COLUMNS[kind] if column is not ID_COLUMN]


def template_sheet(kind):
    return Sheet(kind, [column.german for column in template_columns(kind)], [])


def template_notes(kind):
    """A sheet that explains each column of a template and its allowed values."""
    rows = []
    for column in template_columns(kind):
        text = str(column.help)
        if column.key in CHOICES:
            choices = CHOICES[column.key]
            allowed = ", ".join(data_label(choices, value) for value, _label in choices.choices if value)
            text = " ".join(
                part for part in [text, _("Allowed: %(values)s (the English names too).") % {"values": allowed}] if part
            )
        rows.append([column.german, _("required") if column.required else _("optional"), text])
    return Sheet("notes", [_("Column"), _("Needed"), _("What to enter")], rows, name=_("Notes"))
