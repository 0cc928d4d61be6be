"""The demo's public pages in another language show no German in their main content (issue 24),
except proper names – of organisations, authorities, places and the office – which are marked German.

A word counts as German if it is a word of the German the site holds (the demo's texts that staff
write, the German catalogues) and no word of the language read (its catalogues' source, the demo's
translations into it), or if it has a German letter (ä, ö, ü, ß). A second language is one more line
in ``LANGUAGES`` once its demo translations (``importing/data/translations/<code>.json``) exist.
"""

import gettext
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from register.models import (
    Body,
    Event,
    Location,
    Membership,
    Municipality,
    Network,
    NetworkHost,
    Organisation,
    OrganisationAlias,
    SiteIdentity,
)
from register.translations import fields_of, translatable_models

ROOT = Path(__file__).resolve().parents[2]
DEMO_TRANSLATIONS = ROOT / "importing" / "data" / "translations"
WORD = re.compile(r"[^\W\d_]+")
# Letters that only German writes, per language (Turkish writes ö and ü itself).
GERMAN_LETTERS = {"en": re.compile("[äöüß]"), "tr": re.compile("[äß]")}

# language: words of its own that are also German words (checked by hand, each a word of that language).
LANGUAGES = {
    "en": {"so", "man", "die", "also", "hand", "name", "art", "fast", "bald", "rat", "gift", "was", "will"},
    "tr": set(),
}
# Words of German origin that the English texts keep as names: the county's short name and the
# programme of the county (named in the translations in brackets beside their English name).
PROPER_WORDS = {"ladadi", "wir", "hgo", "hmsi", "mila", "mige", "kab", "vielfaltszentrum"}
# Official German names the translations keep in brackets after their own words, so that residents
# recognise the body and the law in letters from the authorities ("İlçe Yabancılar Meclisi (Kreisausländerbeirat)").
PROPER_WORDS |= {"kreisausländerbeirat", "ausländerbeirat", "ausländergesetz"}

# Texts in German on purpose: the link to the question form in Leichte Sprache (plain German) is named
# in the language of the page it leads to, as the language switch names each language in itself.
PROPER_TEXTS = {"Eine Frage stellen in Leichter Sprache"}

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class MainText(HTMLParser):
    """The words of <main>, without the text of elements marked German whose whole text is a proper name."""

    def __init__(self, proper_names):
        super().__init__(convert_charrefs=True)
        self.proper_names = proper_names
        self.stack = []  # (tag, lang, [texts])
        self.inside = False
        self.words = []
        self.marked = []  # German texts marked lang="de" that are no proper name

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.inside = True
        if self.inside and tag not in VOID:
            self.stack.append((tag, attrs.get("lang"), []))

    def handle_endtag(self, tag):
        if not self.inside or not self.stack:
            return
        while self.stack:
            name, lang, texts = self.stack.pop()
            text = " ".join(" ".join(texts).split())
            if lang in ("de", "de-x-ls") and text in self.proper_names:
                text = ""
            elif lang == "de" and text:
                self.marked.append(text)
            if self.stack:
                self.stack[-1][2].append(text)
            else:
                self.words.extend(WORD.findall(text))
            if name == tag:
                break
        if tag == "main":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.stack and self.stack[-1][0] not in {"script", "style"}:
            self.stack[-1][2].append(data)


def catalogue_words(language, source):
    """Words of the msgstrs (``source=False``) or msgids (``source=True``) of a language's catalogues."""
    found = set()
    for path in ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.mo"):
        with path.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)._catalog
        for key, value in catalogue.items():
            text = (key[0] if isinstance(key, tuple) else key) if source else value
            found.update(word.casefold() for word in WORD.findall(text.split("\x04")[-1]))
    return found


def demo_german_words():
    """Words of the German texts staff wrote (the demo's); the members' labels are names, left out."""
    found = set()
    for model in translatable_models():
        if model is Membership:
            continue
        for row in model.objects.values_list(*fields_of(model)):
            for text in row:
                found.update(word.casefold() for word in WORD.findall(text or ""))
    return found


def proper_names():
    """The names the pages keep as written: organisations (alone and with those above them),
    authorities, places, the office."""
    names = set()
    for organisation in Organisation.objects.all():
        names.update({organisation.name, organisation.full_name, organisation.short_name})
    names.update(OrganisationAlias.objects.values_list("name", flat=True))
    names.update(Body.objects.values_list("name", flat=True))
    for host in NetworkHost.objects.select_related("body"):
        names.add(str(host))
    names.update(Municipality.objects.values_list("name", flat=True))
    for location in Location.objects.all():
        names.update({str(location), location.name, location.room, location.street_address, location.locality})
        names.add(f"{location.postal_code} {location.locality}")
    identity = SiteIdentity.objects.filter(pk=1).first()
    if identity:
        names.update({identity.office_name, identity.body_name, identity.name_with_body})
    return {" ".join(name.split()) for name in names if name} | PROPER_TEXTS


def german_words(language):
    # English is the catalogues' source language: its words are the msgids.
    own = catalogue_words("de", source=True) if language == "en" else catalogue_words(language, source=False)
    own |= LANGUAGES[language]
    memory = json.loads((DEMO_TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
    for text in memory.values():
        own.update(word.casefold() for word in WORD.findall(text))
    german = (demo_german_words() | catalogue_words("de", source=False)) - own - PROPER_WORDS
    return german


def is_german(word, german, language="en"):
    word = word.casefold()
    return word not in PROPER_WORDS and (word in german or bool(GERMAN_LETTERS[language].search(word)))


def pages(language):
    """The demo's public pages: home, directory, every network, the organisations, events, a search."""
    prefix = f"/{language}"
    urls = [f"{prefix}/", f"{prefix}/netzwerke/", f"{prefix}/veranstaltungen/", f"{prefix}/suche/?q=health"]
    urls += [f"{prefix}{network.get_absolute_url()}" for network in Network.objects.order_by("pk")]
    urls += [f"{prefix}{event.get_absolute_url()}" for event in Event.objects.filter(is_public=True)]
    urls += [f"{prefix}{org.get_absolute_url()}" for org in Organisation.objects.order_by("pk")[:12]]
    return urls


def share(client, url, german, names, language="en"):
    """(German words, all words) of a page's main content, proper names left out."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = MainText(names)
    parser.feed(response.content.decode())
    found = [word for word in parser.words if is_german(word, german, language)]
    return found, parser.words, response


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_public_pages_show_no_german_but_proper_names(client, demo, language):
    german, names = german_words(language), proper_names()
    problems = {}
    for url in pages(language):
        found, _words, response = share(client, url, german, names, language)
        if found:
            problems[url] = sorted(set(found))
        html = response.content.decode()
        if 'class="hint untranslated-note"' in html:
            problems.setdefault(url, []).append("(the note that texts are not translated)")
        placeholders = re.findall(r'placeholder="([^"]*)"', html)
        words = [word for text in placeholders for word in WORD.findall(text)]
        if found := [word for word in words if is_german(word, german, language)]:
            problems.setdefault(url, []).append(f"(placeholder: {found})")
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
