"""Template helpers of the analyses."""

from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.html import conditional_escape
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
    60 µs a row (this a fifth of that): a third of the map page's rendering at the county's 76 nodes."""
    # The link to a node's ego network, around its slug.
    ego = (
        f'<br><a class="ego-link" href="{conditional_escape(map_url)}?ego=',
        f'">{conditional_escape(ego_label)}</a>',
    )
    return mark_safe("".join(_table_row(row, ego, cooperation) for row in rows))


def _table_row(row, ego, cooperation):
    name = escape(row["name"])
    if row.get("url"):
        name = f'<a href="{escape(row["url"])}">{name}</a>'
    cells = [
        f'<th scope="row"><span lang="{escape(row.get("lang") or "de")}">{name}</span>'
        f"{ego[0] + escape(row['slug']) + ego[1] if row['kind'] == 'organisation' else ''}</th>",
        f"<td>{escape(row['category_label'])}</td>",
        f'<td lang="de">{escape(row["municipality"] or "–")}</td>',
        f"<td>{escape(str(row['degree']))}</td>",
        f'<td lang="de">{escape("; ".join(row["neighbours"]) or "–")}</td>',
    ]
    if cooperation:
        partners = [
            f'<span lang="de">{escape(partner["name"])}</span> ({escape(partner["frequency_label"])}'
            + (f': <span lang="de">{escape(partner["topics"])}</span>' if partner["topics"] else "")
            + ")"
            for partner in row["partners"]
        ]
        cells.append(f"<td>{'; '.join(partners) or '–'}</td>")
    cells += [f"<td>{floatformat(row['betweenness'], 3)}</td>", f"<td>{escape(str(row['cluster']))}</td>"]
    return f'\n    <tr id="node-{escape(row["id"])}">\n      ' + "\n      ".join(cells) + "\n    </tr>"
