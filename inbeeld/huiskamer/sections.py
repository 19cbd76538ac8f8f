"""The person page's "Huiskamer visits": the latest visits to the viewer's own organisation's huiskamers.

Shown to those who read the person's contacts (``Need.READ_CONTACTS``) and use the huiskamer; only the
viewer's own organisation's visits (another organisation's register is theirs). Nothing shows, and
nothing is recorded as read, when there are no such visits.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string

from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent
from inbeeld.huiskamer.models import Visit
from inbeeld.people import sections

SECTION_SIZE = 5


def visits_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    if not (person_access.allows(Need.READ_CONTACTS) and access.may_use_huiskamer(person_access.membership)):
        return None
    visits = list(
        Visit.objects.filter(person=person_access.person, organisation_id=person_access.own_organisation_id)
        .select_related("location")
        .order_by("-arrived_at", "-id")[:SECTION_SIZE]
    )
    if not visits:
        return None
    with transaction.atomic():
        audit.record(
            audit.Actor.from_request(request),
            action=AuditEvent.Action.READ,
            data="huiskamer.visits.section",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=person_access.person.pk,
        )
    context = {"person": person_access.person, "visits": visits}
    return render_to_string("huiskamer/_section.html", context, request=request)


sections.register(sections.Section("huiskamer_visits", 45, visits_section))
