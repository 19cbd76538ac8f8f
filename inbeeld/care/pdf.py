"""The printable care plan: a PDF made by WeasyPrint from an HTML template.

It is in the language of the page it was asked from (Dutch unless English is chosen). It names the
person by roepnaam only: a printed plan travels, and the legal name is not needed to sign it. WeasyPrint
fetches nothing: the template has no external resources, and any URL in it is refused.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.utils import timezone, translation

from inbeeld.care.presenters_plans import PlanView
from inbeeld.people.models import Person


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"The care-plan PDF loads no external resources ({url[:40]}).")


def render_plan(person: Person, view: PlanView, *, language: str) -> bytes:
    from weasyprint import HTML  # imported when needed: it loads Pango and fonts

    with translation.override(language):
        html = render_to_string(
            "care/plans/pdf.html",
            {
                "roepnaam": person.roepnaam,
                "key_worker": str(person.key_worker) if person.key_worker else "",
                "view": view,
                "version": view.current,
                "printed_on": timezone.localdate(),
                "language": language,
            },
        )
    return bytes(HTML(string=html, url_fetcher=_no_fetching).write_pdf())
