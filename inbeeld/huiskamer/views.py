"""Web pages of the huiskamer register: today at a location, registering a visit, marking it left, totals.

Status codes as in ``care.views.contacts``: a write redirects (302); refused input re-renders the form
with 422 naming the field and writes nothing; a location or visit that is not the member's is 404, as is
every page for roles outside ``roles.HUISKAMER``.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.care.models import Topic
from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.huiskamer import actions
from inbeeld.huiskamer.forms import ANONYMOUS, VisitForm
from inbeeld.huiskamer.models import Intent, Service, Visit
from inbeeld.people.models import Person
from inbeeld.people.view_support import acting_membership, clean_query, form_data, submit

SEARCH_RESULTS = 8


def _search(request: HttpRequest, q: str) -> list[Person]:
    if not q:
        return []
    found = access.visible_persons(acting_membership(request)).search(q).prefetch_related("aliases")
    persons = list(found.order_by("roepnaam", "id")[:SEARCH_RESULTS])
    access.record_list_read(
        Actor.from_request(request), [p.pk for p in persons], data="huiskamer.search", searched=True
    )
    return persons


def _day(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@never_cache
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    locations = list(actions.locations_for(acting_membership(request)))
    if len(locations) == 1:
        return redirect("huiskamer:today", pk=locations[0].pk)
    return render(request, "huiskamer/index.html", {"locations": locations})


@login_required
@never_cache
@require_GET
def today(request: HttpRequest, pk: int) -> HttpResponse:
    location = actions.location_for(acting_membership(request), pk)
    visits = list(actions.visits_on(location, timezone.localdate()))
    actions.record_visits_read(Actor.from_request(request), visits, data="huiskamer.today")
    topics, services = dict(Topic.choices), dict(Service.choices)
    rows = [
        (
            visit,
            [str(topics.get(t, t)) for t in visit.questions],
            [str(services.get(s, s)) for s in visit.services],
        )
        for visit in visits
    ]
    context = {
        "location": location,
        "inside": [row for row in rows if row[0].left_at is None],
        "left": [row for row in rows if row[0].left_at is not None],
        "open_questions": [row for row in rows if row[1] or Service.REFERRAL_WANTED in row[0].services],
        "anonymous_count": sum(1 for v in visits if v.person_id is None),
        "named_count": sum(1 for v in visits if v.person_id is not None),
        "opening_hours": location.opening_hours.all(),
        "may_start_intake": access.may_start_intake(acting_membership(request)),
    }
    return render(request, "huiskamer/today.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership = actions.require_huiskamer(acting_membership(request))
    location = actions.location_for(membership, pk)
    actor = Actor.from_request(request)
    form = VisitForm(form_data(request), membership=membership)
    visit = submit(
        request,
        form,
        lambda: actions.register_visit(
            actor=actor, location=location, person_access=form.person_access, data=form.visit_input()
        ),
    )
    if visit is not None:
        if visit.person_id is None:
            messages.success(request, _("The anonymous visit is registered."))
        else:
            messages.success(request, _("The visit is registered."))
        return redirect("huiskamer:today", pk=location.pk)
    chosen = form.person_access.person if form.person_access is not None else None
    q = clean_query(request.GET.get("q", ""))
    context = {
        "location": location,
        "form": form,
        "chosen": chosen,
        "anonymous_chosen": form["person"].value() == ANONYMOUS,
        "q": q,
        "persons": _search(request, q),
    }
    return render(
        request, "huiskamer/visit_new.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
@never_cache
@require_POST
def visit_left(request: HttpRequest, pk: int) -> HttpResponse:
    visit: Visit = actions.visit_for(acting_membership(request), pk)
    try:
        actions.mark_left(actor=Actor.from_request(request), visit=visit)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked as left."))
    return redirect("huiskamer:today", pk=visit.location_id)


@login_required
@never_cache
@require_GET
def totals(request: HttpRequest, pk: int) -> HttpResponse:
    location = actions.location_for(acting_membership(request), pk)
    day = _day(request)
    day_totals, month_totals = actions.day_and_month(location, day)
    intents, services, topics = dict(Intent.choices), dict(Service.choices), dict(Topic.choices)
    rows = [
        (_("Visits"), day_totals.visits, month_totals.visits),
        (_("Named"), day_totals.named, month_totals.named),
        (_("Anonymous"), day_totals.anonymous, month_totals.anonymous),
        (_("First visits"), day_totals.first_visits, month_totals.first_visits),
    ]
    rows += [(str(intents[k]), day_totals.intents[k], month_totals.intents[k]) for k in Intent.values]
    rows += [(str(services[k]), day_totals.services[k], month_totals.services[k]) for k in Service.values]
    rows += [
        (_("Question: %(topic)s") % {"topic": topics.get(k, k)}, day_totals.questions.get(k, 0), n)
        for k, n in month_totals.questions.items()
    ]
    context = {
        "location": location,
        "day": day,
        "rows": rows,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
    }
    return render(request, "huiskamer/totals.html", context)


app_name = "huiskamer"
urlpatterns = [
    path("", index, name="index"),
    path("locations/<int:pk>/", today, name="today"),
    path("locations/<int:pk>/visits/new/", visit_new, name="visit_new"),
    path("locations/<int:pk>/totals/", totals, name="totals"),
    path("visits/<int:pk>/left/", visit_left, name="visit_left"),
]
