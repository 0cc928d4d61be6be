"""A small Kreisausländerbeirat for tests: the council, its terms, the councils that send delegates."""

import datetime
import itertools

from django.utils import timezone

from register.models import (
    Body,
    DelegatingCouncil,
    LegislativeTerm,
    Membership,
    Municipality,
    Network,
    Organisation,
    Person,
)

_counter = itertools.count(1)


def make_kab(seats=7, deputies=7, name="Kreisausländerbeirat Test"):
    return Network.objects.create(
        name=name,
        short_name="KAB",
        slug=f"kab-{next(_counter)}",
        classification=Network.Classification.COUNCIL,
        organization_type=Network.OrganizationType.COMMITTEE,
        seats_members=seats,
        seats_deputies=deputies,
    )


def make_term(network, start, end=None, name=None, election=None, **seats):
    return LegislativeTerm.objects.create(
        body_id=Body.home_pk(),
        network=network,
        name=name or f"Wahlperiode {start.year}",
        election_date=election,
        start_date=start,
        end_date=end,
        **seats,
    )


def current_term(network, years_back=1, years_ahead=4, **seats):
    today = timezone.localdate()
    return make_term(
        network,
        today.replace(month=1, day=1) - datetime.timedelta(days=365 * years_back),
        today + datetime.timedelta(days=365 * years_ahead),
        **seats,
    )


def make_council(network, municipality_name, **kwargs):
    municipality = Municipality.objects.get(name=municipality_name)
    organisation = Organisation.objects.create(
        name=f"Ausländerbeirat {municipality_name}",
        slug=f"ab-{next(_counter)}",
        category="politics",
        municipality=municipality,
    )
    return DelegatingCouncil.objects.create(network=network, organisation=organisation, **kwargs)


def delegate(network, term, council=None, role=Membership.Role.MEMBER, public=False, **kwargs):
    number = next(_counter)
    person = Person.objects.create(
        given_name="Dele",
        family_name=f"Gierte{number}",
        consent_to_publish=public,
        consent_recorded_at=timezone.now() if public else None,
    )
    membership = Membership(
        network=network,
        person=person,
        role=role,
        legislative_term=term,
        on_behalf_of=council.organisation if council else None,
        **kwargs,
    )
    membership.full_clean()
    membership.save()
    return membership
