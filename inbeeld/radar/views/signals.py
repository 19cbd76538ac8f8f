"""Signal pages: my signals, one signal, and acknowledging or resolving it.

A signal is seen by whoever sees its person's radar core (``queries.signal_for`` with
``Need.READ_RADAR``: 404 otherwise, the same as a signal that does not exist). Acting on it needs
``Need.ACT_ON_SIGNAL``: a member who sees the signal but whose role may not act gets 403. A write
redirects (302) to the signal; refused input re-renders the signal with 422 and the error next to the
field (``outcome``, ``note``), or, when the signal is no longer open, the ``state`` error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.core.roles import Role
from inbeeld.people.view_support import acting_membership, submit
from inbeeld.radar import presenters, queries
from inbeeld.radar.actions import signals as actions
from inbeeld.radar.forms import AcknowledgeForm, ResolveForm
from inbeeld.radar.models import Signal
from inbeeld.radar.presenters import SignalLine

# A list longer than this is not read on a phone: the rest is a filter on the dashboard away.
GROUP_MAX = 100


@dataclass(frozen=True)
class SignalGroup:
    key: str
    title: str
    total: int
    items: list[tuple[Signal, SignalLine]]


@login_required
@never_cache
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    """Open signals assigned to me; for the coordinator also the escalated and the unassigned ones."""
    membership = acting_membership(request)
    open_signals = (
        queries.visible_signals(membership)
        .filter(state=Signal.State.OPEN)
        .order_by("-severity", "opened_on", "id")
    )
    wanted = [("mine", gettext_lazy("Assigned to me"), open_signals.filter(assigned_to=request.user.pk))]
    if membership.role == Role.COORDINATOR:
        wanted += [
            ("escalated", gettext_lazy("Escalated"), open_signals.filter(escalated_on__isnull=False)),
            ("unassigned", gettext_lazy("Assigned to nobody"), open_signals.filter(assigned_to__isnull=True)),
        ]
    groups = []
    for key, title, signals in wanted:
        shown = list(signals[:GROUP_MAX])
        total = len(shown) if len(shown) < GROUP_MAX else signals.count()
        groups.append(SignalGroup(key, str(title), total, [(s, presenters.signal_line(s)) for s in shown]))
    person_ids = list(dict.fromkeys(s.person_id for group in groups for s, _line in group.items))
    access.record_list_read(Actor.from_request(request), person_ids, data="radar.signals", searched=False)
    return render(request, "radar/signals.html", {"groups": groups, "group_max": GROUP_MAX})


@dataclass(frozen=True)
class SignalDetail:
    signal: Signal
    line: SignalLine
    roepnaam: str
    outcome_note: str  # empty when there is none or this viewer may not read it
    may_acknowledge: bool
    may_resolve: bool


def detail_of(pk: int, found: PersonAccess) -> SignalDetail:
    signal = Signal.objects.select_related(
        "assigned_to", "assigned_organisation", "acknowledged_by", "resolved_by", "resolved_by_organisation"
    ).get(pk=pk)
    may_act = signal.is_open and found.allows(Need.ACT_ON_SIGNAL)
    resolved = signal.state == Signal.State.RESOLVED
    return SignalDetail(
        signal=signal,
        line=presenters.signal_line(signal),
        roepnaam=found.person.roepnaam,
        outcome_note=signal.outcome_note if resolved and presenters.reads_outcome_note(signal, found) else "",
        may_acknowledge=may_act and signal.acknowledged_at is None,
        may_resolve=may_act,
    )


def _signal_page(
    request: HttpRequest,
    signal: Signal,
    found: PersonAccess,
    *,
    failed: Form | None = None,
    resolve_form: ResolveForm | None = None,
) -> HttpResponse:
    detail = detail_of(signal.pk, found)
    # The write functions name the signal's state when it is no longer open: not a field of any form.
    state_error = " ".join(str(e) for e in failed.non_field_errors()) if failed is not None else ""
    context = {
        "detail": detail,
        "signal": detail.signal,
        "resolve_form": resolve_form or ResolveForm(),
        "state_error": state_error,
        "may_record_contact": found.allows(Need.RECORD_CONTACT),
    }
    return render(request, "radar/signal.html", context, status=200 if failed is None else 422)


@login_required
@never_cache
@require_GET
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal, found = queries.read_signal(Actor.from_request(request), pk)
    return _signal_page(request, signal, found)


@login_required
@never_cache
@require_POST
def signal_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    signal, found = queries.signal_for(acting_membership(request), pk, Need.ACT_ON_SIGNAL)
    form = AcknowledgeForm(request.POST)
    actor = Actor.from_request(request)
    done = submit(request, form, lambda: actions.acknowledge_signal(signal, person_access=found, actor=actor))
    if done is None:
        return _signal_page(request, signal, found, failed=form)
    messages.success(request, _("You have acknowledged the signal: it is yours to act on."))
    return redirect("radar:signal", pk=signal.pk)


@login_required
@never_cache
@require_POST
def signal_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    signal, found = queries.signal_for(acting_membership(request), pk, Need.ACT_ON_SIGNAL)
    form = ResolveForm(request.POST)
    actor = Actor.from_request(request)
    done = submit(
        request,
        form,
        lambda: actions.resolve_signal(signal, person_access=found, actor=actor, **form.resolution()),
    )
    if done is None:
        return _signal_page(request, signal, found, failed=form, resolve_form=form)
    messages.success(
        request,
        _("The signal is resolved: %(outcome)s.") % {"outcome": done.get_outcome_display()},
    )
    return redirect("radar:signal", pk=signal.pk)


urlpatterns = [
    path("signals/", signal_list, name="signals"),
    path("signals/<int:pk>/", signal_detail, name="signal"),
    path("signals/<int:pk>/acknowledge/", signal_acknowledge, name="signal_acknowledge"),
    path("signals/<int:pk>/resolve/", signal_resolve, name="signal_resolve"),
]
