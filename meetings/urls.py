from django.urls import path

from . import views_events, views_public, views_staff

app_name = "meetings"

urlpatterns = [
    # Public
    path("veranstaltungen/<slug:slug>/anmelden/", views_public.register, name="register"),
    path("anmeldung/<str:token>/", views_public.registration_detail, name="registration"),
    path("anmeldung/<str:token>/abmelden/", views_public.registration_cancel, name="registration_cancel"),
    path("antwort/<str:token>/", views_public.rsvp, name="rsvp"),
    path("sitzungen/<int:pk>/", views_public.public_meeting, name="public_meeting"),
    path("kalender/oeffentlich.ics", views_public.public_feed, name="public_feed"),
    path("kalender/<slug:slug>.ics", views_public.network_feed, name="network_feed"),
    # Staff: meetings
    path("", views_staff.meeting_list, name="list"),
    path("neu/", views_staff.meeting_create, name="meeting_create"),
    path("serie/neu/", views_staff.series_create, name="series_create"),
    path("orte/neu/", views_staff.location_create, name="location_create"),
    path("<int:pk>/", views_staff.meeting_detail, name="meeting"),
    path("<int:pk>/bearbeiten/", views_staff.meeting_edit, name="meeting_edit"),
    path("<int:pk>/einladen/", views_staff.meeting_invite, name="meeting_invite"),
    path("<int:pk>/absagen/", views_staff.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/stattgefunden/", views_staff.meeting_held, name="meeting_held"),
    path("<int:pk>/tagesordnung/", views_staff.agenda_add, name="agenda_add"),
    path("<int:pk>/tagesordnung/<int:item_pk>/verschieben/", views_staff.agenda_move, name="agenda_move"),
    path("<int:pk>/tagesordnung/<int:item_pk>/entfernen/", views_staff.agenda_delete, name="agenda_delete"),
    path("<int:pk>/dateien/", views_staff.file_upload, name="file_upload"),
    path("<int:pk>/dateien/<int:file_pk>/", views_staff.file_download, name="file"),
    path("<int:pk>/dateien/<int:file_pk>/entfernen/", views_staff.file_delete, name="file_delete"),
    path("<int:pk>/anwesenheit/", views_staff.attendance, name="attendance"),
    path("netzwerk/<slug:slug>/anwesenheit/", views_staff.network_attendance, name="network_attendance"),
    # Staff: events and mail
    path("veranstaltungen/", views_events.event_list, name="events"),
    path("veranstaltungen/neu/", views_events.event_create, name="event_create"),
    path("veranstaltungen/<slug:slug>/bearbeiten/", views_events.event_edit, name="event_edit"),
    path("veranstaltungen/<slug:slug>/absagen/", views_events.event_cancel, name="event_cancel"),
    path("veranstaltungen/<slug:slug>/teilnehmende/", views_events.participants, name="participants"),
    path("veranstaltungen/<slug:slug>/teilnehmende.xlsx", views_events.participants_xlsx, name="participants_xlsx"),
    path("veranstaltungen/<slug:slug>/unterschriftenliste.pdf", views_events.participants_pdf, name="participants_pdf"),
    path(
        "veranstaltungen/<slug:slug>/teilnehmende/<int:pk>/abmelden/",
        views_events.participant_cancel,
        name="participant_cancel",
    ),
    path("postausgang/", views_events.outbox, name="outbox"),
    path("postausgang/<int:pk>/erneut/", views_events.outbox_retry, name="outbox_retry"),
]
