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


class ManagerOnlyAdmin(admin.ModelAdmin):
    """Model permissions follow the admin role, not Django's per-model permission table."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin_site.has_permission(request)


class ManagerOnlyInline:
    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin_site.has_permission(request)


@admin.register(Network, site=admin_site)
class NetworkAdmin(ManagerOnlyAdmin):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(ManagerOnlyAdmin):
    list_display = ["name", "kind", "network"]
    list_filter = ["network", "kind"]
    search_fields = ["name"]


class OpeningHoursInline(ManagerOnlyInline, admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location, site=admin_site)
class LocationAdmin(ManagerOnlyAdmin):
    list_display = ["name", "kind", "organisation", "opened_on", "closed_on"]
    list_filter = ["kind", "organisation__network"]
    inlines = [OpeningHoursInline]


class MembershipInline(ManagerOnlyInline, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "started_on", "ended_on"]


@admin.register(User, site=admin_site)
class UserAdmin(ManagerOnlyAdmin, DjangoUserAdmin):
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


@admin.register(Membership, site=admin_site)
class MembershipAdmin(ManagerOnlyAdmin):
    list_display = ["user", "organisation", "role", "started_on", "ended_on"]
    list_filter = ["role", "organisation__network", "organisation"]
    search_fields = ["user__email", "organisation__name"]
