"""The application manager's admin: networks, organisations, locations, users and memberships only.

No person data is registered here (rule 4: admins see no case content).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Location, Membership, Network, OpeningHours, Organisation, User
from inbeeld.core.roles import Role


class InbeeldAdminSite(admin.AdminSite):
    site_header = _("Inbeeld — application management")
    site_title = _("Inbeeld admin")
    index_title = _("Networks, organisations and accounts")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        return user.memberships.active().filter(role=Role.ADMIN).exists()  # type: ignore[union-attr]


admin_site = InbeeldAdminSite(name="admin")


@admin.register(Network, site=admin_site)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network"]
    list_filter = ["network", "kind"]
    search_fields = ["name"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location, site=admin_site)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "opened_on", "closed_on"]
    list_filter = ["kind", "organisation__network"]
    inlines = [OpeningHoursInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "started_on", "ended_on"]


@admin.register(User, site=admin_site)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    inlines = [MembershipInline]
    filter_horizontal: tuple[str, ...] = ()


@admin.register(Membership, site=admin_site)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "started_on", "ended_on"]
    list_filter = ["role", "organisation__network", "organisation"]
    search_fields = ["user__email", "organisation__name"]
