from django.contrib import admin

from volunteers.models import Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "kind", "licence_number", "region", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["licence_number", "user__username", "user__first_name"]
    raw_id_fields = ["user", "practice_org", "status_changed_by"]
