from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from register.guards import public

from . import docs, views
from .docs import SCHEMA_URLCONF
from .routes import router

urlpatterns = [
    path("", views.api_root, name="root"),
    path("schema/", public(SpectacularAPIView.as_view(urlconf=SCHEMA_URLCONF)), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    *router.urls,
]
