"""schema.org descriptions (JSON-LD) of the portal's pages, built from objects the views already loaded."""

from django.urls import reverse

from register import languages
from register.models import Network

from .context_processors import identity_for

CONTEXT = "https://schema.org"


def _clean(data):
    """Drop empty values so that the description states only what the register knows."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def office(request):
    identity = identity_for(request)
    county = identity.body_name
    return _clean(
        {
            "@type": "GovernmentOrganization",
            "name": identity.office_name,
            "parentOrganization": {"@type": "GovernmentOrganization", "name": county} if county else None,
            "areaServed": county,
            "address": address(identity) if identity.street_address or identity.locality else None,
            "email": identity.email,
            "telephone": identity.phone,
            "url": request.build_absolute_uri(reverse("portal:home")),
        }
    )


def address(entity):
    return _clean(
        {
            "@type": "PostalAddress",
            "streetAddress": entity.street_address,
            "postalCode": entity.postal_code,
            "addressLocality": entity.locality,
            "addressCountry": "DE",
        }
    )


def organisation_ref(request, org):
    url = getattr(org, "url", None) or org.get_absolute_url()  # views may have set it for many at once
    return _clean({"@type": "Organization", "name": org.full_name, "url": request.build_absolute_uri(url)})


def network_ref(request, network):
    return _clean(
        {
            "@type": "Organization",
            "name": network.name,
            "alternateName": network.short_name,
            "url": request.build_absolute_uri(network.get_absolute_url()),
        }
    )


def event(request, item):
    location = item.location
    return _clean(
        {
            "@type": "Event",
            "name": item.title,
            "description": item.description,
            "url": request.build_absolute_uri(item.get_absolute_url()),
            "startDate": item.start.isoformat(),
            "endDate": item.end.isoformat(),
            "eventStatus": f"{CONTEXT}/EventCancelled" if item.cancelled else f"{CONTEXT}/EventScheduled",
            "eventAttendanceMode": f"{CONTEXT}/OfflineEventAttendanceMode",
            "location": _clean(
                {
                    "@type": "Place",
                    "name": location.name,
                    "address": address(location)
                    if location.address_public
                    else _clean({"addressLocality": location.locality}),
                }
            )
            if location
            else None,
            "organizer": network_ref(request, item.network) if item.network_id else office(request),
            "inLanguage": "de",
        }
    )


def network(request, item, members, events):
    groups, actor_groups, persons = members
    member_list = [
        organisation_ref(request, org) for group in groups for entry in group.entries for org in _orgs(entry)
    ]
    member_list += [{"@type": "Organization", "name": m.actor_group.name} for m in actor_groups]
    member_list += [
        _clean({"@type": "Person", "name": str(m.person), "jobTitle": m.person.function})
        for m in persons
        if m.person.is_public
    ]
    return [
        _clean(
            {
                "@type": "GovernmentOrganization"
                if item.organization_type == Network.OrganizationType.COMMITTEE
                else "Organization",
                "name": item.name,
                "alternateName": item.short_name,
                "description": item.purpose or item.description,
                "url": request.build_absolute_uri(item.get_absolute_url()),
                "foundingDate": str(item.since_year) if item.since_year else None,
                "areaServed": identity_for(request).body_name,
                "knowsAbout": [area.name for area in item.focus_areas.all()] + [t.name for t in item.topics.all()],
                "parentOrganization": [
                    _clean({"@type": "GovernmentOrganization", "name": host.unit or host.body.name})
                    for host in item.hosts.all()
                ],
                "member": member_list,
            }
        ),
        *(event(request, date) for date in events),
    ]


def _orgs(entry):
    """The organisations of one directory entry that are members themselves: the root or its units."""
    for _membership, units in entry.memberships:
        yield units[-1] if units else entry.root


def organisation(request, org, units, memberships):
    contact = org.public_contact  # empty unless the office or the organisation released it
    return _clean(
        {
            "@type": "Organization",
            "name": org.full_name,
            "alternateName": org.short_name,
            "description": org.description,
            "url": request.build_absolute_uri(org.get_absolute_url()),
            "sameAs": contact.get("website"),
            "email": contact.get("email"),
            "telephone": contact.get("phone"),
            "knowsLanguage": languages.split(org.languages),
            "address": address(org) if contact.get("street_address") or contact.get("locality") else None,
            "parentOrganization": organisation_ref(request, org.parent) if org.parent_id else None,
            "subOrganization": [organisation_ref(request, unit) for unit in units],
            "memberOf": [network_ref(request, network) for network in dict.fromkeys(m.network for m in memberships)],
        }
    )


def graph(*items):
    """One JSON-LD document holding the given descriptions."""
    return {"@context": CONTEXT, "@graph": [item for item in items if item]}
