from django.urls import path

from portal.views_synonyms import synonyms_edit

from . import sessions
from .views import accounts, auth, changes, home, networks, office, places, register, selfservice, site, terms

app_name = "workspace"

urlpatterns = [
    path("", home.home, name="home"),
    path("anmelden/", auth.login_view, name="login"),
    path("anmelden/code/", auth.login_code, name="login_code"),
    path("abmelden/", auth.logout_view, name="logout"),
    path("zwei-faktor/", auth.two_factor, name="two_factor"),
    path("sitzung/", sessions.status, name="session"),
    path("sitzung/fortsetzen/", sessions.resume, name="resume"),
    # Passwords: forgotten, chosen through an invitation, changed
    path("passwort/vergessen/", accounts.password_reset, name="password_reset"),
    path("passwort/neu/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("passwort/einladung/<uidb64>/<token>/", accounts.password_set, name="password_set"),
    path("passwort/aendern/", accounts.password_change, name="password_change"),
    # Networks and memberships
    path("netzwerke/", networks.network_list, name="networks"),
    path("netzwerke/neu/", networks.network_create, name="network_create"),
    path("netzwerke/<int:pk>/", networks.network_detail, name="network"),
    path("netzwerke/<int:pk>/bearbeiten/", networks.network_edit, name="network_edit"),
    path("netzwerke/<int:pk>/mitglied/", networks.membership_add, name="membership_add"),
    path("netzwerke/<int:pk>/mitglieder/", networks.membership_bulk_add, name="membership_bulk_add"),
    path("netzwerke/<int:pk>/rolle/", networks.assignment_add, name="assignment_add"),
    path("mitgliedschaften/<int:pk>/", networks.membership_edit, name="membership"),
    path("mitgliedschaften/<int:pk>/beenden/", networks.membership_end, name="membership_end"),
    path("rollen/<int:pk>/entfernen/", networks.assignment_delete, name="assignment_delete"),
    # Terms of office, delegating councils, the 1,000-residents rule
    path("netzwerke/<int:pk>/amtszeiten/neu/", terms.term_create, name="term_create"),
    path("amtszeiten/<int:pk>/", terms.term_detail, name="term"),
    path("amtszeiten/<int:pk>/bearbeiten/", terms.term_edit, name="term_edit"),
    path("netzwerke/<int:pk>/beiraete/neu/", terms.council_create, name="council_create"),
    path("beiraete/<int:pk>/bearbeiten/", terms.council_edit, name="council_edit"),
    path("kommunen/schwelle/", terms.thresholds, name="thresholds"),
    # Organisations, actor groups, people
    path("organisationen/", register.organisation_list, name="organisations"),
    path("organisationen/neu/", register.organisation_create, name="organisation_create"),
    path("organisationen/<int:pk>/", register.organisation_detail, name="organisation"),
    path("organisationen/<int:pk>/bearbeiten/", register.organisation_edit, name="organisation_edit"),
    path("organisationen/<int:pk>/bestaetigen/", register.organisation_confirm, name="organisation_confirm"),
    path("organisationen/<int:pk>/link/", register.organisation_send_link, name="organisation_send_link"),
    path("akteursgruppen/", register.actor_group_list, name="actor_groups"),
    path("akteursgruppen/neu/", register.actor_group_edit, name="actor_group_create"),
    path("akteursgruppen/<int:pk>/", register.actor_group_detail, name="actor_group"),
    path("akteursgruppen/<int:pk>/bearbeiten/", register.actor_group_edit, name="actor_group_edit"),
    path("personen/", register.person_list, name="people"),
    path("personen/neu/", register.person_edit, name="person_create"),
    path("personen/<int:pk>/", register.person_detail, name="person"),
    path("personen/<int:pk>/bearbeiten/", register.person_edit, name="person_edit"),
    path("personen/<int:pk>/auskunft/", register.person_export, name="person_export"),
    path("personen/<int:pk>/loeschen/", register.person_erase, name="person_erase"),
    # History
    path("aenderungen/", changes.change_list, name="changes"),
    path("aenderungen/<int:pk>/rueckgaengig/", changes.change_undo, name="change_undo"),
    # Self-service
    path("selbstauskunft/<str:token>/", selfservice.self_service, name="self_service"),
    path("korrekturen/", selfservice.correction_list, name="corrections"),
    path("korrekturen/<int:pk>/", selfservice.correction_detail, name="correction"),
    path("korrekturen/<int:pk>/entscheiden/", selfservice.correction_decide, name="correction_decide"),
    # Office administration
    path("zugaenge/", office.user_list, name="users"),
    path("zugaenge/neu/", office.user_create, name="user_create"),
    path("zugaenge/<int:pk>/", office.user_edit, name="user_edit"),
    path("zugaenge/<int:pk>/einladen/", office.user_invite, name="user_invite"),
    path("zugaenge/<int:pk>/zwei-faktor/", office.user_reset_two_factor, name="user_reset_two_factor"),
    path("einstellungen/", office.settings_edit, name="settings"),
    # The public site: who runs it, its mandatory pages, the places of events
    path("website/", site.site_overview, name="site"),
    path("website/betreiber/", site.identity_edit, name="site_identity"),
    path("website/seiten/<slug:key>/", site.page_edit, name="site_page"),
    path("orte/", places.location_list, name="locations"),
    path("suche/synonyme/", synonyms_edit, name="search_synonyms"),
    path("orte/<int:pk>/bearbeiten/", places.location_edit, name="location_edit"),
]
