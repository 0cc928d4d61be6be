from django.urls import path, register_converter

from .views import register, respond, surveys


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "export_format")

app_name = "needs"

urlpatterns = [
    path("", register.need_list, name="needs"),
    path("neu/", register.need_edit, name="need_create"),
    path("<int:pk>/", register.need_detail, name="need"),
    path("<int:pk>/bearbeiten/", register.need_edit, name="need_edit"),
    path("angebote/", register.offer_list, name="offers"),
    path("angebote/neu/", register.offer_edit, name="offer_create"),
    path("angebote/<int:pk>/", register.offer_edit, name="offer_edit"),
    path("abdeckung/", register.coverage_view, name="coverage"),
    path("kooperation/", register.cooperation_view, name="cooperation"),
    path("kooperation/kanten.json", register.cooperation_edges_json, name="cooperation_edges"),
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
