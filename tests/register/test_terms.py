"""Issue 22: terms of office, composition rules that are checked, delegating councils."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from register import composition
from register.models import LegislativeTerm, Membership
from tests.register.kab_builders import current_term, delegate, make_council, make_kab, make_term

pytestmark = pytest.mark.django_db


def test_an_eighth_member_is_refused_unless_a_reason_is_stated():
    kab = make_kab()
    term = current_term(kab)
    for _ in range(7):
        delegate(kab, term)
    with pytest.raises(ValidationError) as refused:
        delegate(kab, term)
    assert "over_seats_reason" in refused.value.message_dict
    assert "7" in refused.value.message_dict["over_seats_reason"][0]
    eighth = delegate(kab, term, over_seats_reason="Nachrücker sitzt bis zum Ende der Amtszeit mit")
    flags = composition.flags(kab)
    assert [flag.code for flag in flags] == ["over_seats"]
    assert "8" in flags[0].message and eighth.over_seats_reason in flags[0].message


def test_a_seat_that_ended_frees_its_place():
    kab = make_kab(seats=1, deputies=0)
    term = current_term(kab)
    first = delegate(kab, term)
    first.end_date = timezone.localdate() - datetime.timedelta(days=1)
    first.save()
    delegate(kab, term, start_date=timezone.localdate())


def test_seats_belong_to_a_term_and_end_with_it():
    kab = make_kab()
    term = current_term(kab)
    with pytest.raises(ValidationError) as no_term:
        delegate(kab, None)
    assert "legislative_term" in no_term.value.message_dict
    with pytest.raises(ValidationError) as early:
        delegate(kab, term, start_date=term.start_date - datetime.timedelta(days=1))
    assert "start_date" in early.value.message_dict
    with pytest.raises(ValidationError) as late:
        delegate(kab, term, end_date=term.end_date + datetime.timedelta(days=1))
    assert "end_date" in late.value.message_dict


def test_a_deputy_is_tied_to_the_member_of_the_same_term():
    kab = make_kab()
    term = current_term(kab)
    member = delegate(kab, term)
    with pytest.raises(ValidationError) as unpaired:
        delegate(kab, term, role=Membership.Role.DEPUTY)
    assert "deputy_of" in unpaired.value.message_dict
    deputy = delegate(kab, term, role=Membership.Role.DEPUTY, deputy_of=member)
    with pytest.raises(ValidationError) as second:
        delegate(kab, term, role=Membership.Role.DEPUTY, deputy_of=member)
    assert "schon eine Stellvertretung" in second.value.message_dict["deputy_of"][0]
    earlier = make_term(
        kab, term.start_date - datetime.timedelta(days=5 * 365), term.start_date - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as other_term:
        delegate(kab, earlier, role=Membership.Role.DEPUTY, deputy_of=member)
    assert "selben Amtszeit" in other_term.value.message_dict["deputy_of"][0]
    # The member leaves: the deputy is flagged.
    member.end_date = timezone.localdate() - datetime.timedelta(days=1)
    member.save()
    assert [(flag.membership, flag.code) for flag in composition.flags(kab)] == [(deputy, "member_gone")]


def test_terms_of_a_network_cannot_overlap():
    kab = make_kab()
    term = current_term(kab)
    overlapping = LegislativeTerm(
        body_id=term.body_id, network=kab, name="Doppelt", start_date=term.start_date + datetime.timedelta(days=10)
    )
    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert "start_date" in refused.value.message_dict


def test_members_of_an_ended_term_and_of_a_dissolved_council_are_flagged(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    kab = make_kab()
    old = make_term(kab, datetime.date(2021, 4, 1), datetime.date(2026, 3, 31), election=datetime.date(2021, 3, 14))
    council = make_council(kab, "Dieburg")
    stays = delegate(kab, old, council)  # open seat in a term that ended
    new = make_term(kab, datetime.date(2026, 4, 1), datetime.date(2031, 3, 31))
    other = make_council(kab, "Babenhausen", dissolved_on=datetime.date(2026, 5, 1))
    sent = delegate(kab, new, other)
    codes = {(flag.membership, flag.code) for flag in composition.flags(kab)}
    assert codes == {(stays, "term_ended"), (sent, "council_dissolved")}
    # Moving to the new term carried nobody over.
    assert list(new.memberships.all()) == [sent]


def test_the_public_term_page_names_only_people_who_consented(client):
    kab = make_kab()
    term = current_term(kab)
    dieburg = make_council(kab, "Dieburg")
    named = delegate(kab, term, dieburg, public=True)
    hidden = delegate(kab, term, make_council(kab, "Babenhausen"))
    delegate(kab, term, dieburg, role=Membership.Role.DEPUTY, deputy_of=hidden)
    page = client.get(reverse("portal:term", args=[kab.slug, term.pk])).content.decode()
    assert str(named.person) in page
    assert hidden.person.family_name not in page
    assert "Ausländerbeirat Babenhausen" in page and "(Babenhausen)" in page
    network_page = client.get(kab.get_absolute_url()).content.decode()
    assert "Dieburg" in network_page and "Babenhausen" in network_page
    assert reverse("inquiries:ask", args=[kab.slug]) in network_page
    assert hidden.person.family_name not in network_page


def test_the_term_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    kab = make_kab(seats=30, deputies=30)
    term = current_term(kab)
    council = make_council(kab, "Dieburg")
    members = [delegate(kab, term, council) for _ in range(2)]
    url = reverse("portal:term", args=[kab.slug, term.pk])
    with django_assert_max_num_queries(10) as captured:
        client.get(url)
    for _ in range(6):
        member = delegate(kab, term, council)
        delegate(kab, term, council, role=Membership.Role.DEPUTY, deputy_of=member)
    assert members
    with django_assert_max_num_queries(len(captured)):
        assert client.get(url).status_code == 200


def test_several_councils_read_together_carry_each_their_own_flags():
    """``flags_of`` (the start page reads all councils at once): every kind of flag, two on one seat, and
    deputies whose term counts deputy seats where the council's rules name none."""
    today = timezone.localdate()
    ended, dissolved = today - datetime.timedelta(days=30), today - datetime.timedelta(days=3)

    def unpaired(network, term):
        deputy = delegate(network, term, role=Membership.Role.DEPUTY, deputy_of=delegate(network, term))
        Membership.objects.filter(pk=deputy.pk).update(deputy_of=None)  # as an import or an old entry leaves it
        return deputy

    # Two flags on one seat: a term that ended and a council that was dissolved.
    first = make_kab(name="Beirat 1")
    old = make_term(first, ended - datetime.timedelta(days=5 * 365), ended)
    sent = delegate(first, old, make_council(first, "Dieburg", dissolved_on=dissolved))
    # A deputy whose member left, and a deputy who names no member while the term counts deputy seats.
    second = make_kab(seats=7, deputies=None, name="Beirat 2")
    term = current_term(second, seats_deputies=2)
    member = delegate(second, term)
    gone = delegate(second, term, role=Membership.Role.DEPUTY, deputy_of=member)
    Membership.objects.filter(pk=member.pk).update(end_date=today - datetime.timedelta(days=1))
    alone = unpaired(second, term)
    # No flag: neither the term nor the council's rules count deputy seats.
    third = make_kab(deputies=None, name="Beirat 3")
    unpaired(third, current_term(third))
    # More members than seats, with a reason.
    fourth = make_kab(seats=1, deputies=0, name="Beirat 4")
    fourth_term = current_term(fourth)
    delegate(fourth, fourth_term)
    delegate(fourth, fourth_term, over_seats_reason="Nachrückerin bis zur Wahl")

    councils = [first, second, third, fourth]
    listed = composition.flags_of(councils)
    # Each once, though the seat is found both by its term and by its council.
    assert [(flag.membership.pk, flag.code) for flag in listed[first.pk]] == [
        (sent.pk, "term_ended"),
        (sent.pk, "council_dissolved"),
    ]
    assert {(flag.membership.pk, flag.code) for flag in listed[second.pk]} == {
        (gone.pk, "member_gone"),
        (alone.pk, "deputy_unpaired"),
    }
    assert listed[third.pk] == []
    assert [flag.code for flag in listed[fourth.pk]] == ["over_seats"]
    assert "Nachrückerin bis zur Wahl" in listed[fourth.pk][0].message
