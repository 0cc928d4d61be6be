from django.contrib import admin

from .models import Abbreviation, MatchDecision, Merge, Suggestion


@admin.register(Abbreviation)
class AbbreviationAdmin(admin.ModelAdmin):
    list_display = ["short_form", "long_form", "kind"]
    list_filter = ["kind"]
    search_fields = ["short_form", "long_form"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "kind", "score", "computed_at"]
    list_filter = ["kind"]
    list_select_related = ["first__parent", "second__parent"]
    raw_id_fields = ["first", "second"]


@admin.register(MatchDecision)
class MatchDecisionAdmin(admin.ModelAdmin):
    list_display = ["first_name", "second_name", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["first_name", "second_name"]


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    list_display = ["merged_name", "survivor_name", "merged_by", "merged_at", "undone_at"]
    readonly_fields = ["snapshot", "moved"]
    raw_id_fields = ["survivor"]

    def has_add_permission(self, request):
        return False
