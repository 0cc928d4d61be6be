"""The coverage view on a small hand-made data set shows exactly the hand-computed gaps and overlaps."""

import pytest
from django.urls import reverse

from needs.coverage import coverage
from needs.models import Need, Offer
from register.models import TargetGroup, Topic
from tests.needs.needs_builders import make_municipality, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(county):
    d, b, w = (make_municipality(county, name) for name in ("Dieburg", "Babenhausen", "Weiterstadt"))
    counselling_topic = Topic.objects.create(name="Beratung", slug="beratung")
    language = Topic.objects.create(name="Sprache", slug="sprache")
    women = TargetGroup.objects.create(name="Frauen", slug="frauen")
    youth = TargetGroup.objects.create(name="Jugendliche", slug="jugendliche")

    def offer(name, kind, topic, group, places, active=True):
        item = Offer.objects.create(
            name=name,
            organisation=make_organisation(f"Träger {name}"),
            kind=kind,
            topic=topic,
            target_group=group,
            active=active,
        )
        item.municipalities.set(places)
        return item

    def need(title, topic, group, places, status=Need.Status.NEW):
        item = Need.objects.create(title=title, description=title, topic=topic, target_group=group, status=status)
        item.municipalities.set(places)
        return item

    o = {
        1: offer("O1", "counselling", counselling_topic, women, [d, b]),
        2: offer("O2", "counselling", counselling_topic, women, [d]),
        3: offer("O3", "counselling", counselling_topic, None, [d]),
        4: offer("O4", "course", language, None, [b, w]),
        5: offer("O5", "course", language, None, [b]),
        6: offer("O6", "group", language, None, [b]),
        7: offer("O7", "counselling", counselling_topic, women, [b], active=False),
    }
    n = {
        1: need("N1", counselling_topic, women, [d, w]),
        2: need("N2", counselling_topic, youth, [b], Need.Status.IN_REVIEW),
        3: need("N3", language, youth, [b]),
        4: need("N4", counselling_topic, None, [d]),
        5: need("N5", counselling_topic, None, [b], Need.Status.MEASURE_PLANNED),
        6: need("N6", language, women, [w], Need.Status.MET),
        7: need("N7", language, None, [w], Need.Status.REJECTED),
        8: need("N8", language, women, [d]),
    }
    return {
        "d": d,
        "b": b,
        "w": w,
        "counselling": counselling_topic,
        "language": language,
        "women": women,
        "o": o,
        "n": n,
    }


def test_hand_computed_gaps_and_overlaps(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        result = coverage(Need.objects.all(), Offer.objects.all())
    d, b, w, o, n = world["d"], world["b"], world["w"], world["o"], world["n"]
    counselling, language = world["counselling"], world["language"]
    gaps = {(gap.municipality.name, gap.topic.name, gap.need.title) for gap in result.gaps}
    assert gaps == {
        ("Weiterstadt", "Beratung", "N1"),  # no counselling offer in Weiterstadt at all
        ("Babenhausen", "Beratung", "N2"),  # only an offer for women there; O7 is no longer offered
        ("Babenhausen", "Beratung", "N5"),  # a need of everyone is not covered by an offer for women only
        ("Dieburg", "Sprache", "N8"),  # no language offer in Dieburg
    }
    overlaps = {
        (
            overlap.municipality.name,
            overlap.topic.name,
            overlap.kind,
            str(overlap.target_group or ""),
            frozenset(offer.name for offer in overlap.offers),
        )
        for overlap in result.overlaps
    }
    assert overlaps == {
        ("Dieburg", "Beratung", "counselling", "Frauen", frozenset({"O1", "O2"})),
        ("Babenhausen", "Sprache", "course", "", frozenset({"O4", "O5"})),
    }
    assert [m.name for m in result.municipalities] == ["Babenhausen", "Dieburg", "Weiterstadt"]
    assert [t.name for t in result.topics] == ["Beratung", "Sprache"]
    cell = result.cells[(d.pk, counselling.pk)]
    assert sorted(x.title for x in cell.needs) == ["N1", "N4"]
    assert sorted(x.name for x in cell.offers) == ["O1", "O2", "O3"]
    assert not cell.gaps and len(cell.overlaps) == 1
    assert (w.pk, language.pk) in result.cells  # O4 is offered there, and the met need N6 is not counted
    assert result.cells[(w.pk, language.pk)].needs == []
    assert o[7] not in result.cells[(b.pk, counselling.pk)].offers
    assert n[3] in result.cells[(b.pk, language.pk)].needs and not result.cells[(b.pk, language.pk)].gaps


def test_coverage_page_shows_the_same(client, office_user, world):
    client.force_login(office_user)
    page = client.get(reverse("needs:coverage")).content.decode()
    assert page.count('class="cell-gap') == 3  # cells: Weiterstadt×Beratung, Babenhausen×Beratung, Dieburg×Sprache
    assert page.count("cell-overlap") >= 2
    for title in ("N1", "N2", "N5", "N8"):
        assert f">{title}</a>" in page
    assert ">N3</a>" not in page
