from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    path("anfrage/<slug:slug>/", views.ask, name="ask"),
    # The address the form in Leichte Sprache had before Leichte Sprache became a language of the site.
    path("anfrage/<slug:slug>/leichte-sprache/", views.ask_easy, name="ask_easy"),
    path("anfrage/<slug:slug>/gesendet/", views.sent, name="sent"),
    path("arbeitsbereich/anfragen/", views.inbox, name="inbox"),
    path("arbeitsbereich/anfragen/bericht/", views.report, name="report"),
    path("arbeitsbereich/anfragen/<int:pk>/", views.detail, name="detail"),
    path("arbeitsbereich/anfragen/<int:pk>/bearbeiten/", views.handle, name="handle"),
    path("arbeitsbereich/anfragen/<int:pk>/antworten/", views.answer, name="answer"),
    path("arbeitsbereich/anfragen/<int:pk>/loeschen/", views.erase, name="erase"),
]
