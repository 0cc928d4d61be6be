from django.contrib import admin

from .models import Attendance, Invitation, MeetingSeries, OutgoingMail, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "status", "created"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email"]
    readonly_fields = ["cancel_token", "consent_at", "created", "promoted_at", "cancelled_at"]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "status", "attempts", "created", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "meeting", "response", "sent_sequence"]
    list_filter = ["response"]
    readonly_fields = ["token"]


admin.site.register(Attendance)
admin.site.register(MeetingSeries)
