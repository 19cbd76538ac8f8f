"""The steps every form page over one person repeats: shared by the people and care views."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.people.forms import attach_errors

SEARCH_MAX = 100
T = TypeVar("T")
M = TypeVar("M", bound=Model)


def acting_membership(request: HttpRequest) -> Any:
    return getattr(request, "membership", None)


def form_data(request: HttpRequest) -> QueryDict | None:
    # An empty POST is still a submission: bind it so missing fields are reported.
    return request.POST if request.method == "POST" else None


def person_access_for(request: HttpRequest, pk: int, need: Need, *, data: str) -> PersonAccess:
    """A form page shows person data, so showing it is an audited read; a POST's write records itself."""
    if request.method == "GET":
        return access.read_person(Actor.from_request(request), pk, need, data=data)
    return access.person_for(acting_membership(request), pk, need)


def child_or_404(queryset: QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise access.not_found()
    return found


def submit(request: HttpRequest, form: Form, write: Callable[[], T]) -> T | None:
    """Run the write for a valid POST; its ValidationError goes back onto the form fields."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write()
    except ValidationError as error:
        attach_errors(form, error)
        return None


def form_page(request: HttpRequest, context: dict[str, Any], *, status: int | None = None) -> HttpResponse:
    if status is None:
        status = 422 if request.method == "POST" else 200
    return render(request, "people/form.html", context, status=status)


def done(request: HttpRequest, message: str, person_id: int) -> HttpResponse:
    messages.success(request, message)
    return redirect("people:detail", pk=person_id)


def clean_query(text: str) -> str:
    # Control characters never match a name and PostgreSQL refuses NUL in a query.
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return kept.strip()[:SEARCH_MAX]
