from django.contrib import admin

from .models import Invitation, Membership, Organization, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "team", "is_active"]
    raw_id_fields = ["user", "manager"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "default_language", "is_active", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["is_active", "default_language"]
    # The logo is uploaded on the organization's settings page, which checks and re-encodes it.
    exclude = ["logo"]
    inlines = [MembershipInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "organization"]
    list_filter = ["organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "team", "is_active"]
    list_filter = ["organization", "role"]
    raw_id_fields = ["user", "manager"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organization",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["organization"]
    exclude = ["token_hash"]
