"""Canonical OParl 1.1 URLs. Numbers are primary keys: they never change and have no leading zeros.

Networks, organisations and actor groups live in three tables, so their Organization URLs say which:
``organization/network-<id>``, ``organization/institution-<id>``, ``organization/actor-group-<id>``.
"""

from django.urls import path, re_path, register_converter

from register.models import (
    ActorGroup,
    AgendaItem,
    Body,
    File,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
)

from . import views


class KeyConverter:
    """A primary key as written in canonical URLs: no leading zero, and small enough for any database."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(KeyConverter, "key")

DETAILS = [
    ("body/<key:pk>", Body),
    ("organization/network-<key:pk>", Network),
    ("organization/institution-<key:pk>", Organisation),
    ("organization/actor-group-<key:pk>", ActorGroup),
    ("person/<key:pk>", Person),
    ("membership/<key:pk>", Membership),
    ("meeting/<key:pk>", Meeting),
    ("agenda-item/<key:pk>", AgendaItem),
    ("file/<key:pk>", File),
    ("location/<key:pk>", Location),
    ("legislative-term/<key:pk>", LegislativeTerm),
]

urlpatterns = [
    path("system", views.system, name="system"),
    path("bodies", views.bodies, name="bodies"),
    path("body/<key:pk>/<slug:kind>", views.body_list, name="body-list"),
    path("organization/network-<key:pk>/meetings", views.network_meetings, name="network-meetings"),
    path("seat/<key:pk>", views.seat, name="seat"),
    path("file/<key:pk>/content", views.file_content, name="file-content"),
    path("file/<key:pk>/download", views.file_content, {"as_attachment": True}, name="file-download"),
    *[path(route, views.detail, {"model": model}, name=f"{model._meta.model_name}") for route, model in DETAILS],
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
