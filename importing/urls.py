from django.urls import path, re_path

from . import views, views_statistics

app_name = "importing"

urlpatterns = [
    path("", views.index, name="tabular"),
    path("<int:pk>/", views.detail, name="tabular_detail"),
    path("<int:pk>/anwenden/", views.apply, name="tabular_apply"),
    path("<int:pk>/ueberschriften/", views.choose_header_row, name="tabular_header_row"),
    path("bevoelkerung/", views_statistics.statistics, name="statistics"),
    path("bevoelkerung/<int:pk>/", views_statistics.statistics_detail, name="statistics_detail"),
    path("bevoelkerung/<int:pk>/anwenden/", views_statistics.statistics_apply, name="statistics_apply"),
    re_path(r"^vorlagen/(?P<kind>[a-z_]+)\.(?P<file_format>xlsx|csv)$", views.template, name="tabular_template"),
    path("export/vernetzt.xlsx", views.export_workbook, name="export_xlsx"),
    re_path(r"^export/(?P<kind>[a-z_]+)\.csv$", views.export_csv, name="export_csv"),
]
