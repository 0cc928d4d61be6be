"""The machine interfaces, outside the language prefixes: OParl 1.1 and the JSON API."""

from django.urls import include, path, re_path

from . import open_data
from .oparl import views as oparl_views
from .rest import errors as rest_errors

app_name = "api"

urlpatterns = [
    path("oparl/v1.1/", include(("api.oparl.urls", "oparl"))),
    # Other OParl versions are not offered: an error object says so.
    re_path(r"^oparl(?:/(?P<rest>(?s:.*)))?$", oparl_views.unknown),  # (?s): also a line break in the path
    path("api/v1/", include(("api.rest.urls", "rest"))),
    # Open data: the public register as CSV (for Excel in Germany) and XLSX, e.g. /daten/netzwerke.csv.
    re_path(r"^daten/(?P<dataset>[a-z]+)\.(?P<fmt>csv|xlsx)$", open_data.download, name="open_data"),
    # Every other path below /api/ answers with a JSON error, never with the HTML page.
    re_path(r"^api(?:/(?P<rest>(?s:.*)))?$", rest_errors.not_found, name="rest-unknown"),
]
