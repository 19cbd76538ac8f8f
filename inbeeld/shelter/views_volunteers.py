"""Web pages for the shelter's volunteers: the coordinator's list and profile edit (VOG, trainings), a
volunteer's own profile, and availability. ``urlpatterns`` also gathers the roster, house log and buddy
pages (``views_roster``, ``views_houselog``, ``views_buddies``).

Status codes as in ``huiskamer.views``: a write redirects (302); refused input re-renders the form with 422
naming the field and writes nothing; a stale profile form is 409 with a conflict message; another
organisation's site or volunteer is 404; a volunteer on a coordinator's page is 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.people.view_support import acting_membership, form_data, submit
from inbeeld.shelter import actions_volunteers as actions
from inbeeld.shelter import sites
from inbeeld.shelter.actions_roster import slots_of
from inbeeld.shelter.forms_volunteers import (
    AvailabilityForm,
    OwnProfileForm,
    ProfileForm,
    TrainingForm,
    TrainingRecordForm,
)
from inbeeld.shelter.models import VOG_WARNING_DAYS, VolunteerProfile
from inbeeld.shelter.views_buddies import urlpatterns as buddy_urls
from inbeeld.shelter.views_houselog import urlpatterns as house_log_urls
from inbeeld.shelter.views_roster import urlpatterns as roster_urls

FORM = "shelter/volunteers/form.html"


def form_page(request: HttpRequest, context: dict[str, Any], *, status: int | None = None) -> HttpResponse:
    if status is None:
        status = 422 if request.method == "POST" else 200
    return render(request, FORM, context, status=status)


@login_required
@never_cache
@require_GET
def volunteers(request: HttpRequest, pk: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    today = timezone.localdate()
    rows = []
    for membership in actions.volunteers_of(site):
        profile: VolunteerProfile | None = getattr(membership, "volunteer_profile", None)
        warning = profile is None or profile.vog_warning(today)
        rows.append((membership, profile, warning, list(profile.trainings.all()) if profile else []))
    context = {
        "site": site,
        "rows": rows,
        "warnings": sum(1 for row in rows if row[2]),
        "warning_days": VOG_WARNING_DAYS,
        "trainings": actions.trainings_of(site),
    }
    return render(request, "shelter/volunteers/list.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    volunteer = actions.volunteer_of(site, member)
    return _profile_page(request, site, volunteer, ProfileForm, with_vog=True)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    site = sites.site_for(membership, pk)
    volunteer = actions.own_volunteer(membership, site)
    return _profile_page(request, site, volunteer, OwnProfileForm, with_vog=False)


def _profile_page(
    request: HttpRequest, site: Any, volunteer: Any, form_class: type[OwnProfileForm], *, with_vog: bool
) -> HttpResponse:
    profile = actions.profile_of(volunteer)
    initial: dict[str, Any] = {"version": profile.version if profile else None}
    if profile is not None:
        initial.update({f: getattr(profile, f) for f in form_class.base_fields if f != "version"})
    form = form_class(form_data(request), initial=initial)
    back = reverse("shelter:volunteers" if with_vog else "shelter:site", kwargs={"pk": site.pk})
    context: dict[str, Any] = {
        "site": site,
        "form": form,
        "title": volunteer.user.full_name or volunteer.user.email,
        "submit": _("Save"),
        "back": back,
        "profile": profile,
        "volunteer": volunteer,
        "show_vog": not with_vog,
    }
    try:
        saved = submit(
            request,
            form,
            lambda: actions.save_profile(
                actor=Actor.from_request(request),
                volunteer=volunteer,
                data=form.profile_input(),
                expected_version=form.cleaned_data.get("version"),
                with_vog=with_vog,
            ),
        )
    except actions.EditConflict as conflict:
        # Saving again is then a deliberate choice to overwrite what is stored now.
        resubmit = request.POST.copy()
        resubmit["version"] = str(conflict.profile.version)
        form.data = resubmit
        return form_page(request, {**context, "conflict": str(conflict)}, status=409)
    if saved is not None:
        messages.success(request, _("The profile is saved."))
        return redirect(back)
    return form_page(request, context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def trainings(request: HttpRequest, pk: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    form = TrainingForm(form_data(request))
    saved = submit(
        request,
        form,
        lambda: actions.add_training(actor=Actor.from_request(request), site=site, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, _("The training is added."))
        return redirect("shelter:trainings", pk=site.pk)
    context = {
        "site": site,
        "form": form,
        "title": _("Trainings"),
        "submit": _("Add a training"),
        "back": reverse("shelter:volunteers", kwargs={"pk": site.pk}),
        "listed": [str(t) for t in actions.trainings_of(site)],
    }
    return form_page(request, context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def training_record(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    volunteer = actions.volunteer_of(site, member)
    form = TrainingRecordForm(form_data(request), trainings=actions.trainings_of(site))
    saved = submit(
        request,
        form,
        lambda: actions.record_training(
            actor=Actor.from_request(request),
            site=site,
            volunteer=volunteer,
            training_id=form.cleaned_data["training"],
            completed_on=form.cleaned_data["completed_on"],
        ),
    )
    if saved is not None:
        messages.success(request, _("The training is recorded."))
        return redirect("shelter:volunteers", pk=site.pk)
    context = {
        "site": site,
        "form": form,
        "title": _("Record a completed training"),
        "intro": volunteer.user.full_name or volunteer.user.email,
        "submit": _("Save"),
        "back": reverse("shelter:volunteers", kwargs={"pk": site.pk}),
    }
    return form_page(request, context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    """A volunteer's usual availability per weekday and slot: their own, or anyone's for the coordinator."""
    membership = acting_membership(request)
    site = sites.site_for(membership, pk)
    volunteer = actions.volunteer_of(site, member)
    actions.require_self_or_coordinator(membership, volunteer)
    slots = list(slots_of(site).filter(active=True))
    form = AvailabilityForm(form_data(request), slots=slots)
    saved = submit(
        request,
        form,
        lambda: actions.set_availability(
            actor=Actor.from_request(request), site=site, volunteer=volunteer, chosen=form.chosen()
        ),
    )
    coordinator = access.may_run_shelter(membership)
    back = reverse("shelter:volunteers" if coordinator else "shelter:my_profile", kwargs={"pk": site.pk})
    if saved is not None:
        messages.success(request, _("The availability is saved."))
        return redirect(back)
    context = {
        "site": site,
        "form": form,
        "volunteer": volunteer,
        "slots": slots,
        "grid": form.grid(actions.availability_of(volunteer)),
        "back": back,
    }
    return render(
        request,
        "shelter/volunteers/availability.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("sites/<int:pk>/volunteers/", volunteers, name="volunteers"),
    path("sites/<int:pk>/volunteers/<int:member>/", volunteer_edit, name="volunteer_edit"),
    path("sites/<int:pk>/volunteers/<int:member>/training/", training_record, name="training_record"),
    path("sites/<int:pk>/volunteers/<int:member>/availability/", availability, name="availability"),
    path("sites/<int:pk>/trainings/", trainings, name="trainings"),
    path("sites/<int:pk>/me/", my_profile, name="my_profile"),
    *roster_urls,
    *house_log_urls,
    *buddy_urls,
]
