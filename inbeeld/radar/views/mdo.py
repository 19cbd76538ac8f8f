"""The network meeting (MDO): its agenda as a page and as a PDF to print for the meeting.

The meeting is the coordinator's (``roles.RUN_MDO``). Other roles with a radar see that the page exists
but may not use it (403); roles without a radar get 404, as for every radar page. Showing the agenda
is an audited read of each person named on it; the PDF is an audited export.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from inbeeld.core import access, audit
from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent, Membership
from inbeeld.people.view_support import acting_membership
from inbeeld.radar import mdo

audit.register_data_labels({"radar.mdo": gettext_lazy("network meeting (MDO) agenda")})


def _coordinator(request: HttpRequest) -> Membership:
    membership = acting_membership(request)
    if not access.may_use_radar(membership):
        raise access.not_found()
    if not access.may_run_mdo(membership):
        raise PermissionDenied(_("Only the network coordinator prepares the network meeting."))
    return membership  # type: ignore[no-any-return]


def _agenda(request: HttpRequest, membership: Membership) -> mdo.Agenda:
    attending = mdo.attending_organisations(membership, request.GET.getlist("org"))
    return mdo.build_agenda(membership, attending)


@login_required
@never_cache
@require_GET
def mdo_agenda(request: HttpRequest) -> HttpResponse:
    membership = _coordinator(request)
    agenda = _agenda(request, membership)
    access.record_list_read(Actor.from_request(request), agenda.person_ids, data="radar.mdo", searched=False)
    return render(request, "radar/mdo/agenda.html", {"agenda": agenda})


@login_required
@never_cache
@require_GET
def mdo_pdf(request: HttpRequest) -> HttpResponse:
    membership = _coordinator(request)
    agenda = _agenda(request, membership)
    language = (get_language() or "nl")[:2]
    content = mdo.render_pdf(agenda, language=language)
    with transaction.atomic():
        audit.record(
            Actor.from_request(request),
            action=AuditEvent.Action.EXPORT,
            data="radar.mdo",
            basis=AuditEvent.Basis.NETWORK_ROLE,
            detail={
                "persons": agenda.person_ids,
                "not_shown": agenda.not_shown,
                "organisations": agenda.attending_ids,
                "language": language,
                "format": "pdf",
            },
        )
    response = HttpResponse(content, content_type="application/pdf")
    # No names in the file name: downloads folders and mail attachments outlive the access rules.
    response["Content-Disposition"] = f'inline; filename="mdo-agenda-{agenda.day.isoformat()}.pdf"'
    return response


urlpatterns = [
    path("mdo/", mdo_agenda, name="mdo"),
    path("mdo/pdf/", mdo_pdf, name="mdo_pdf"),
]
