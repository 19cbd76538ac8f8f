"""Each network's disclosure threshold and indicator settings: the application manager's to set."""

from __future__ import annotations

from django.contrib import admin

from inbeeld.core.admin import ManagerOnlyAdmin, admin_site
from inbeeld.reports.models import ReportSettings


@admin.register(ReportSettings, site=admin_site)
class ReportSettingsAdmin(ManagerOnlyAdmin):
    list_display = ["network", "suppression_threshold", "min_group", "exit_hold_months"]
