from django.urls import path, register_converter

from .views import records, respond, surveys


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "export_format")

app_name = "needs"

urlpatterns = [
    path("", records.need_list, name="needs"),
    path("neu/", records.need_edit, name="need_create"),
    path("<int:pk>/", records.need_detail, name="need"),
    path("<int:pk>/bearbeiten/", records.need_edit, name="need_edit"),
    path("angebote/", records.offer_list, name="offers"),
    path("angebote/neu/", records.offer_edit, name="offer_create"),
    path("angebote/<int:pk>/", records.offer_edit, name="offer_edit"),
    path("abdeckung/", records.coverage_view, name="coverage"),
    path("kooperation/", records.cooperation_view, name="cooperation"),
    path("kooperation/kanten.json", records.cooperation_edges_json, name="cooperation_edges"),
    path("umfragen/", surveys.survey_list, name="surveys"),
    path("umfragen/neu/", surveys.survey_edit, name="survey_create"),
    path("umfragen/<int:pk>/", surveys.survey_detail, name="survey"),
    path("umfragen/<int:pk>/bearbeiten/", surveys.survey_edit, name="survey_edit"),
    path("umfragen/<int:survey_pk>/fragen/neu/", surveys.question_edit, name="question_create"),
    path("umfragen/<int:survey_pk>/fragen/<int:pk>/", surveys.question_edit, name="question_edit"),
    path("umfragen/<int:survey_pk>/fragen/<int:pk>/loeschen/", surveys.question_delete, name="question_delete"),
    path("umfragen/<int:pk>/senden/", surveys.survey_send, name="survey_send"),
    path("umfragen/<int:pk>/erinnern/", surveys.survey_remind, name="survey_remind"),
    path("umfragen/<int:pk>/ergebnisse/", surveys.survey_results_view, name="results"),
    path("umfragen/<int:pk>/ergebnisse.<export_format:fmt>", surveys.survey_export, name="export"),
    path("antworten/umfrage/<int:survey>/", respond.answer, name="answer"),
    path("antworten/<str:token>/", respond.respond, name="respond"),
]
