"""Template helpers of the portal: JSON-LD, the language switch and the office's text pages."""

import json
from html import escape

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from register.absolute import page_url_maker
from register.translations import offered_languages, translated

register = template.Library()


@register.simple_tag
def cached_site():
    """The site identity if the cache holds it, else None; never a query (error pages)."""
    from register.models import SiteIdentity

    try:
        return SiteIdentity.cached()
    except Exception:  # the error page renders when the cache server (Redis) does not answer either
        return None


# Characters that could end the script element or start markup inside it.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("pagination.html", takes_context=True)
def pagination(context, page, label):
    """Links to the pages of a list (``page``, a Django Page): previous, the numbers around this one
    and at both ends, next; the request's other parameters stay in the links."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "label": label,
        "query": query.urlencode(),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }


@register.simple_tag
def json_ld(data):
    """A <script type="application/ld+json"> element with the data, safe inside HTML."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def language_urls(context):
    """[(code, name in its own language, URL of this page in that language, is current)] for the switch."""
    request = context.get("request")
    current = translation.get_language()
    path = request.path if request else "/"
    query = request.META.get("QUERY_STRING", "") if request else ""
    # Only the languages the office offers (site identity; the page's own, already read, else the cache).
    offered = offered_languages(context.get("site"))
    links = []
    for code, name in settings.LANGUAGES:
        if code not in offered:
            continue
        url = _path_in(code, request, path)
        if url == path and code != current:
            # A page that does not exist has no translation: offer the home page in that language.
            with translation.override(code):
                url = reverse("portal:home")
        if query:
            url = f"{url}?{query}"
        # settings.LANGUAGES names each language in itself: a language the office adds there appears here.
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def _path_in(code, request, path):
    """The path of this page in another language: the page's own URL name reversed in that language
    (what ``translate_url`` does, without resolving the path again for every language)."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # an error page: nothing resolved
        return translate_url(path, code)
    with translation.override(code):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path


@register.filter
def text_blocks(text):
    """Split a page's plain text into blocks: ("h2", text), ("ul", [items]) or ("p", [lines])."""
    blocks = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in paragraph.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            blocks.append(("h2", lines[0][3:].strip()))
        elif all(line.startswith("- ") for line in lines):
            blocks.append(("ul", [line[2:].strip() for line in lines]))
        else:
            blocks.append(("p", lines))
    return blocks


class MarkingUntranslatedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        from register.translations import collecting_untranslated

        with collecting_untranslated() as untranslated:
            content = self.nodelist.render(context)
        if not untranslated:
            return content
        note = render_to_string("portal/_untranslated_note.html", request=context.get("request"))
        # Right under the page's heading: what the page is comes first, then how it is written.
        head, heading_end, rest = content.partition("</h1>")
        return head + heading_end + note + rest if heading_end else note + content


@register.tag
def marking_untranslated(parser, token):
    """``{% marking_untranslated %}…{% endmarking_untranslated %}``: the content, and once under its
    heading a note when it shows texts in German for want of a translation (``lang_attr`` notes them)."""
    nodelist = parser.parse(("endmarking_untranslated",))
    parser.delete_first_token()
    return MarkingUntranslatedNode(nodelist)


@register.filter
def short_name(network):
    """The network's short name, else its name, in the visitor's language (a ``Text``)."""
    return translated(network, "short_name") or translated(network, "name")


@register.filter
def network_links(networks):
    """Links to the networks by their short names, separated by commas; each network has ``url`` (set by
    the view with one ``reverse()`` for all). The same as a loop in the template, which took most of
    the search page's time for the hundreds of links of a common word."""
    from register.templatetags.translations import lang_attr

    links = []
    for network in networks:
        label = short_name(network)
        links.append(f'<a href="{escape(network.url)}"{lang_attr(label)}>{escape(label)}</a>')
    return mark_safe(", ".join(links))


@register.filter
def found_by(entry):
    """Why a search result was found: ``<br><span class="why">Found by: name “word” (for “query”); …</span>``.

    Written here rather than included as a template for each of the up to 80 results of a page (a fifth of
    the page's rendering); the words are marked with their language where it is not the page's."""
    if not entry.reasons:
        return ""
    parts = []
    for reason in entry.reasons:
        word = conditional_escape(in_language(reason["word"], reason["lang"]))
        part = gettext("%(where)s “%(word)s”") % {"where": conditional_escape(reason["where"]), "word": word}
        if reason["via"]:
            part += " (" + gettext("for “%(word)s”") % {"word": conditional_escape(reason["via"])} + ")"
        parts.append(part)
    label = gettext("Found by")  # not inside the f-string: xgettext (make messages) does not look there
    return mark_safe(f'<br><span class="why">{label}: {"; ".join(parts)}</span>')


@register.filter
def proper_name(name):
    """A proper name kept as written (an organisation's, a place's), marked German: ``<span lang="de">``."""
    return format_html('<span lang="de">{}</span>', name)


@register.filter
def in_language(text, language):
    """The text marked with its language where that is not the page's: ``<span lang="de">``."""
    if not language or language == translation.get_language():
        return text
    return format_html('<span lang="{}">{}</span>', language, text)


@register.simple_tag
def event_items(events):
    """The events of a list, each an ``<li>`` with its title, times and place. Written here rather than
    included as a template for each event, which formatted every time through the template engine (the
    list of events spent most of its time there); the URLs with one ``reverse()``."""
    from register.models import Event
    from register.templatetags.translations import lang_attr

    url_of = page_url_maker(Event)
    label = gettext("cancelled")  # not inside the f-string: xgettext (make messages) does not look there
    cancelled = f' <span class="tag">{escape(label)}</span>'
    items = []
    for event in events:
        start, end = timezone.localtime(event.start), timezone.localtime(event.end)
        title = translated(event, "title")
        when = (
            f'<time datetime="{start.isoformat()}">{escape(formats.date_format(start, "l"))}, '
            f"{escape(formats.date_format(start, 'DATE_FORMAT'))}, {escape(formats.time_format(start, 'TIME_FORMAT'))}"
            f'</time>–<time datetime="{end.isoformat()}">{escape(formats.time_format(end, "TIME_FORMAT"))}</time>'
        )
        where = f'<span class="event-where" lang="de">{escape(str(event.location))}</span>' if event.location else ""
        items.append(
            f'<li data-event-start="{start.isoformat()}" data-event-end="{end.isoformat()}">\n'
            f'  <a href="{escape(url_of(event.slug))}"{lang_attr(title)}>{escape(title)}</a>'
            f"{cancelled if event.cancelled else ''}\n"
            f'  <span class="event-when">{when}</span>{where}\n</li>\n'
        )
    return mark_safe("".join(items))


@register.simple_tag
def network_cards(networks, heading="h2", with_hosts=True):
    """Cards of networks (``<li>``): name (a ``heading``), kind, purpose and, ``with_hosts``, the hosts (their
    names in ``host_names``: ``portal.views.attach_host_names``). Written here rather than as a loop in the
    template, which took most of the directory's time."""
    from register.models import Network
    from register.templatetags.translations import lang_attr

    url_of = page_url_maker(Network)
    cards = []
    for network in networks:
        name, purpose = translated(network, "name"), translated(network, "purpose")
        hosts = network.host_names if with_hosts else []
        link = f'<a href="{escape(url_of(network.slug))}"{lang_attr(name)}>{escape(name)}</a>'
        card = [
            f'<li class="card">\n    <{heading}>{link}</{heading}>',
            f'    <p class="kind">{escape(str(network.get_classification_display()))}</p>',
        ]
        if purpose:
            card.append(f"    <p{lang_attr(purpose)}>{escape(purpose)}</p>")
        if hosts:
            names = ", ".join(f'<span lang="de">{escape(name)}</span>' for name in hosts)
            label = ngettext("Host:", "Hosts:", len(hosts))  # outside the f-string, where xgettext looks
            card.append(f'    <p class="hosts">{escape(label)} {names}</p>')
        cards.append("\n".join(card) + "\n  </li>")
    return mark_safe("\n  ".join(cards))
