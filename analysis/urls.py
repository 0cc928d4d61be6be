from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("", views.network_map, name="map"),
    path("karte.json", views.map_data, name="map_data"),
    path("optionen/<slug:kind>.json", views.options, name="options"),
    path("karte.gexf", views.map_export, {"fmt": "gexf"}, name="map_gexf"),
    path("karte.graphml", views.map_export, {"fmt": "graphml"}, name="map_graphml"),
    path("karte.csv", views.map_export, {"fmt": "csv"}, name="map_csv"),
    path("ueberschneidungen/", views.overlap_matrix, name="matrix"),
    path("vergleich/", views.compare, name="compare"),
]
