"""The map's filters are selects written in Python (``register.widgets.PlainSelect``): they offer the same
options as before and keep what the visitor chose."""

import re

from django.urls import reverse
from django.utils import translation


def select(html, name):
    found = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found, name
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', found.group(1))


def test_the_selects_offer_the_choices_and_keep_the_chosen_ones(client, demo):
    with translation.override("de"):
        path = reverse("analysis:map")
    html = client.get(path).content.decode()
    assert [value for value, selected, _label in select(html, "radius") if selected] == ["2"]
    assert select(html, "category")[0] == ("", " selected", "alle Kategorien")
    assert ("health", "", "Gesundheit") in select(html, "category")
    egos = select(html, "ego")
    assert ("frauen-helfen-frauen-ev", "", "Frauen helfen Frauen e.V.") in egos
    assert [label for _value, _selected, label in egos[1:]] == sorted(
        (label for _value, _selected, label in egos[1:]), key=str.casefold
    )
    assert len(select(html, "municipality")) > 1 and len(select(html, "focus_area")) > 1
    focus_area = select(html, "focus_area")[1][0]

    chosen = client.get(
        path, {"ego": "frauen-helfen-frauen-ev", "radius": "1", "category": "association", "focus_area": focus_area}
    ).content.decode()
    assert ("frauen-helfen-frauen-ev", " selected", "Frauen helfen Frauen e.V.") in select(chosen, "ego")
    assert [value for value, selected, _label in select(chosen, "radius") if selected] == ["1"]
    assert [value for value, selected, _label in select(chosen, "category") if selected] == ["association"]
    assert [value for value, selected, _label in select(chosen, "focus_area") if selected] == [focus_area]
