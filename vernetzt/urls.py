from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from register.guards import public
from vernetzt.language import choose_language
from workspace.views.auth import admin_login

urlpatterns = [
    # Choosing the language (Django's set_language, remembered in a cookie), open to everybody.
    path("i18n/setlang/", choose_language, name="set_language"),
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
    # Development only: uploads straight from the disk (production serves only public files, through views).
    urlpatterns += [path("media/<path:path>", public(serve), {"document_root": settings.MEDIA_ROOT})]
