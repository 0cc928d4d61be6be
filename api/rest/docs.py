"""A plain HTML description of the JSON API, rendered on the server from the OpenAPI schema.

No script and nothing from another host: the page lists every path with its operations, parameters
and whether it needs a token.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator

from register.guards import public

SCHEMA_URLCONF = "api.rest.schema_urls"

METHODS = ["get", "post", "put", "patch", "delete"]
PREFIX = "/api/v1/"
RESOURCES = {
    "": _("Links to every part of the API, to its OpenAPI description, to this page and to OParl."),
    "networks": _(
        "Networks with their focus areas, topics and hosts. The office creates and deletes them; "
        "a network's coordinators may change its fields."
    ),
    "organisations": _("Organisations with the organisation they are part of and their units. Kept by the office."),
    "actor-groups": _("Seats that stand for a class of actors, with the organisations that fill them."),
    "memberships": _(
        "Who sits in which network, in what role and since when. Persons appear only with their consent "
        "to publication. The office and a network's coordinators change its memberships."
    ),
    "events": _("Public events such as the yearly Inklusionsforum."),
    "municipalities": _("The municipalities of the county with their dated population figures."),
}


def operations(schema, resource):
    for path, item in schema.get("paths", {}).items():
        if path != PREFIX if not resource else not path.startswith(f"{PREFIX}{resource}/"):
            continue
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            yield {
                "method": method.upper(),
                "path": path,
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "writes": method != "get",
            }


@public
def api_docs(request):
    schema = SchemaGenerator(urlconf=SCHEMA_URLCONF).get_schema(request=None, public=True)
    resources = [
        {"name": name, "description": description, "operations": list(operations(schema, name))}
        for name, description in RESOURCES.items()
    ]
    return render(request, "api/docs.html", {"version": schema["info"]["version"], "resources": resources})
