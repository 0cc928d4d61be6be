"""The machine interfaces, outside the language prefixes: OParl 1.1 and the JSON API."""

from django.urls import include, path, re_path

from .oparl import views as oparl_views
from .rest import errors as rest_errors

app_name = "api"

urlpatterns = [
    path("oparl/v1.1/", include(("api.oparl.urls", "oparl"))),
    # Other OParl versions are not offered: an error object says so.
    re_path(r"^oparl(?:/(?P<rest>.*))?$", oparl_views.unknown),
    path("api/v1/", include(("api.rest.urls", "rest"))),
    # Every other path below /api/ answers with a JSON error, never with the HTML page.
    re_path(r"^api(?:/(?P<rest>.*))?$", rest_errors.not_found, name="rest-unknown"),
]
