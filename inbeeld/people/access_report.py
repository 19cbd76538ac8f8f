"""The person's access report: who saw or changed what of their data, when, and on which basis.

It is printed for the person, in Dutch (the default) or English, as a page and as a PDF made by
WeasyPrint from the same template. Those who may read the access log (``Need.READ_ACCESS_LOG``) may
print it; printing is itself recorded, as an export. WeasyPrint fetches nothing: any URL is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.core import audit
from inbeeld.core.access import PersonAccess
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
FORMATS = ("html", "pdf")

audit.register_data_labels({"access_report": gettext_lazy("access report")})


def language_of(requested: str | None) -> str:
    """The report's language: English when asked for, Dutch otherwise."""
    return requested if requested in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class ReportRow:
    occurred_at: datetime.datetime
    who: str
    on_behalf_of: str
    organisation: str
    role: str
    action: str
    data: str
    basis: str
    consent: str
    emergency: bool


def _consent_label(consent: Consent | None, consent_id: int) -> str:
    if consent is None:
        return f"#{consent_id}"
    return f"#{consent.pk} · {consent.get_purpose_display()} · {consent.recipient.name}"


def rows_for(events: Iterable[AuditEvent]) -> list[ReportRow]:
    """One row per event, labelled in the active language."""
    events = list(events)
    consent_ids = {e.consent_id_snapshot for e in events if e.consent_id_snapshot is not None}
    consents = Consent.objects.select_related("recipient").in_bulk(consent_ids)
    role_labels = dict(Role.choices)
    return [
        ReportRow(
            occurred_at=event.occurred_at,
            who=event.user_label,
            on_behalf_of=event.on_behalf_of_label,
            organisation=event.organisation_label,
            role=str(role_labels.get(event.role, event.role)),
            action=event.get_action_display(),
            data=audit.data_label(event.data),
            basis=event.get_basis_display(),
            consent=(
                _consent_label(consents.get(event.consent_id_snapshot), event.consent_id_snapshot)
                if event.consent_id_snapshot is not None
                else ""
            ),
            emergency=event.emergency,
        )
        for event in events
    ]


def export(access: PersonAccess, actor: audit.Actor, *, language: str, format: str) -> list[AuditEvent]:
    """Record the export, then return every event about the person, oldest first (the export included)."""
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.EXPORT,
            data="access_report",
            basis=access.basis,
            person_id=access.person.pk,
            object_id=access.person.pk,
            detail={"language": language, "format": format},
        )
        return list(AuditEvent.objects.filter(person_id_snapshot=access.person.pk).order_by("id"))


def render_html(
    access: PersonAccess, events: Iterable[AuditEvent], *, language: str, format: str = "html"
) -> str:
    person = access.person
    with translation.override(language):
        return render_to_string(
            "people/access_report.html",
            {
                "roepnaam": person.roepnaam,
                "person_id": person.pk,
                "rows": rows_for(events),
                "printed_on": timezone.localdate(),
                "printed_by": str(access.membership.user),
                "language": language,
                "format": format,
                "languages": LANGUAGES,
                "title": _("Access report"),
            },
        )


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"The access report loads no external resources ({url[:40]}).")


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported when needed: it loads Pango and fonts

    return bytes(HTML(string=html, url_fetcher=_no_fetching).write_pdf())


def filename(person_id: int, language: str, format: str) -> str:
    # No name in the file name: downloads folders and mail attachments outlive the file's access rules.
    return f"access-report-{person_id}-{language}.{format}"
