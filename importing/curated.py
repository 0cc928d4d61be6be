"""Facts of the county's page that its prose states, kept in data/curated.toml with their evidence."""

import datetime
import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from register.models import (
    Body,
    Category,
    Event,
    Location,
    Network,
    Organisation,
    Programme,
    ProgrammeSite,
    TargetGroup,
    Topic,
    unique_slug,
)

from .apply import Rules, save_if_changed

DATA_DIR = Path(__file__).resolve().parent / "data"
CURATED_PATH = DATA_DIR / "curated.toml"
SEED_PATH = DATA_DIR / "netzwerkarbeit.txt"
# Plain fields of a network that the curated data may set.
NETWORK_FIELDS = {
    "short_name", "purpose", "classification", "organization_type", "since_year", "history",
    "establishing_decision", "legal_basis", "advises", "convened_by", "administrative_support",
    "is_organ_of_body", "votes_in_committees", "open_to_public", "cadence", "contact_function",
    "seats_members", "seats_deputies", "composition",
}  # fmt: skip
# What the curated data may say about the place of an event.
LOCATION_FIELDS = ("street_address", "postal_code", "locality")
# "am 20.05.2026 von 17-19.30 Uhr": the date and times of an event, as the page writes them.
EVENT_DATE = re.compile(
    r"am (?P<date>\d{1,2}\.\d{1,2}\.\d{4}) von "
    r"(?P<start>\d{1,2}(?:[.:]\d{2})?)\s*[-–]\s*(?P<end>\d{1,2}(?:[.:]\d{2})?) Uhr"
)
BERLIN = ZoneInfo("Europe/Berlin")


class CuratedError(Exception):
    pass


def load(path=CURATED_PATH):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def section_text(page, section):
    return "\n".join([section.heading, section.text, page.title.text])


def missing_evidence(curated, page):
    """Facts whose evidence is not on the page: (network, fact, evidence)."""
    sections = {section.heading: section for section in page.sections}
    missing = []
    for heading, facts in curated.get("networks", {}).items():
        section = sections.get(heading)
        if section is None:
            missing.append((heading, "heading", heading))
            continue
        text = section_text(page, section)
        evidence = facts.get("evidence", {})
        for fact in facts:
            if fact == "evidence":
                continue
            words = evidence.get(fact)
            if not words or words not in text:
                missing.append((heading, fact, words))
    return missing


def ensure_bodies(curated, plan):
    bodies = {}
    for key, values in curated.get("bodies", {}).items():
        body = Body.objects.filter(ags=values["ags"]).first() or Body.objects.filter(name=values["name"]).first()
        if body is None:
            body = Body.objects.create(slug=unique_slug(Body, values["name"]), **values)
            plan.add("create", "body", body)
        else:
            save_if_changed(body, values, plan, "body")
        bodies[key] = body
    return bodies


def rules_from(curated, bodies):
    return Rules(
        categories=curated.get("organisations", {}),
        actor_group_patterns=curated.get("actor_groups", {}).get("patterns", []),
        anonymised=set(curated.get("anonymised", {}).get("entries", [])),
        bodies=bodies,
    )


def named(model, names):
    objects = []
    for name in names:
        obj = model.objects.filter(name=name).first() or model.objects.create(name=name, slug=unique_slug(model, name))
        objects.append(obj)
    return objects


def apply_network_facts(network, facts, section, bodies, plan):
    values = {name: value for name, value in facts.items() if name in NETWORK_FIELDS}
    save_if_changed(network, values, plan, "network", section.line)
    for position, (body_key, unit) in enumerate(facts.get("hosts", []), start=1):
        host = network.hosts.filter(body=bodies[body_key], unit=unit).first()
        if host is None:
            host = network.hosts.create(body=bodies[body_key], unit=unit, position=position)
            plan.add("create", "host", host, section.line)
    for field_name, model in [("topics", Topic), ("target_groups", TargetGroup)]:
        wanted = named(model, facts.get(field_name, []))
        manager = getattr(network, field_name)
        missing = [obj for obj in wanted if not manager.filter(pk=obj.pk).exists()]
        if missing:
            manager.add(*missing)
            plan.add("update", "network", network, section.line, field_name)
    for position, name in enumerate(facts.get("focus_areas", []), start=1):
        if not network.focus_areas.filter(name=name).exists():
            area = network.focus_areas.create(name=name, position=100 + position, source="curated")
            plan.add("create", "focus area", area, section.line)


def apply_programme(network, spec, section, plan):
    funder = Organisation.objects.filter(name=spec["funder"], parent=None).first()
    if funder is None:
        funder = Organisation.objects.create(
            name=spec["funder"],
            short_name=spec.get("funder_short_name", ""),
            slug=unique_slug(Organisation, spec["funder"]),
            category=Category.AUTHORITY,
            source="curated",
        )
        plan.add("create", "organisation", funder, section.line)
    programme = Programme.objects.filter(name=spec["name"]).first()
    values = {"funder": funder, "description": spec.get("description", ""), "network": network}
    if programme is None:
        programme = Programme.objects.create(name=spec["name"], **values)
        plan.add("create", "programme", programme, section.line)
    else:
        save_if_changed(programme, values, plan, "programme", section.line)
    sites = section.list_of("municipalities")
    for position, item in enumerate(sites.items if sites else [], start=1):
        site = programme.sites.filter(municipality__name=item.text).first()
        if site is None:
            site = ProgrammeSite.objects.create(
                programme=programme,
                municipality=programme.municipalities.model.objects.get(name=item.text),
                position=position,
                source=f"{SEED_PATH.name}:{item.line}",
            )
            plan.add("create", "funded municipality", site, item.line)


def parse_time(text):
    hour, _sep, minute = text.replace(":", ".").partition(".")
    return datetime.time(int(hour), int(minute or 0))


def apply_event(network, spec, section, plan):
    match = EVENT_DATE.search(section.text)
    if not match:
        raise CuratedError(_("No date of the form “am TT.MM.JJJJ von HH-HH.MM Uhr” in “%s”.") % section.heading)
    day_number, month, year = (int(part) for part in match["date"].split("."))
    day = datetime.date(year, month, day_number)
    start = datetime.datetime.combine(day, parse_time(match["start"]), BERLIN)
    end = datetime.datetime.combine(day, parse_time(match["end"]), BERLIN)
    location = Location.objects.filter(name=spec["location"]).first()
    address = {name: spec[name] for name in LOCATION_FIELDS if spec.get(name)}
    if location is None:
        location = Location.objects.create(name=spec["location"], **address)
        plan.add("create", "location", location, section.line)
    else:  # fill what is missing; what the office entered since stays
        missing = {name: value for name, value in address.items() if not getattr(location, name)}
        save_if_changed(location, missing, plan, "location", section.line)
    values = {
        "network": network,
        "start": start,
        "end": end,
        "location": location,
        "host": network.convened_by,
        "contact_function": network.contact_function,
        "is_public": True,
        "source": f"{SEED_PATH.name}:{section.line}",
    }
    event = Event.objects.filter(title=spec["title"]).first()
    if event is None:
        event = Event.objects.create(title=spec["title"], slug=unique_slug(Event, spec["title"]), **values)
        plan.add("create", "event", event, section.line)
    else:
        save_if_changed(event, values, plan, "event", section.line)


def apply_curated(curated, page, plan, bodies):
    """Apply the network facts whose evidence is on the page; report the others."""
    missing = {(heading, fact) for heading, fact, _words in missing_evidence(curated, page)}
    sections = {section.heading: section for section in page.sections}
    for heading, facts in curated.get("networks", {}).items():
        if (heading, "heading") in missing:
            plan.add("skip", "network", heading, None, _("not on the page"))
            continue
        section = sections[heading]
        network = Network.objects.get(name=heading)
        usable = {fact: value for fact, value in facts.items() if (heading, fact) not in missing}
        for fact in facts:
            if fact != "evidence" and (heading, fact) in missing:
                plan.add("skip", "fact", f"{heading}: {fact}", section.line, _("evidence not found on the page"))
        apply_network_facts(network, usable, section, bodies, plan)
        if "programme" in usable:
            apply_programme(network, usable["programme"], section, plan)
        if "event" in usable:
            apply_event(network, usable["event"], section, plan)
    apply_easy_language(curated, sections, missing, plan)


def apply_easy_language(curated, sections, missing, plan):
    """The office's summaries in Leichte Sprache, for the networks whose section is on the page."""
    for heading, text in curated.get("easy_language", {}).items():
        if heading not in sections or (heading, "heading") in missing:
            plan.add("skip", "network", heading, None, _("not on the page"))
            continue
        network = Network.objects.get(name=heading)
        save_if_changed(network, {"easy_language": text.strip()}, plan, "network", sections[heading].line)
