"""The JSON API alone, at the path where it is served: what its OpenAPI description covers."""

from django.urls import include, path

from .routes import router

urlpatterns = [path("api/v1/", include(router.urls))]
