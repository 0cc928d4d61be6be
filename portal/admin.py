from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["key", "title_de", "modified"]
    readonly_fields = ["modified"]
    fieldsets = [
        (None, {"fields": ["key", "modified"]}),
        (_("German"), {"fields": ["title_de", "body_de"]}),
        (_("English"), {"fields": ["title_en", "body_en"]}),
    ]
