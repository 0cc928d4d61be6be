from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from workspace.views.auth import admin_login

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin site has no login of its own: the workspace's asks for the second factor too.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    # Machine interfaces keep one URL whatever the language.
    path("", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("arbeitsbereich/", include("workspace.urls")),
    path("arbeitsbereich/dubletten/", include("matching.urls")),
    path("arbeitsbereich/import/", include("importing.urls")),
    path("analyse/", include("analysis.urls")),
    path("termine/", include("meetings.urls")),
    path("bedarfe/", include("needs.urls")),
    path("", include("inquiries.urls")),
    path("", include("portal.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
