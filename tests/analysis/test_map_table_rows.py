"""The rows of the map's table are written in Python (``analysis_tags.map_table_rows``): they say what the
template loop they replace said, for every kind of node, with and without the office's cooperation column."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

# The loop the map page had, kept here as the reference.
LOOP = """{% load i18n %}{% for row in rows %}
    <tr id="node-{{ row.id }}">
      <th scope="row"><span lang="{{ row.lang|default:'de' }}">{% if row.url %}<a href="{{ row.url }}">{{ row.name }}</a>{% else %}{{ row.name }}{% endif %}</span>{% if row.kind == "organisation" %}<br><a class="ego-link" href="{{ map_url }}?ego={{ row.slug }}">{{ ego_label }}</a>{% endif %}</th>
      <td>{{ row.category_label }}</td>
      <td lang="de">{{ row.municipality|default:"–" }}</td>
      <td>{{ row.degree }}</td>
      <td lang="de">{{ row.neighbours|join:"; "|default:"–" }}</td>
      {% if cooperation %}<td>{% for partner in row.partners %}{% if not forloop.first %}; {% endif %}<span lang="de">{{ partner.name }}</span> ({{ partner.frequency_label }}{% if partner.topics %}: <span lang="de">{{ partner.topics }}</span>{% endif %}){% empty %}–{% endfor %}</td>{% endif %}
      <td>{{ row.betweenness|floatformat:3 }}</td>
      <td>{{ row.cluster }}</td>
    </tr>
    {% endfor %}"""  # noqa: E501
TAG = "{% load analysis_tags %}{% map_table_rows rows map_url ego_label cooperation %}"

ROWS = [
    {
        "id": "n1",
        "kind": "network",
        "name": "Arbeitskreis <Migration> & Gesundheit",
        "lang": "en",
        "url": "/netzwerke/mige/",
        "slug": "mige",
        "category_label": "Arbeitskreis",
        "municipality": "",
        "degree": 2,
        "neighbours": ["Caritas & Co", "Diakonie"],
        "partners": [],
        "betweenness": 0.12345,
        "cluster": 1,
    },
    {
        "id": "o7",
        "kind": "organisation",
        "name": "Frauen helfen Frauen e.V.",
        "url": "/organisationen/frauen-helfen-frauen-ev/",
        "slug": "frauen-helfen-frauen-ev",
        "category_label": "Verein oder Initiative",
        "municipality": "Groß-Umstadt",
        "degree": 1,
        "neighbours": ["Arbeitskreis <Migration> & Gesundheit"],
        "partners": [
            {"name": "Diakonie", "frequency_label": "monatlich", "topics": "Wohnen; Arbeit"},
            {"name": "Caritas <Süd>", "frequency_label": "jährlich", "topics": ""},
        ],
        "betweenness": 0.0,
        "cluster": 2,
    },
    {
        "id": "g3",
        "kind": "actor_group",
        "name": "Integrationsbeauftragte",
        "url": "",
        "slug": "integrationsbeauftragte",
        "category_label": "Gruppe von Akteur*innen",
        "municipality": "",
        "degree": 0,
        "neighbours": [],
        "partners": [],
        "betweenness": 1,
        "cluster": 3,
    },
]


def normalised(html):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("cooperation", [None, {"edges": 1}], ids=["public", "office"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_rows_say_what_the_template_loop_said(cooperation, language):
    context = {"rows": ROWS, "map_url": "/analyse/", "ego_label": "ihr Ego-Netzwerk", "cooperation": cooperation}
    with translation.override(language):
        expected = Template(LOOP).render(Context(context))
        written = Template(TAG).render(Context(context))
    assert normalised(written) == normalised(expected)
    assert written.count("<tr ") == len(ROWS)
    assert '<a class="ego-link" href="/analyse/?ego=frauen-helfen-frauen-ev">ihr Ego-Netzwerk</a>' in written
    assert "&lt;Migration&gt; &amp; Gesundheit" in written and "<Migration>" not in written
    assert ("Wohnen; Arbeit" in written) == bool(cooperation)
