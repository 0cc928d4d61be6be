from django.contrib import admin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "source_name", "user"]
    list_filter = ["kind"]
    readonly_fields = ["started_at", "user", "kind", "source_name", "sha256", "summary"]

    def has_add_permission(self, request):
        return False
