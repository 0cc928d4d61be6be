"""The rules of OParl 1.1 that the API tests check, written out here (from the 1.1.1 schema and text).

``Walker`` starts at the System object, follows every list (all pages) and every referenced URL, and
checks each object it meets: the required properties, the type of every property, no ``null`` and no
empty optional value, ``created`` and ``modified`` on every object, vendor extensions only with a
prefix, paging envelopes and links, and the CORS header on every answer. And the rules of the text:

* an embedded object carries no back-reference to the object it is embedded in (File ``meeting`` and
  ``agendaItem``, AgendaItem ``meeting``, Membership ``person``, LegislativeTerm ``body``: "only
  when the object is not embedded");
* with ``omit_internal`` the embedded lists are left out (Body ``legislativeTerm``, Person
  ``membership``, Meeting ``agendaItem`` and ``auxiliaryFile``, AgendaItem ``auxiliaryFile``);
* ``order`` of the agenda items of a meeting counts from 0 and rises;
* an object in a list of a body names that body (``body``);
* a File's ``accessUrl`` answers ``inline``, its ``downloadUrl`` ``attachment`` (2.7), both with CORS.
"""

import datetime
import re
from urllib.parse import parse_qsl, urlsplit

SCHEMA = "https://schema.oparl.org/1.1/"
URL, DATETIME, DATE, STRING, BOOLEAN, INTEGER, LIST, OBJECT = (
    "url",
    "date-time",
    "date",
    "string",
    "boolean",
    "integer",
    "external list",
    "object",
)


def array(item):
    return ("array", item)


def embedded(oparl_type):
    return ("embedded", oparl_type)


COMMON = {
    "id": URL,
    "type": STRING,
    "license": STRING,
    "keyword": array(STRING),
    "created": DATETIME,
    "modified": DATETIME,
    "web": URL,
    "deleted": BOOLEAN,
}

# type -> (required properties, properties and their types)
RULES = {
    "System": (
        {"id", "type", "oparlVersion", "body"},
        {
            "oparlVersion": STRING,
            "otherOparlVersions": array(URL),
            "license": URL,
            "body": LIST,
            "name": STRING,
            "contactEmail": STRING,
            "contactName": STRING,
            "website": URL,
            "vendor": URL,
            "product": URL,
        },
    ),
    "Body": (
        {
            "id",
            "type",
            "name",
            "organization",
            "person",
            "meeting",
            "paper",
            "legislativeTerm",
            "agendaItem",
            "consultation",
            "file",
            "locationList",
            "legislativeTermList",
            "membership",
        },
        {
            "system": URL,
            "shortName": STRING,
            "name": STRING,
            "website": URL,
            "license": URL,
            "licenseValidSince": DATETIME,
            "oparlSince": DATETIME,
            "ags": STRING,
            "rgs": STRING,
            "equivalent": array(URL),
            "contactEmail": STRING,
            "contactName": STRING,
            "organization": LIST,
            "person": LIST,
            "meeting": LIST,
            "paper": LIST,
            "legislativeTerm": array(embedded("LegislativeTerm")),
            "agendaItem": LIST,
            "consultation": LIST,
            "file": LIST,
            "locationList": LIST,
            "legislativeTermList": LIST,
            "membership": LIST,
            "classification": STRING,
            "location": embedded("Location"),
        },
    ),
    "Organization": (
        {"id", "type"},
        {
            "body": URL,
            "name": STRING,
            "membership": array(URL),
            "meeting": LIST,
            "consultation": LIST,
            "shortName": STRING,
            "post": array(STRING),
            "subOrganizationOf": URL,
            "organizationType": STRING,
            "classification": STRING,
            "startDate": DATE,
            "endDate": DATE,
            "website": URL,
            "location": embedded("Location"),
            "externalBody": URL,
        },
    ),
    "Person": (
        {"id", "type"},
        {
            "body": URL,
            "name": STRING,
            "familyName": STRING,
            "givenName": STRING,
            "formOfAddress": STRING,
            "affix": STRING,
            "title": array(STRING),
            "gender": STRING,
            "phone": array(STRING),
            "email": array(STRING),
            "location": URL,
            "locationObject": embedded("Location"),
            "status": array(STRING),
            "membership": array(embedded("Membership")),
            "life": STRING,
            "lifeSource": STRING,
        },
    ),
    "Membership": (
        {"id", "type"},
        {
            "person": URL,
            "organization": URL,
            "role": STRING,
            "votingRight": BOOLEAN,
            "startDate": DATE,
            "endDate": DATE,
            "onBehalfOf": URL,
        },
    ),
    "Meeting": (
        {"id", "type"},
        {
            "name": STRING,
            "meetingState": STRING,
            "cancelled": BOOLEAN,
            "start": DATETIME,
            "end": DATETIME,
            "location": embedded("Location"),
            "organization": array(URL),
            "participant": array(URL),
            "invitation": embedded("File"),
            "resultsProtocol": embedded("File"),
            "verbatimProtocol": embedded("File"),
            "auxiliaryFile": array(embedded("File")),
            "agendaItem": array(embedded("AgendaItem")),
        },
    ),
    "AgendaItem": (
        {"id", "type", "order"},
        {
            "meeting": URL,
            "number": STRING,
            "order": INTEGER,
            "name": STRING,
            "public": BOOLEAN,
            "consultation": URL,
            "result": STRING,
            "resolutionText": STRING,
            "resolutionFile": embedded("File"),
            "auxiliaryFile": array(embedded("File")),
            "start": DATETIME,
            "end": DATETIME,
        },
    ),
    "File": (
        {"id", "type", "accessUrl"},
        {
            "name": STRING,
            "fileName": STRING,
            "mimeType": STRING,
            "date": DATE,
            "size": INTEGER,
            "sha1Checksum": STRING,
            "sha512Checksum": STRING,
            "text": STRING,
            "accessUrl": URL,
            "downloadUrl": URL,
            "externalServiceUrl": URL,
            "masterFile": URL,
            "derivativeFile": array(URL),
            "fileLicense": URL,
            "meeting": array(URL),
            "agendaItem": array(URL),
            "paper": array(URL),
        },
    ),
    "Location": (
        {"id", "type"},
        {
            "description": STRING,
            "geojson": OBJECT,
            "streetAddress": STRING,
            "room": STRING,
            "postalCode": STRING,
            "subLocality": STRING,
            "locality": STRING,
            "bodies": array(URL),
            "organizations": array(URL),
            "persons": array(URL),
            "meetings": array(URL),
            "papers": array(URL),
        },
    ),
    "LegislativeTerm": (
        {"id", "type"},
        {"body": URL, "name": STRING, "startDate": DATE, "endDate": DATE},
    ),
    "Consultation": (
        {"id", "type"},
        {"paper": URL, "agendaItem": URL, "meeting": URL, "organization": array(URL), "authoritative": BOOLEAN},
    ),
}

# type -> back-references an embedded object of that type leaves out
BACK_REFERENCES = {
    "File": {"meeting", "agendaItem", "paper"},
    "AgendaItem": {"meeting"},
    "Membership": {"person"},
    "LegislativeTerm": {"body"},
    "Consultation": {"paper"},
}
# type -> embedded lists that omit_internal leaves out
INTERNAL_LISTS = {
    "Body": {"legislativeTerm"},
    "Person": {"membership"},
    "Meeting": {"agendaItem", "auxiliaryFile"},
    "AgendaItem": {"auxiliaryFile"},
}

# Properties that refer to an object of a known type (followed and checked by the walker).
REFERENCES = {
    "body": "Body",
    "system": "System",
    "subOrganizationOf": "Organization",
    "person": "Person",
    "organization": "Organization",
    "onBehalfOf": "Organization",
    "meeting": "Meeting",
    "agendaItem": "AgendaItem",
}
DATETIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VENDOR = re.compile(r"^[a-z]+:[A-Za-z]+$")
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class Walker:
    """Fetches and checks everything reachable from the System object through a Django test client."""

    def __init__(self, client, site, params=None):
        self.client = client
        self.site = site
        self.params = params or {}
        self.objects = {}  # id -> object as last seen
        self.lists = set()
        self.pending = []
        self.fetched = set()
        self.deleted = set()
        self.files = set()

    # -- fetching ---------------------------------------------------------------------------------

    def get(self, url, expect=200):
        assert url.startswith(self.site + "/oparl/v1.1/"), f"{url} is not a canonical URL of this system"
        response = self.client.get(url[len(self.site) :])
        assert response.status_code == expect, f"{url}: {response.status_code} {response.content[:300]}"
        assert response["Access-Control-Allow-Origin"] == "*", f"{url}: no CORS header"
        assert response["Content-Type"].startswith("application/json"), url
        return response.json()

    def walk(self):
        system = self.get(self.site + "/oparl/v1.1/system")
        self.check(system, "System", where="system")
        self.drain()
        self.fetch_every_object()
        self.check_file_urls()
        return self

    def check_file_urls(self):
        """accessUrl shows a file (inline), downloadUrl saves it (attachment); missing content is an error object."""
        for url in self.files:
            data = self.objects[url]
            for key, disposition in (("accessUrl", "inline"), ("downloadUrl", "attachment")):
                if key not in data:
                    continue
                response = self.client.get(data[key][len(self.site) :])
                assert response["Access-Control-Allow-Origin"] == "*", data[key]
                if response.status_code == 404:
                    assert response.json()["type"] == SCHEMA + "Error", data[key]
                    continue
                assert response.status_code == 200, data[key]
                assert response["Content-Disposition"].startswith(disposition), (data[key], disposition)

    def drain(self):
        while self.pending:
            kind, url, expected = self.pending.pop()
            if kind == "list":
                self.walk_list(url, expected)
            elif url not in self.objects:
                self.fetch(url, expected)

    def fetch(self, url, expected):
        data = self.get(url)
        self.fetched.add(url)
        assert data["id"] == url, f"{url} answers with the id {data['id']}"
        self.check(data, expected, where=url)
        return data

    def fetch_every_object(self):
        """Every object seen in a list or embedded is also served under its own URL, as the same object."""
        while unfetched := [(url, seen) for url, seen in self.objects.items() if url not in self.fetched]:
            for url, seen in unfetched:
                expected = seen["type"][len(SCHEMA) :]
                data = self.fetch(url, expected)
                assert (data["type"], data["created"], data["modified"]) == (
                    seen["type"],
                    seen["created"],
                    seen["modified"],
                ), url
            self.drain()

    def walk_list(self, url, expected):
        if url in self.lists:
            return
        self.lists.add(url)
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        page_url = url + ("?" + query if query else "")
        sizes, seen = [], []
        while page_url:
            page = self.get(page_url)
            assert set(page) >= {"data", "pagination", "links"}, f"{page_url}: not a list page"
            for name in FILTERS + ("omit_internal",):
                if name in self.params:
                    for link in page["links"].values():
                        assert dict(parse_qsl(urlsplit(link).query)).get(name) is not None, (
                            f"{link} lost the filter {name}"
                        )
            pagination, links = page["pagination"], page["links"]
            assert isinstance(page["data"], list)
            if pagination.get("currentPage", 1) < pagination.get("totalPages", 1):
                assert "next" in links, f"{page_url}: no next link before the last page"
            sizes.append(len(page["data"]))
            body = self.body_of_list(url)
            for item in page["data"]:
                if item.get("deleted"):
                    self.check_deleted(item, expected)
                else:
                    self.check(item, expected, where=page_url, omitted=self.omit_internal)
                    if body and "body" in item:
                        assert item["body"] == body, f"{item['id']} is listed by {body} but names {item['body']}"
                seen.append(item["id"])
            page_url = links.get("next")
        assert len(seen) == len(set(seen)), f"{url}: an object appears twice across the pages"
        assert all(size == sizes[0] for size in sizes[:-1]), f"{url}: pages of different length {sizes}"

    # -- checking ---------------------------------------------------------------------------------

    def check_deleted(self, item, expected):
        assert item["type"] == SCHEMA + expected
        assert item["deleted"] is True
        assert set(item) >= {"id", "type", "created", "modified"}
        assert DATETIME_PATTERN.match(item["created"]) and DATETIME_PATTERN.match(item["modified"])
        assert "modified_since" in self.params, f"{item['id']}: deleted object without modified_since"
        assert self.get(item["id"]) == item, f"{item['id']}: its URL does not answer with the same deleted object"
        self.deleted.add(item["id"])

    @property
    def omit_internal(self):
        return str(self.params.get("omit_internal", "")).lower() == "true"

    def body_of_list(self, url):
        """The body whose list ``url`` is (``…/body/<id>/<list>``), or None."""
        path = url.removeprefix(self.site + "/oparl/v1.1/")
        parts = path.split("/")
        return self.site + "/oparl/v1.1/body/" + parts[1] if len(parts) == 3 and parts[0] == "body" else None

    def check(self, data, expected, where, embedded=False, omitted=False):
        assert isinstance(data, dict), where
        assert data.get("type") == SCHEMA + expected, f"{where}: type {data.get('type')} is not {expected}"
        required, properties = RULES[expected]
        properties = {**COMMON, **properties}
        if omitted:
            left_out = INTERNAL_LISTS.get(expected, set()) & set(data)
            assert not left_out, f"{where}: {expected} shows {left_out} despite omit_internal"
            required = required - INTERNAL_LISTS.get(expected, set())
        if embedded:
            back = BACK_REFERENCES.get(expected, set()) & set(data)
            assert not back, f"{where}: the embedded {expected} repeats its back-references {back}"
        missing = required - set(data)
        assert not missing, f"{where}: {expected} lacks {missing}"
        assert "created" in data and "modified" in data, f"{where}: {expected} without created/modified"
        for name, value in data.items():
            if name not in properties:
                assert VENDOR.match(name), f"{where}: {name} is neither OParl nor a prefixed extension"
                continue
            assert value is not None, f"{where}: {name} is null"
            if name not in required:
                assert value not in ("", [], {}), f"{where}: empty optional {name}"
            self.check_value(value, properties[name], f"{where} {expected}.{name}", name, omitted)
        if expected == "Meeting" and "agendaItem" in data:
            orders = [item["order"] for item in data["agendaItem"]]
            assert orders == sorted(set(orders)) and all(order >= 0 for order in orders), f"{where}: order {orders}"
        if expected == "File":
            self.files.add(data["id"])
        self.objects[data["id"]] = data

    def check_value(self, value, rule, where, name, omitted=False):
        if isinstance(rule, tuple) and rule[0] == "array":
            assert isinstance(value, list), where
            for item in value:
                self.check_value(item, rule[1], where, name, omitted)
        elif isinstance(rule, tuple) and rule[0] == "embedded":
            self.check(value, rule[1], where, embedded=True, omitted=omitted)
        elif rule == URL:
            assert isinstance(value, str) and urlsplit(value).scheme in ("http", "https"), f"{where}: {value!r}"
            if name in REFERENCES:
                self.pending.append(("object", value, REFERENCES[name]))
        elif rule == LIST:
            assert isinstance(value, str) and urlsplit(value).scheme in ("http", "https"), where
            self.pending.append(("list", value, LIST_TYPES[name]))
        elif rule == DATETIME:
            assert isinstance(value, str) and DATETIME_PATTERN.match(value), f"{where}: {value!r}"
            datetime.datetime.fromisoformat(value)
        elif rule == DATE:
            assert isinstance(value, str) and DATE_PATTERN.match(value), f"{where}: {value!r}"
            datetime.date.fromisoformat(value)
        elif rule == STRING:
            assert isinstance(value, str), where
            if name == "type":
                assert value.startswith(SCHEMA), where
        elif rule == BOOLEAN:
            assert isinstance(value, bool), where
        elif rule == INTEGER:
            assert isinstance(value, int) and not isinstance(value, bool), where
        elif rule == OBJECT:
            assert isinstance(value, dict), where

    def of_type(self, oparl_type):
        return [obj for obj in self.objects.values() if obj["type"] == SCHEMA + oparl_type]


LIST_TYPES = {
    "body": "Body",
    "organization": "Organization",
    "person": "Person",
    "meeting": "Meeting",
    "paper": "Paper",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "file": "File",
    "locationList": "Location",
    "legislativeTermList": "LegislativeTerm",
    "membership": "Membership",
}
