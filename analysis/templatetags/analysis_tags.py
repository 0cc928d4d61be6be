"""Template helpers of the analyses."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def percent(value):
    """A fraction as a percentage with one decimal, in the number format of the current language."""
    return f"{number_format(round(float(value) * 100, 1), decimal_pos=1)}\u00a0%"


@register.simple_tag
def map_table_rows(rows, map_url, ego_label, cooperation):
    """The rows of the map's table (``drawing.table_rows``): each node, its links, its figures and, for the
    office, its cooperation partners. Written here rather than as a loop in the template, which took about
    85 µs a row: a third of the map page's rendering at the county's 76 nodes, 40 ms at ``NODE_LIMIT``."""
    return mark_safe("".join(_table_row(row, map_url, ego_label, cooperation) for row in rows))


def _table_row(row, map_url, ego_label, cooperation):
    name = format_html('<a href="{}">{}</a>', row["url"], row["name"]) if row.get("url") else escape(row["name"])
    ego = (
        format_html('<br><a class="ego-link" href="{}?ego={}">{}</a>', map_url, row["slug"], ego_label)
        if row["kind"] == "organisation"
        else ""
    )
    cells = [
        format_html('<th scope="row"><span lang="{}">{}</span>{}</th>', row.get("lang") or "de", name, ego),
        format_html("<td>{}</td>", row["category_label"]),
        format_html('<td lang="de">{}</td>', row["municipality"] or "–"),
        format_html("<td>{}</td>", row["degree"]),
        format_html('<td lang="de">{}</td>', "; ".join(row["neighbours"]) or "–"),
    ]
    if cooperation:
        partners = [
            format_html(
                '<span lang="de">{}</span> ({}{})',
                partner["name"],
                partner["frequency_label"],
                format_html(': <span lang="de">{}</span>', partner["topics"]) if partner["topics"] else "",
            )
            for partner in row["partners"]
        ]
        cells.append(format_html("<td>{}</td>", mark_safe("; ".join(partners)) if partners else "–"))
    cells += [
        format_html("<td>{}</td>", floatformat(row["betweenness"], 3)),
        format_html("<td>{}</td>", row["cluster"]),
    ]
    return format_html('\n    <tr id="node-{}">\n      {}\n    </tr>', row["id"], mark_safe("\n      ".join(cells)))
