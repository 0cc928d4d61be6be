"""Reads a page in the format of the county's "Netzwerkarbeit" page into sections and lists.

The format: a title line, an introduction, then one section per network – a heading, paragraphs,
and lists whose items start with "- ". A list is introduced by a line that says what it holds
("Mitglieder des Arbeitskreises:", "Arbeitsschwerpunkte sind:", "… werden die Kommunen").
Every problem is reported with its line number; nothing is guessed.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

LIST_MARKERS = ("- ", "– ", "• ", "* ")
SENTENCE_END = (".", ":", "!", "?", ";", ",")
# A sentence glued to the next one without a space: "…Darmstadt-Dieburg.Kreisausländerbeirat".
GLUED = re.compile(r"(?<=[a-zäöüß]{2})\.(?=[A-ZÄÖÜ][a-zäöüß])")
LIST_KINDS = [
    ("members", re.compile(r"^Mitglieder\b")),
    ("focus", re.compile(r"\b(Arbeits)?[Ss]chwerpunkte\b")),
    ("municipalities", re.compile(r"\b(Kommunen|Gemeinden|Städte)\b")),
]
MAX_HEADING_WORDS = 12


class PageError(Exception):
    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(_("Line %(line)s: %(message)s") % {"line": line, "message": message} if line else message)


@dataclass
class Item:
    line: int
    text: str


@dataclass
class PageList:
    kind: str
    line: int
    intro: str
    items: list = field(default_factory=list)


@dataclass
class Section:
    heading: str
    line: int
    paragraphs: list = field(default_factory=list)  # [(line, text)]
    lists: list = field(default_factory=list)

    def list_of(self, kind):
        return next((page_list for page_list in self.lists if page_list.kind == kind), None)

    @property
    def text(self):
        return "\n\n".join(text for _line, text in self.paragraphs)


@dataclass
class Page:
    title: Section
    sections: list


def decode(data):
    """Text of the file; a byte sequence that is not UTF-8 is reported with its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raise PageError(
                    number, _("the file is not UTF-8 encoded text. Save it as UTF-8 and try again.")
                ) from None
        raise


def split_lines(text):
    """Lines with their numbers; a heading glued to the end of a sentence becomes a line of its own."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [] if is_item(line) else GLUED.split(line)
        if len(parts) > 1 and looks_like_heading(parts[-1]):
            lines.append((number, ".".join(parts[:-1]) + "."))
            lines.append((number, parts[-1]))
        else:
            lines.append((number, line))
    return lines


def is_item(line):
    return line.startswith(LIST_MARKERS)


def looks_like_heading(text):
    return (
        not text.endswith(SENTENCE_END)
        and not is_item(text)
        and text[:1].isupper()
        and len(text.split()) <= MAX_HEADING_WORDS
    )


def join_items(items):
    names = [item.text for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


def list_kind(intro, line):
    for kind, pattern in LIST_KINDS:
        if pattern.search(intro):
            return kind
    raise PageError(
        line,
        _(
            "cannot tell what the list after “%(intro)s” holds. Introduce it with “Mitglieder …:”, "
            "“Arbeitsschwerpunkte …:” or “… die Kommunen”."
        )
        % {"intro": intro},
    )


def parse(data):
    """Parse the bytes of a page. Raises PageError naming the line of the first problem."""
    text = decode(data)
    lines = split_lines(text)
    if not lines:
        raise PageError(None, _("The file is empty."))
    title_line, title = lines[0]
    if is_item(title):
        raise PageError(title_line, _("the page must start with its title, not with a list item."))
    page = Page(title=Section(heading=title, line=title_line), sections=[])
    current = page.title
    open_list = None
    for index, (number, line) in enumerate(lines[1:], start=1):
        following = lines[index + 1][1] if index + 1 < len(lines) else None
        if is_item(line):
            if open_list is None:
                raise PageError(number, _("a list item without a line that introduces the list."))
            open_list.items.append(Item(number, line[2:].strip()))
            continue
        if open_list is not None and not open_list.items:
            raise PageError(open_list.line, _("the list introduced here has no items."))
        if open_list is not None and not open_list.intro.endswith(":") and line[:1].islower():
            # "… werden die Kommunen" - list - "durch das Projekt gefördert.": one sentence.
            intro_line, intro = current.paragraphs.pop()
            current.paragraphs.append((intro_line, f"{intro} {join_items(open_list.items)} {line}"))
            open_list = None
            continue
        open_list = None
        if looks_like_heading(line) and following is not None and not is_item(following):
            current = Section(heading=line, line=number)
            page.sections.append(current)
        elif line.endswith(":") or (following is not None and is_item(following)):
            kind = list_kind(line, number)
            if current is page.title:
                raise PageError(number, _("this list comes before the first network heading; which network is it for?"))
            if current.list_of(kind):
                raise PageError(
                    number,
                    _(
                        "a second list of this kind in “%(network)s”. "
                        "Is the heading of a network missing before this line?"
                    )
                    % {"network": current.heading},
                )
            open_list = PageList(kind=kind, line=number, intro=line)
            current.lists.append(open_list)
            if not line.endswith(":"):
                current.paragraphs.append((number, line))
        else:
            current.paragraphs.append((number, line))
    if open_list is not None and not open_list.items:
        raise PageError(open_list.line, _("the list introduced here has no items."))
    if not page.sections:
        raise PageError(None, _("No network heading found. Each network starts with its name on a line of its own."))
    return page
