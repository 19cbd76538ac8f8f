"""Landing, health check and switching the organisation one acts for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from inbeeld.core import roles
from inbeeld.core.middleware import SESSION_MEMBERSHIP_KEY


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if membership is not None and membership.role in roles.SHELTER:
        return redirect("shelter:index")
    if membership is not None and membership.role in roles.LIST_PERSONS:
        return redirect("people:list")
    if membership is not None and membership.role == roles.Role.ANALYST:
        return redirect("reports:dashboard")
    if membership is not None and membership.role == roles.Role.ADMIN:
        return redirect("admin:index")
    return render(request, "core/home.html")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("membership", "")
    for membership in request.memberships:  # type: ignore[attr-defined]
        if str(membership.pk) == wanted:
            request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
            break
    return redirect("home")
