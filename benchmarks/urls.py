"""The product's URLs plus ``/bench/minimal/``: the smallest Django view, the yardstick of the benchmarks."""

from django.http import HttpResponse
from django.urls import path

from register.guards import public
from vernetzt.urls import urlpatterns as product_urlpatterns


@public
def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


# The product's URLs are taken over as they are (i18n_patterns cannot be included).
urlpatterns = [path("bench/minimal/", minimal, name="bench-minimal"), *product_urlpatterns]
