from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from inbeeld.core import access


def inbeeld(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "demo_mode": settings.DEMO_MODE,
        "demo_waives_2fa": settings.DEMO_WAIVE_2FA,
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "may_list_persons": membership is not None and membership.role in access.roles.LIST_PERSONS,
        "may_register_persons": access.may_register_persons(membership),
        "may_start_intake": access.may_start_intake(membership),
        "may_record_contact": access.may_record_anonymous_contact(membership),
        "may_use_radar": access.may_use_radar(membership),
        "may_use_huiskamer": access.may_use_huiskamer(membership),
        "may_use_shelter": access.may_use_shelter(membership),
        "may_break_glass": membership is not None and membership.role in access.roles.BREAK_GLASS,
        "may_refer": membership is not None and membership.role in access.roles.READ_FILE,
        "may_transfer_lead": membership is not None and membership.role in access.roles.ASSIGN_LEAD,
        "reviews_emergency_access": membership is not None and membership.role in access.roles.PRIVACY_VIEW,
        "has_agenda": membership is not None and membership.role in access.roles.PLAN_APPOINTMENTS,
        "may_run_mdo": access.may_run_mdo(membership),
        "may_view_reports": access.may_view_reports(membership),
        "may_record_street_counts": access.may_record_street_counts(membership),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
