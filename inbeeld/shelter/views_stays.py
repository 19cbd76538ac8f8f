"""Web pages of the shelter's beds, stays and waitlist.

Who: the site's coordinator for everything but the residents list and the house rules, which its
volunteers read too (403 for them elsewhere); every other role and organisation 404 (``shelter.sites``).
Status codes as in ``huiskamer.views``: a write redirects (302); refused input re-renders the page with
422 naming the field and writes nothing. Pages that show roepnamen record the read (basis: shelter).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.core.models import Location
from inbeeld.people.models import Person
from inbeeld.people.view_support import acting_membership, clean_query, form_data, submit
from inbeeld.shelter import sites
from inbeeld.shelter.forms_stays import (
    BedForm,
    CheckInForm,
    CheckOutForm,
    CloseEntryForm,
    HouseRulesForm,
    PriorityForm,
    RoomForm,
    StayForm,
    WaitlistForm,
)
from inbeeld.shelter.models import Bed, HouseRules, Room, Stay, WaitlistEntry
from inbeeld.shelter.stays import rooms as room_actions
from inbeeld.shelter.stays import stays as stay_actions
from inbeeld.shelter.stays import waitlist as waitlist_actions
from inbeeld.shelter.stays.common import Action, coordinated_row, record, record_list

SEARCH_RESULTS = 8


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


# --- rooms, beds and house rules ----------------------------------------------------------------------


def _rooms_page(request: HttpRequest, site: Location, *, status: int = 200, **forms: Any) -> HttpResponse:
    beds = list(room_actions.beds_with_occupancy(site).order_by("label", "id"))
    rooms = [(room, [b for b in beds if b.room_id == room.pk]) for room in Room.objects.filter(location=site)]
    context = {"site": site, "rooms": rooms, "room_form": forms.get("room_form") or RoomForm(), **forms}
    return render(request, "shelter/stays/rooms.html", context, status=status)


@login_required
@never_cache
@require_GET
def rooms(request: HttpRequest, pk: int) -> HttpResponse:
    return _rooms_page(request, sites.coordinated_site(acting_membership(request), pk))


@login_required
@never_cache
@require_POST
def room_add(request: HttpRequest, pk: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    form = RoomForm(request.POST)
    added = submit(
        request, form, lambda: room_actions.add_room(site, actor=_actor(request), **form.cleaned_data)
    )
    if added is None:
        return _rooms_page(request, site, status=422, room_form=form)
    messages.success(request, _("The room is added."))
    return redirect("shelter:rooms", pk=site.pk)


@login_required
@never_cache
@require_POST
def bed_add(request: HttpRequest, pk: int) -> HttpResponse:
    room = coordinated_row(acting_membership(request), Room.objects.all(), pk, site_field="location")
    form = BedForm(request.POST)
    added = submit(
        request, form, lambda: room_actions.add_bed(room, actor=_actor(request), **form.cleaned_data)
    )
    if added is None:
        return _rooms_page(request, room.location, status=422, bed_form=form, bed_form_room=room.pk)
    messages.success(request, _("The bed is added."))
    return redirect("shelter:rooms", pk=room.location_id)


@login_required
@never_cache
@require_POST
def bed_in_use(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    bed = coordinated_row(
        membership, Bed.objects.select_related("room__location"), pk, site_field="room__location"
    )
    form = Form(request.POST)
    in_use = request.POST.get("in_use") == "1"
    changed = submit(
        request, form, lambda: room_actions.set_bed_in_use(bed, actor=_actor(request), in_use=in_use)
    )
    if changed is None:
        return _rooms_page(
            request, bed.room.location, status=422, bed_error=form.non_field_errors(), bed_error_bed=bed.pk
        )
    messages.success(request, _("The bed is in use.") if in_use else _("The bed is out of use."))
    return redirect("shelter:rooms", pk=bed.room.location_id)


def _house_rules_page(
    request: HttpRequest, site: Location, *, form: HouseRulesForm | None = None
) -> HttpResponse:
    current = HouseRules.objects.current_at(site)
    may_publish = access.may_run_shelter(acting_membership(request))
    if may_publish and form is None:
        form = HouseRulesForm(initial={"text": current.text if current else ""})
    context = {"site": site, "current": current, "form": form if may_publish else None}
    return render(
        request, "shelter/stays/house_rules.html", context, status=422 if form and form.is_bound else 200
    )


@login_required
@never_cache
@require_GET
def house_rules(request: HttpRequest, pk: int) -> HttpResponse:
    return _house_rules_page(request, sites.site_for(acting_membership(request), pk))


@login_required
@never_cache
@require_POST
def house_rules_publish(request: HttpRequest, pk: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    form = HouseRulesForm(request.POST)

    def write() -> HouseRules:
        return room_actions.publish_house_rules(site, actor=_actor(request), text=form.cleaned_data["text"])

    rules = submit(request, form, write)
    if rules is None:
        return _house_rules_page(request, site, form=form)
    messages.success(
        request, _("Version %(version)d of the house rules is published.") % {"version": rules.version}
    )
    return redirect("shelter:house_rules", pk=site.pk)


# --- the bed board and the residents --------------------------------------------------------------


@login_required
@never_cache
@require_GET
def beds(request: HttpRequest, pk: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    board = stay_actions.board(site)
    record_list(_actor(request), board.person_ids, data="shelter.beds")
    return render(request, "shelter/stays/beds.html", {"site": site, "board": board})


@login_required
@never_cache
@require_GET
def residents(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    site = sites.site_for(membership, pk)
    stays = stay_actions.open_stays(site)
    record_list(_actor(request), [stay.person_id for stay in stays], data="shelter.residents")
    context = {"site": site, "stays": stays, "coordinator": access.may_run_shelter(membership)}
    return render(request, "shelter/stays/residents.html", context)


# --- the waitlist ---------------------------------------------------------------------------------


def _search(request: HttpRequest, q: str) -> list[Person]:
    if not q:
        return []
    found = access.visible_persons(acting_membership(request)).search(q).prefetch_related("aliases")
    persons = list(found.order_by("roepnaam", "id")[:SEARCH_RESULTS])
    access.record_list_read(_actor(request), [p.pk for p in persons], data="shelter.search", searched=True)
    return persons


def _waitlist_page(request: HttpRequest, site: Location, *, status: int = 200, **extra: Any) -> HttpResponse:
    entries = list(waitlist_actions.waiting_at(site))
    record_list(_actor(request), [entry.person_id for entry in entries], data="shelter.waitlist")
    context = {
        "site": site,
        "entries": entries,
        "priority_form": PriorityForm(),
        "close_form": CloseEntryForm(),
        "free_beds": room_actions.free_beds(site).count(),
        **extra,
    }
    return render(request, "shelter/stays/waitlist.html", context, status=status)


@login_required
@never_cache
@require_GET
def waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    return _waitlist_page(request, sites.coordinated_site(acting_membership(request), pk))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def waitlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    site = sites.coordinated_site(membership, pk)
    form = WaitlistForm(form_data(request))

    def write() -> WaitlistEntry:
        person = waitlist_actions.visible_person(membership, form.cleaned_data["person"])
        data = form.cleaned_data
        return waitlist_actions.add_to_waitlist(
            site, actor=_actor(request), person=person, priority=data["priority"], note=data["note"]
        )

    if submit(request, form, write) is not None:
        messages.success(request, _("Added to the waitlist."))
        return redirect("shelter:waitlist", pk=site.pk)
    q = clean_query(request.GET.get("q", ""))
    chosen = _visible(membership, _int(form["person"].value()))
    context = {"site": site, "form": form, "chosen": chosen, "q": q, "persons": _search(request, q)}
    return render(request, "shelter/stays/waitlist_add.html", context, status=422 if form.is_bound else 200)


def _visible(membership: Any, pk: int | None) -> Person | None:
    """The person the form chose, shown again on a refused submit (only one the member sees)."""
    return None if pk is None else access.visible_persons(membership).filter(pk=pk).first()


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@never_cache
@require_GET
def person_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The live search of the waitlist and check-in forms: radio buttons to pick a person (htmx)."""
    sites.coordinated_site(acting_membership(request), pk)
    q = clean_query(request.GET.get("q", ""))
    return render(request, "care/contacts/_person_results.html", {"persons": _search(request, q), "q": q})


def _entry_write(
    request: HttpRequest, pk: int, form_class: type[Form], write: Callable[..., Any]
) -> HttpResponse:
    rows = WaitlistEntry.objects.select_related("location")
    entry = coordinated_row(acting_membership(request), rows, pk, site_field="location")
    form = form_class(request.POST)
    if submit(request, form, lambda: write(entry, actor=_actor(request), **form.cleaned_data)) is None:
        return _waitlist_page(request, entry.location, status=422, failed=entry.pk, failed_form=form)
    messages.success(request, _("The waitlist is updated."))
    return redirect("shelter:waitlist", pk=entry.location_id)


@login_required
@never_cache
@require_POST
def waitlist_priority(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_write(request, pk, PriorityForm, waitlist_actions.change_priority)


@login_required
@never_cache
@require_POST
def waitlist_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_write(request, pk, CloseEntryForm, waitlist_actions.close_entry)


# --- check-in, the stay, check-out ----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    site = sites.coordinated_site(membership, pk)
    entries = list(waitlist_actions.waiting_at(site))
    preselected = next((e for e in entries if str(e.pk) == request.GET.get("entry")), None)
    initial = {"person": preselected.person_id} if preselected else {}
    form = CheckInForm(form_data(request), initial=initial, beds=room_actions.free_beds(site))

    def write() -> Stay:
        data = form.cleaned_data
        return stay_actions.check_in(
            site,
            actor=_actor(request),
            person=stay_actions.person_to_check_in(membership, site, data["person"]),
            bed=data["bed"],
            planned_end_on=data["planned_end_on"],
            house_rules_accepted=data["house_rules_accepted"],
            note=data["note"],
        )

    stay = submit(request, form, write)
    if stay is not None:
        messages.success(request, _("%(name)s is checked in.") % {"name": stay.person.roepnaam})
        return redirect("shelter:beds", pk=site.pk)
    if request.method == "GET":
        record_list(_actor(request), [e.person_id for e in entries], data="shelter.check_in_form")
    q = clean_query(request.GET.get("q", ""))
    waiting_ids = {e.person_id for e in entries}
    chosen_id = _int(form["person"].value())
    chosen = None if chosen_id in waiting_ids else _visible(membership, chosen_id)
    context = {
        "site": site,
        "form": form,
        "entries": entries,
        "chosen_id": chosen_id,
        "chosen": chosen,
        "q": q,
        "persons": [p for p in _search(request, q) if p.pk not in waiting_ids],
        "house_rules": HouseRules.objects.current_at(site),
    }
    return render(request, "shelter/stays/check_in.html", context, status=422 if form.is_bound else 200)


def _stay(request: HttpRequest, pk: int) -> Stay:
    rows = Stay.objects.select_related("person", "bed__room", "location", "house_rules")
    return coordinated_row(acting_membership(request), rows, pk, site_field="location")


def _stay_beds(stay: Stay) -> Any:
    return room_actions.free_beds(stay.location, keeping=stay.bed_id).order_by("room__name", "label", "id")


def _stay_page(
    request: HttpRequest, stay: Stay, *, form: StayForm | None = None, out_form: CheckOutForm | None = None
) -> HttpResponse:
    if form is None and out_form is None:
        with transaction.atomic():
            record(
                _actor(request),
                action=Action.READ,
                data="shelter.stay",
                person_id=stay.person_id,
                object_id=stay.pk,
            )
    initial = {"version": stay.version, "planned_end_on": stay.planned_end_on, "bed": stay.bed_id}
    context = {
        "site": stay.location,
        "stay": stay,
        "form": form or StayForm(initial=initial, beds=_stay_beds(stay)),
        "out_form": out_form or CheckOutForm(),
    }
    return render(request, "shelter/stays/stay.html", context, status=422 if form or out_form else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    if request.method == "GET":
        return _stay_page(request, stay)
    form = StayForm(request.POST, beds=_stay_beds(stay))

    def write() -> Stay:
        data = form.cleaned_data
        return stay_actions.change_stay(
            stay,
            actor=_actor(request),
            version=data["version"],
            bed=data["bed"],
            planned_end_on=data["planned_end_on"],
        )

    if submit(request, form, write) is None:
        if "version" in form.errors:
            # Show what is stored now, with the conflict message, so the next save is a decision.
            stay.refresh_from_db()
            fresh = StayForm(
                initial={"version": stay.version, "planned_end_on": stay.planned_end_on, "bed": stay.bed_id},
                beds=_stay_beds(stay),
            )
            fresh.conflict = form.errors["version"]  # type: ignore[attr-defined]
            return _stay_page(request, stay, form=fresh)
        return _stay_page(request, stay, form=form)
    messages.success(request, _("The stay is saved."))
    return redirect("shelter:stay", pk=stay.pk)


@login_required
@never_cache
@require_POST
def stay_check_out(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk)
    form = CheckOutForm(request.POST)

    def write() -> Stay:
        data = form.cleaned_data
        return stay_actions.check_out(
            stay, actor=_actor(request), reason=data["checkout_reason"], checked_out_at=data["checked_out_at"]
        )

    if submit(request, form, write) is None:
        return _stay_page(request, stay, out_form=form)
    messages.success(request, _("%(name)s is checked out.") % {"name": stay.person.roepnaam})
    return redirect("shelter:beds", pk=stay.location_id)


urlpatterns: list[URLPattern] = [
    path("sites/<int:pk>/rooms/", rooms, name="rooms"),
    path("sites/<int:pk>/rooms/add/", room_add, name="room_add"),
    path("rooms/<int:pk>/beds/add/", bed_add, name="bed_add"),
    path("beds/<int:pk>/in-use/", bed_in_use, name="bed_in_use"),
    path("sites/<int:pk>/house-rules/", house_rules, name="house_rules"),
    path("sites/<int:pk>/house-rules/publish/", house_rules_publish, name="house_rules_publish"),
    path("sites/<int:pk>/beds/", beds, name="beds"),
    path("sites/<int:pk>/residents/", residents, name="residents"),
    path("sites/<int:pk>/waitlist/", waitlist, name="waitlist"),
    path("sites/<int:pk>/waitlist/add/", waitlist_add, name="waitlist_add"),
    path("sites/<int:pk>/persons/", person_search, name="person_search"),
    path("waitlist/<int:pk>/priority/", waitlist_priority, name="waitlist_priority"),
    path("waitlist/<int:pk>/close/", waitlist_close, name="waitlist_close"),
    path("sites/<int:pk>/check-in/", check_in, name="check_in"),
    path("stays/<int:pk>/", stay_detail, name="stay"),
    path("stays/<int:pk>/check-out/", stay_check_out, name="stay_check_out"),
]
