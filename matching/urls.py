from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mehrere-netzwerke/", views.several, name="several"),
    path("paar/<int:pk>/", views.pair, name="pair"),
    path("paar/vormerken/", views.keep_pair, name="keep_pair"),
    path("zusammenfuehrungen/", views.merge_list, name="merges"),
    path("zusammenfuehrungen/<int:pk>/rueckgaengig/", views.merge_undo, name="merge_undo"),
    path("abkuerzungen/", views.abbreviation_list, name="abbreviations"),
    path("abkuerzungen/<int:pk>/loeschen/", views.abbreviation_delete, name="abbreviation_delete"),
]
