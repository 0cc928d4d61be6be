"""The map's figures, computed in the background and stored (``analysis.figures``)."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from analysis import figures
from analysis.graph import MapFilters, build_graph
from analysis.models import FigureState, NodeFigure
from analysis.selection import bounded_map
from benchmarks.generate import generate
from register import freshness
from register.models import Membership, Network, Organisation

FIGURES = ("degree", "betweenness", "component", "cluster")


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def committed(demo):
    """The demo as if committed: its own change notes (which never run inside a test's transaction) dropped."""
    connection.run_on_commit[:] = [entry for entry in connection.run_on_commit if entry[1] is not figures._note_change]
    return demo


def on_request():
    """The figures as the map computed them on every request before they were stored."""
    graph = build_graph(MapFilters())
    return {node: tuple(data[name] for name in FIGURES) for node, data in graph.nodes(data=True)}, graph.graph


def assert_stored_as_on_request():
    expected, whole = on_request()
    stored = {
        node: (degree, round(betweenness, 4), component, cluster)
        for node, degree, betweenness, component, cluster in NodeFigure.objects.values_list("node", *FIGURES)
    }
    assert stored == expected
    # The map of the whole register shows the same figures, computed nowhere but in the background.
    selection = bounded_map(MapFilters())
    shown = {node: tuple(data[name] for name in FIGURES) for node, data in selection.graph.nodes(data=True)}
    assert shown == expected
    for key in ("components", "clusters", "betweenness_samples"):
        assert selection.graph.graph[key] == whole[key]
    assert selection.graph.graph["figures_current"] is True


def test_stored_figures_equal_the_computation_on_request_on_the_demo(demo):
    # load_demo stores them at once.
    assert FigureState.objects.get().current
    assert NodeFigure.objects.count() == 77
    assert_stored_as_on_request()


def test_stored_figures_equal_the_computation_on_request_at_tiny_scale(demo):
    counts = generate("tiny", seed=7, out=io.StringIO())
    assert counts["map nodes"] == NodeFigure.objects.count() > 77
    assert_stored_as_on_request()


def test_a_change_recomputes_the_figures_once_it_is_committed(committed, django_capture_on_commit_callbacks):
    before = FigureState.objects.get().computed_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        network = Network.objects.create(name="Runder Tisch Sprache", slug="runder-tisch-sprache")
        for number in range(5):
            organisation = Organisation.objects.create(name=f"Sprachtreff {number}", slug=f"sprachtreff-{number}")
            Membership.objects.create(network=network, organisation=organisation)
    # Eleven changes in one transaction: one callback, one recomputation (the immediate backend runs it).
    assert [callback for callback in callbacks if callback is figures._note_change] == [figures._note_change]
    state = FigureState.objects.get()
    assert state.computed_at > before and state.current and state.queued_until is None
    assert NodeFigure.objects.get(node=f"n{network.pk}").degree == 5
    assert_stored_as_on_request()


def test_changes_while_a_recomputation_is_queued_join_it(committed, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(figures, "_queue", lambda now, real=figures._queue: queued.append(now) or real(now))
    later = timezone.now() + datetime.timedelta(seconds=figures.DEBOUNCE_SECONDS)
    FigureState.objects.filter(pk=1).update(queued_until=later)
    computed = FigureState.objects.get().computed_at
    for number in range(3):  # three transactions, each committed
        Organisation.objects.create(name=f"Verein {number}", slug=f"neuer-verein-{number}")
        notes = [entry for entry in connection.run_on_commit if entry[1] is figures._note_change]
        assert len(notes) == 1
        connection.run_on_commit.remove(notes[0])
        figures._note_change()
    # Each commit notes its change, but the queued recomputation takes them all: none runs now.
    assert len(queued) == 3
    state = FigureState.objects.get()
    assert state.computed_at == computed and state.queued_until == later
    assert not state.current
    new = Organisation.objects.filter(slug__startswith="neuer-verein-").values_list("pk", flat=True)
    assert not NodeFigure.objects.filter(node__in=[f"o{pk}" for pk in new]).exists()
    # Once that time has passed, the next change queues one again.
    FigureState.objects.filter(pk=1).update(queued_until=timezone.now() - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.create(name="Verein 4", slug="neuer-verein-4")
    assert FigureState.objects.get().current


def test_a_new_text_the_map_does_not_draw_leaves_the_figures_current(committed, django_capture_on_commit_callbacks):
    state = FigureState.objects.get()
    network = Network.objects.get(slug="mila")
    organisation = Organisation.objects.filter(memberships__network=network).first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        network.purpose += " Neu gefasst."
        network.save()
        organisation.description = "Beratung in vielen Sprachen."
        organisation.locality = "Dieburg"
        organisation.save()
        Network.objects.get(pk=network.pk).save()  # saved as it is: nothing changed
    assert figures._note_change not in callbacks
    assert FigureState.objects.get() == state and FigureState.objects.get().changed_at == state.changed_at
    # What the map draws still counts: a unit moved under another organisation.
    other = Organisation.objects.exclude(pk=organisation.pk).filter(parent__isnull=True).first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        organisation.parent = other
        organisation.save()
    assert figures._note_change in callbacks
    assert FigureState.objects.get().computed_at > state.computed_at


def test_the_map_says_when_its_figures_are_older_than_the_data(client, committed, django_capture_on_commit_callbacks):
    FigureState.objects.filter(pk=1).update(queued_until=timezone.now() + datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(network__slug="mila").first().delete()
    page = client.get(url("analysis:map"))
    html = page.content.decode()
    assert 'id="figures-note"' in html
    assert "Figures as of " in html and ", being updated." in html
    data = client.get(url("analysis:map_data")).json()
    assert data["figures_note"].startswith("Figures as of ")
    assert data["figures_current"] is False
    # German as well.
    assert "Kennzahlen vom " in client.get(url("analysis:map", "de")).content.decode()
    figures.compute()
    assert 'id="figures-note"' not in client.get(url("analysis:map")).content.decode()
    assert "figures_note" not in client.get(url("analysis:map_data")).json()


def test_storing_the_figures_renews_the_token_of_cached_pages(demo, django_capture_on_commit_callbacks):
    # The demo as if committed: its own renewal (which never runs inside a test's transaction) dropped.
    connection.run_on_commit[:] = [
        entry for entry in connection.run_on_commit if not isinstance(entry[1], freshness._Pending)
    ]
    before = freshness.data_version()
    tag = freshness.versions([freshness.MAP_FIGURES])
    with django_capture_on_commit_callbacks(execute=True):
        figures.compute()
    assert freshness.data_version() != before
    assert freshness.versions([freshness.MAP_FIGURES]) != tag  # the map's tag: cached maps show the new figures


def test_before_the_first_computation_the_map_says_the_figures_are_coming(client, demo):
    NodeFigure.objects.all().delete()
    FigureState.objects.all().delete()
    data = client.get(url("analysis:map_data")).json()
    assert data["figures_note"] == "The broker scores and clusters are being computed; until then they are missing."
    assert {node["data"]["betweenness"] for node in data["nodes"]} == {0.0}
    assert figures.compute_if_missing() is True
    assert figures.compute_if_missing() is False
    assert "figures_note" not in client.get(url("analysis:map_data")).json()


def test_figures_of_a_filtered_map_are_those_of_the_whole_register(demo):
    whole = build_graph(MapFilters())
    mila = Network.objects.get(slug="mila")
    selection = bounded_map(MapFilters(networks=(mila.pk,)))
    graph = selection.graph
    for node, data in graph.nodes(data=True):
        assert data["betweenness"] == whole.nodes[node]["betweenness"]
        assert data["degree"] == graph.degree(node)  # the links drawn
    # Clusters are numbered on the map, largest first; nodes of one stored cluster share a number.
    numbers = {data["cluster"] for _node, data in graph.nodes(data=True)}
    assert numbers == set(range(1, graph.graph["clusters"] + 1))
    for first, second in [(a, b) for a in graph for b in graph]:
        if whole.nodes[first]["cluster"] == whole.nodes[second]["cluster"]:
            assert graph.nodes[first]["cluster"] == graph.nodes[second]["cluster"]


@pytest.mark.parametrize("query", [{}, {"networks": ["mila"]}, {"ego": "frauen-helfen-frauen-ev"}])
def test_the_map_takes_the_same_number_of_queries_whatever_the_size(client, demo, query):
    client.get(url("analysis:map_data"))

    def counted(name):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url(name), query).status_code == 200
        return len(context), len([q for q in context.captured_queries if '"analysis_' in q["sql"]])

    before = counted("analysis:map"), counted("analysis:map_data")
    assert before[0][1] == before[1][1] == 2  # the state and the figures of the nodes on the map
    generate("tiny", seed=7, out=io.StringIO())
    assert (counted("analysis:map"), counted("analysis:map_data")) == before
