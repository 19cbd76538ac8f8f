"""Instruments are data the application manager maintains: no person data here."""

from __future__ import annotations

from django.contrib import admin

from inbeeld.care.models import Domain, Instrument
from inbeeld.core.admin import ManagerOnlyAdmin, ManagerOnlyInline, admin_site


class DomainInline(ManagerOnlyInline, admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["position", "code", "name", "name_en", "description"]


@admin.register(Instrument, site=admin_site)
class InstrumentAdmin(ManagerOnlyAdmin):
    list_display = ["name", "code", "network", "is_active"]
    list_filter = ["is_active", "network"]
    inlines = [DomainInline]
