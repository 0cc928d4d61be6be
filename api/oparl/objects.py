"""The OParl 1.1 objects, built from register rows that ``scope`` has selected and annotated.

Empty optional fields are left out (OParl: no ``null``, no empty lists, no empty strings); required
lists stay even when empty. An embedded object leaves out its back-reference to the object it is
embedded in (OParl 1.1: File ``meeting``/``agendaItem``, AgendaItem ``meeting``, Membership ``person``,
LegislativeTerm ``body`` "only when not embedded"), and ``omit_internal`` leaves out the embedded
lists (Body ``legislativeTerm``, Person ``membership``, Meeting ``agendaItem`` and ``auxiliaryFile``,
AgendaItem ``auxiliaryFile``). Vocabulary that OParl leaves to the server (classification, role,
meetingState) is the models' labels in the language of the data (``register.choices.data_label``);
``organizationType`` takes OParl's own words. Vendor extensions carry the prefix
``vernetzt:``.
"""

import functools
import posixpath

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone, translation

from register.absolute import absolute_url
from register.choices import data_label as choices_data_label
from register.models import (
    ActorGroup,
    AgendaItem,
    Body,
    Category,
    File,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
)

from .scope import absolute, type_url, url_of

# OParl's own words for ``organizationType`` (OParl 1.1, Organization): protocol values, not labels.
ORGANIZATION_TYPE = {Network.OrganizationType.COMMITTEE: "Gremium", Network.OrganizationType.OTHER: "Sonstiges"}
ORGANISATION_TYPE = "Institution"
ACTOR_GROUP_CLASSIFICATION = "Akteursgruppe"


def stamp(value):
    """A date-time with its offset, to the second (e.g. 2026-05-20T17:00:00+02:00)."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def day(value):
    return value.isoformat() if value else None


def compact(data, keep=()):
    """Leave out what is empty, except the required properties named in ``keep``."""
    return {key: value for key, value in data.items() if key in keep or value not in (None, "", [], {})}


def common(instance, oparl_type):
    return {
        "id": url_of(type(instance), instance.pk),
        "type": type_url(oparl_type),
    }


def timestamps(instance):
    return {
        "created": stamp(instance.created),
        "modified": stamp(getattr(instance, "oparl_modified", instance.modified)),
    }


def web_url(instance):
    """The object's public page, in the language of the data (the portal's URLs carry the language)."""
    try:
        if translation.get_language() == settings.LANGUAGE_CODE:  # mostly: no switching for every row
            return absolute_url(instance.get_absolute_url())
        with translation.override(settings.LANGUAGE_CODE):
            return absolute_url(instance.get_absolute_url())
    except NoReverseMatch:
        return None


def data_label(choices, value):
    """``register.choices.data_label``, each label looked up once per process and language of the data
    (not once per row: the lookup switches the language and reads every choice)."""
    return _data_label(choices, value, settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=1024)
def _data_label(choices, value, language):
    return choices_data_label(choices, value)


def official_keys(ags):
    """(ags, rgs) of a body as OParl 1.1 asks for them: the 8-digit Amtlicher Gemeindeschlüssel and the
    12-digit Regionalschlüssel.

    A county has a 5-digit Kreisschlüssel (06432) and no municipality key of its own. Its 8-digit form
    is the Kreisschlüssel followed by "000" (06432000): the place of the municipality stays zero, as in
    Destatis' and the BBSR's keys for counties and in the key of a kreisfreie Stadt (06411000), and no
    municipality has the number 000, so no real municipality can be meant. The Regionalschlüssel of a
    county or kreisfreie Stadt is its Kreisschlüssel followed by seven zeros (064320000000). For a
    municipality of a county the Regionalschlüssel needs its Gemeindeverband, which the register does not
    hold: it is left out.
    """
    digits = (ags or "").replace(" ", "")
    if not digits.isdigit():
        return None, None
    if len(digits) == 5:
        digits += "000"
    if len(digits) == 12:
        return digits[:5] + digits[9:], digits
    if len(digits) != 8:
        return None, None
    return digits, (digits[:5] + "0000000" if digits.endswith("000") else None)


def deleted(tombstone):
    """What is left of a deleted or depublished object."""
    return {
        "id": absolute(tombstone.path),
        "type": SEAT_TYPE if tombstone.oparl_type == "Seat" else type_url(tombstone.oparl_type),
        "created": stamp(tombstone.created),
        "modified": stamp(tombstone.deleted_at),
        "deleted": True,
    }


BODY_LISTS = {
    "organization": "organizations",
    "person": "persons",
    "meeting": "meetings",
    "paper": "papers",
    "consultation": "consultations",
    "membership": "memberships",
    "agendaItem": "agenda-items",
    "file": "files",
    "locationList": "locations",
    "legislativeTermList": "legislative-terms",
}


def body(instance, context):
    data = common(instance, "Body")
    ags, rgs = official_keys(instance.ags)
    lists = absolute(f"body/{instance.pk}/")  # the base once, not once for each of the twelve lists
    data.update(
        system=absolute("system"),
        name=instance.name,
        shortName=instance.short_name,
        website=instance.website,
        ags=ags,
        rgs=rgs,
        **{prop: lists + path for prop, path in BODY_LISTS.items()},
        **timestamps(instance),
    )
    if context.omit_internal:
        return compact(data)
    data["legislativeTerm"] = [legislative_term(term, context, embedded=True) for term in instance.shown_terms]
    return compact(data, keep={"legislativeTerm"})


def network(instance, context):
    """A network; ``shown_memberships`` are its seats and the memberships of public persons."""
    shown = instance.shown_memberships
    data = common(instance, "Organization")
    data.update(
        body=url_of(Body, instance.oparl_body_id),
        name=instance.name,
        shortName=instance.short_name,
        organizationType=ORGANIZATION_TYPE[instance.organization_type],
        classification=data_label(Network.Classification, instance.classification),
        membership=[url_of(Membership, m.pk) for m in shown if m.person_id],
        meeting=absolute(f"organization/network-{instance.pk}/meetings"),
        keyword=[topic.name for topic in instance.shown_topics],
        web=web_url(instance),
        **timestamps(instance),
    )
    data.update(
        {
            "vernetzt:purpose": instance.purpose,
            "vernetzt:sinceYear": instance.since_year,
            "vernetzt:focusArea": [area.name for area in instance.shown_focus_areas],
            "vernetzt:host": [url_of(Body, host.body_id) for host in instance.shown_hosts],
            "vernetzt:seat": [seat(m) for m in shown if not m.person_id],
        }
    )
    return compact(data)


SEAT_TYPE = "vernetzt:Seat"


def seat(membership, own=False):
    """A seat of an organisation or actor group: OParl memberships are of persons only.

    It has an ``id`` (its own URL) and a ``type`` like every object: clients that take embedded objects
    out of their parent (Meine Stadt Transparent) need both. Under its own URL it names its network
    and carries ``created`` and ``modified``.
    """
    member = (
        url_of(Organisation, membership.organisation_id)
        if membership.organisation_id
        else url_of(ActorGroup, membership.actor_group_id)
    )
    extra = {}
    if own:
        extra = {"vernetzt:network": url_of(Network, membership.network_id), **timestamps(membership)}
    return compact(
        {
            "id": absolute(f"seat/{membership.pk}"),
            "type": SEAT_TYPE,
            "vernetzt:membershipId": membership.pk,
            "organization": member,
            "role": data_label(Membership.Role, membership.role),
            "votingRight": membership.voting_right,
            "startDate": day(membership.start_date),
            "endDate": day(membership.end_date),
            "vernetzt:label": membership.label,
            **extra,
        }
    )


def organisation(instance, context):
    data = common(instance, "Organization")
    data.update(
        body=url_of(Body, instance.oparl_body_id),
        name=instance.name,
        shortName=instance.short_name,
        organizationType=ORGANISATION_TYPE,
        classification=data_label(Category, instance.category),
        subOrganizationOf=url_of(Organisation, instance.parent_id) if instance.parent_id else None,
        website=instance.public_contact.get("website"),  # only if the office or the organisation released it
        web=web_url(instance),
        **timestamps(instance),
    )
    return compact(data)


def actor_group(instance, context):
    data = common(instance, "Organization")
    data.update(
        body=url_of(Body, instance.oparl_body_id),
        name=instance.name,
        organizationType=ORGANIZATION_TYPE[Network.OrganizationType.OTHER],
        classification=ACTOR_GROUP_CLASSIFICATION,
        **timestamps(instance),
    )
    data["vernetzt:memberOrganization"] = [url_of(Organisation, org.pk) for org in instance.shown_organisations]
    return compact(data)


def person(instance, context):
    data = common(instance, "Person")
    data.update(
        body=url_of(Body, instance.oparl_body_id),
        name=" ".join(part for part in [instance.title, instance.given_name, instance.family_name] if part),
        familyName=instance.family_name,
        givenName=instance.given_name,
        title=[instance.title] if instance.title else [],
        status=[instance.function] if instance.function else [],
        **timestamps(instance),
    )
    if not context.omit_internal:
        data["membership"] = [membership(m, context, embedded=True) for m in instance.shown_memberships]
    return compact(data)


def membership(instance, context, embedded=False):
    data = common(instance, "Membership")
    data.update(
        person=None if embedded else url_of(Person, instance.person_id),
        organization=url_of(Network, instance.network_id),
        role=data_label(Membership.Role, instance.role),
        votingRight=instance.voting_right,
        onBehalfOf=url_of(Organisation, instance.on_behalf_of_id) if instance.on_behalf_of_id else None,
        startDate=day(instance.start_date),
        endDate=day(instance.end_date),
        **timestamps(instance),
    )
    if instance.legislative_term_id:
        data["vernetzt:legislativeTerm"] = url_of(LegislativeTerm, instance.legislative_term_id)
    return compact(data)


def meeting(instance, context):
    data = common(instance, "Meeting")
    files = list(instance.public_files)
    invitation = next((f for f in files if f.role == File.Role.INVITATION and not f.agenda_item_id), None)
    minutes = next((f for f in files if f.role == File.Role.MINUTES and not f.agenda_item_id), None)
    auxiliary = [f for f in files if not f.agenda_item_id and f not in (invitation, minutes)]
    data.update(
        name=instance.name,
        meetingState=data_label(Meeting.State, instance.state),
        cancelled=instance.state == Meeting.State.CANCELLED,
        start=stamp(instance.start),
        end=stamp(instance.end),
        location=location(instance.location, context) if instance.location_id else None,
        organization=[url_of(Network, instance.network_id)],
        invitation=file(invitation, context, embedded=True) if invitation else None,
        resultsProtocol=file(minutes, context, embedded=True) if minutes else None,
        **timestamps(instance),
    )
    if not context.omit_internal:
        data["agendaItem"] = [agenda_item(item, context, embedded=True) for item in instance.public_agenda_items]
        data["auxiliaryFile"] = [file(f, context, embedded=True) for f in auxiliary]
    return compact(data)


def agenda_item(instance, context, embedded=False):
    data = common(instance, "AgendaItem")
    data.update(
        meeting=None if embedded else url_of(Meeting, instance.meeting_id),
        number=instance.number,
        order=instance.oparl_order,
        name=instance.name,
        public=instance.public,
        **timestamps(instance),
    )
    if getattr(instance, "oparl_minutes_approved_at", None):  # results are public once the minutes are approved
        with translation.override("de"):
            data.update(result=instance.result_text, resolutionText=instance.resolution_text)
    if not context.omit_internal:
        data["auxiliaryFile"] = [file(f, context, embedded=True) for f in instance.public_files]
    return compact(data, keep={"order"})


def file(instance, context, embedded=False):
    """A file: ``accessUrl`` shows it in the browser, ``downloadUrl`` saves it (OParl 1.1, 2.7)."""
    data = common(instance, "File")
    data.update(
        name=instance.name,
        fileName=posixpath.basename(instance.file.name),
        mimeType=instance.mime_type,
        size=instance.size,
        accessUrl=absolute(f"file/{instance.pk}/content"),
        downloadUrl=absolute(f"file/{instance.pk}/download"),
        **timestamps(instance),
    )
    if not embedded:
        data["meeting"] = [url_of(Meeting, instance.meeting_id)]
        data["agendaItem"] = [url_of(AgendaItem, instance.agenda_item_id)] if instance.agenda_item_id else []
    return compact(data, keep={"accessUrl"})


def location(instance, context):
    data = common(instance, "Location")
    geojson = None
    if instance.latitude is not None and instance.longitude is not None:
        geojson = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(instance.longitude), float(instance.latitude)]},
            "properties": {"name": instance.name},
        }
    hidden = not instance.address_public  # a place that must not be published: name and locality only
    data.update(
        description=str(instance),
        streetAddress=None if hidden else instance.street_address,
        room=None if hidden else instance.room,
        postalCode=None if hidden else instance.postal_code,
        locality=instance.locality,
        geojson=None if hidden else geojson,
        **timestamps(instance),
    )
    data.update(
        {
            "vernetzt:stepFree": instance.step_free,
            "vernetzt:accessibleToilet": instance.accessible_toilet,
            "vernetzt:hearingLoop": instance.hearing_loop,
            "vernetzt:publicTransport": instance.public_transport,
            "vernetzt:accessibleParking": instance.accessible_parking,
            "vernetzt:parking": instance.parking,
        }
    )
    return compact(data)


def legislative_term(instance, context, embedded=False):
    data = common(instance, "LegislativeTerm")
    data.update(
        body=None if embedded else url_of(Body, instance.body_id),
        name=instance.name,
        startDate=day(instance.start_date),
        endDate=day(instance.end_date),
        **timestamps(instance),
    )
    if instance.network_id:
        data["vernetzt:organization"] = url_of(Network, instance.network_id)
    if instance.election_date:
        data["vernetzt:electionDate"] = day(instance.election_date)
    return compact(data)


SERIALIZERS = {
    Body: body,
    Network: network,
    Organisation: organisation,
    ActorGroup: actor_group,
    Person: person,
    Membership: membership,
    Meeting: meeting,
    AgendaItem: agenda_item,
    File: file,
    Location: location,
    LegislativeTerm: legislative_term,
}
