"""The JSON API alone, at the path where it is served: what its OpenAPI description covers."""

from django.urls import include, path

from . import views
from .routes import router

urlpatterns = [path("api/v1/", views.api_root, name="root"), path("api/v1/", include(router.urls))]
