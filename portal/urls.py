from django.urls import path

from . import views, views_synonyms, views_terms

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views.search, name="search"),
    # The office's page for the search's synonyms: a staff page kept by the app that owns the search.
    path("arbeitsbereich/suche/synonyme/", views_synonyms.synonyms_edit, name="search_synonyms"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("impressum/", views.imprint, name="imprint"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("barrierefreiheit/barriere-melden/", views.write_message, {"kind": "barrier"}, name="report_barrier"),
    path("kontakt/", views.contact_page, name="contact"),
    path("kontakt/nachricht/", views.write_message, {"kind": "contact"}, name="write_message"),
    path("offene-daten/", views.open_data, name="open_data"),
    path("logo", views.logo, name="logo"),
    path("netzwerke/", views.network_list, name="networks"),
    path("netzwerke/<slug:slug>/", views.network_detail, name="network"),
    path("netzwerke/<slug:slug>/amtszeiten/<int:pk>/", views_terms.term_detail, name="term"),
    path("organisationen/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("veranstaltungen/", views.event_list, name="events"),
    path("veranstaltungen/<slug:slug>/", views.event_detail, name="event"),
]
