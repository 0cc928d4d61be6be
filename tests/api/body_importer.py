"""A client that imports one OParl body at a time, the way Meine Stadt Transparent's importer does.

Meine Stadt Transparent (``importer/importer.py`` and ``importer/json_to_db.py`` in its repository) is
the most used open-source OParl client; this is a small model of its import written for our tests:

1. it loads the body and walks the body's lists ``paper``, ``person``, ``meeting`` and
   ``organization`` (all pages), leaving out deleted objects;
2. it takes every embedded object out of its parent, noting the parent as back-reference
   (``mst:backref``) – so a Person's memberships, a Meeting's agenda items and files, the body's
   legislative terms become objects of their own;
3. it imports the objects type by type (legislative terms, locations, the body, files, persons,
   organizations, memberships, meetings, papers, consultations, agenda items). A reference to an
   object it has not met in the lists is loaded on its own ("was supposed to be a part of the external
   lists, but isn't");
4. an Organization names its body, and that body must be one already imported – else the import
   aborts (``Body.by_oparl_id`` finds nothing). That is the abort a joint network used to cause.
"""

from dataclasses import dataclass, field

LISTS = ("paper", "person", "meeting", "organization")
IMPORT_ORDER = [
    "LegislativeTerm",
    "Location",
    "Body",
    "File",
    "Person",
    "Organization",
    "Membership",
    "Meeting",
    "Paper",
    "Consultation",
    "AgendaItem",
]


class ImportAborted(Exception):
    pass


def type_of(data):
    return data["type"].rsplit("/", 1)[-1]


def externalize(data):
    """The object and every object embedded in it, flat: embedded objects replaced by their id."""
    flat = []
    for key, value in list(data.items()):
        if key == "geojson":
            continue
        if isinstance(value, dict):
            value["mst:backref"] = data["id"]
            flat += externalize(value)
            data[key] = value["id"]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for position, item in enumerate(value):
                item["mst:backref"] = data["id"]
                item["mst:backrefPosition"] = position
                flat += externalize(item)
                value[position] = item["id"]
    flat.append(data)
    return flat


@dataclass
class BodyImporter:
    client: object
    site: str
    body_url: str
    cached: dict = field(default_factory=dict)  # url -> flat object from the lists
    imported: dict = field(default_factory=dict)  # url -> flat object, imported
    loaded_alone: list = field(default_factory=list)  # urls that were not in the lists

    def load(self, url, params=None):
        response = self.client.get(url.removeprefix(self.site), params or {})
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response.json()

    def run(self):
        body = self.load(self.body_url)
        for name in LISTS:
            url = body[name]
            while url:
                page = self.load(url)
                for item in page["data"]:
                    if not item.get("deleted"):
                        for flat in externalize(item):
                            self.cached[flat["id"]] = flat
                url = page["links"].get("next")
        for flat in externalize(body):
            self.cached[flat["id"]] = flat
        for oparl_type in IMPORT_ORDER:
            for url, data in list(self.cached.items()):
                if type_of(data) == oparl_type and url not in self.imported:
                    self.import_object(data)
        return self

    def retrieve(self, url):
        if not url:
            return None
        if url in self.imported:
            return self.imported[url]
        if url in self.cached:
            return self.import_object(self.cached[url])
        self.loaded_alone.append(url)
        objects = externalize(self.load(url))
        objects.sort(key=lambda data: IMPORT_ORDER.index(type_of(data)))
        for data in objects:
            self.cached.setdefault(data["id"], data)
        for data in objects:
            if data["id"] not in self.imported:
                self.import_object(data)
        return self.imported[url]

    def import_object(self, data):
        oparl_type = type_of(data)
        self.imported[data["id"]] = data  # before its references: no endless recursion
        backref = data.get("mst:backref")
        if oparl_type == "Organization":
            if data.get("body", self.body_url) != self.body_url:
                raise ImportAborted(f"{data['id']} belongs to {data['body']}, a body that was not imported")
        elif oparl_type == "Membership":
            self.retrieve(data.get("person") or backref)
            self.retrieve(data.get("organization"))
        elif oparl_type == "Meeting":
            for key in ("location", "invitation", "resultsProtocol", "verbatimProtocol"):
                self.retrieve(data.get(key))
            for url in data.get("auxiliaryFile", []) + data.get("organization", []):
                self.retrieve(url)
        elif oparl_type == "AgendaItem":
            self.retrieve(data.get("meeting") or backref)
            for url in data.get("auxiliaryFile", []):
                self.retrieve(url)
        elif oparl_type == "Body":
            for url in data.get("legislativeTerm", []):
                self.retrieve(url)
        return data

    def of_type(self, oparl_type):
        return [data for data in self.imported.values() if type_of(data) == oparl_type]
