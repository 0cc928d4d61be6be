from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import models


class AliasInline(admin.TabularInline):
    model = models.OrganisationAlias
    extra = 0


class FocusAreaInline(admin.TabularInline):
    model = models.FocusArea
    extra = 0


class HostInline(admin.TabularInline):
    model = models.NetworkHost
    extra = 0


class ProgrammeSiteInline(admin.TabularInline):
    model = models.ProgrammeSite
    extra = 0


class AgendaItemInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "ags"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ags", "county"]
    search_fields = ["name", "ags"]
    list_filter = ["kind", "county"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.MunicipalityStatistic)
class MunicipalityStatisticAdmin(admin.ModelAdmin):
    list_display = ["municipality", "date", "population", "foreign_residents", "source"]
    list_filter = ["date"]
    autocomplete_fields = ["municipality"]


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "locality", "step_free", "accessible_toilet", "hearing_loop"]
    search_fields = ["name", "locality", "street_address"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "category", "legal_form", "anonymised", "confirmed_at"]
    list_filter = ["category", "legal_form", "anonymised"]
    search_fields = ["name", "short_name", "aliases__name"]
    autocomplete_fields = ["parent", "body", "municipality"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]
    list_select_related = ["parent"]


@admin.register(models.ActorGroup)
class ActorGroupAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    autocomplete_fields = ["organisations", "persons"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "function", "organisation", "legal_basis", "consent_to_publish", "erased_at"]
    list_filter = ["legal_basis", "consent_to_publish"]
    search_fields = ["given_name", "family_name", "function", "email"]
    autocomplete_fields = ["organisation"]


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "classification", "organization_type", "since_year", "open_to_public"]
    list_filter = ["classification", "organization_type", "open_to_public"]
    search_fields = ["name", "short_name", "purpose"]
    autocomplete_fields = ["topics", "target_groups"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FocusAreaInline, HostInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "role", "voting_right", "start_date", "end_date", "source"]
    list_filter = ["network", "role"]
    search_fields = ["label", "organisation__name", "actor_group__name", "person__family_name"]
    autocomplete_fields = ["organisation", "actor_group", "person", "on_behalf_of", "deputy_of", "contact"]
    list_select_related = ["network", "organisation__parent", "actor_group", "person"]


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "funder", "network"]
    autocomplete_fields = ["funder"]
    inlines = [ProgrammeSiteInline]


@admin.register(models.LegislativeTerm)
class LegislativeTermAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "network", "start_date", "end_date"]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "network", "location", "capacity", "is_public", "cancelled"]
    list_filter = ["is_public", "cancelled"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "start", "state", "is_public"]
    list_filter = ["state", "network"]
    inlines = [AgendaItemInline]


@admin.register(models.File)
class FileAdmin(admin.ModelAdmin):
    list_display = ["name", "meeting", "role", "mime_type", "size", "public"]


@admin.register(models.ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "object_repr", "action", "user", "source"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["key", "title_de", "is_example", "modified"]
    readonly_fields = ["modified"]
    fieldsets = [
        (None, {"fields": ["key", "is_example", "modified"]}),
        (_("German"), {"fields": ["title_de", "body_de"]}),
        (_("Accessibility statement"), {"fields": ["conformity", "reviewed_on"]}),
    ]
