"""Web pages for contacts: the quick contact form, a person's contacts and their section on the person page.

Status codes as in ``people.views``: a recorded contact redirects (302); refused input re-renders the form
with 422 and writes nothing; a person who is not visible is 404, visible but not allowed 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.care.actions import contacts
from inbeeld.care.forms_contacts import ANONYMOUS, QuickContactForm
from inbeeld.care.models import Contact
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.core.models import Membership
from inbeeld.people import sections
from inbeeld.people.models import Person
from inbeeld.people.view_support import clean_query, form_data, submit

LIST_PAGE_SIZE = 25
SEARCH_RESULTS = 8
SECTION_SIZE = 5
# The channel a worker used last is what they most likely use next (the street, the huiskamer).
LAST_CHANNEL = "inbeeld_last_channel"


def _search(actor: Actor, membership: Membership, q: str) -> list[Person]:
    """Persons this member works with whose roepnaam or alias matches; showing them is an audited search."""
    if not q:
        return []
    found = access.visible_persons(membership).search(q).prefetch_related("aliases")
    persons = list(found.order_by("roepnaam", "id")[:SEARCH_RESULTS])
    access.record_list_read(actor, [p.pk for p in persons], data="contact.search", searched=True)
    return persons


def _rows(shown: Any) -> list[tuple[Contact, list[str]]]:
    return [(contact, contacts.topic_labels(contact.topics)) for contact in shown]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    membership = contacts.require_recorder(getattr(request, "membership", None))
    actor = Actor.from_request(request)
    chosen: Person | None = None
    if request.method == "GET" and request.GET.get("person"):
        # Prefilled from the person page: the roepnaam on the form is a read.
        chosen = access.read_person(
            actor, request.GET["person"], Need.RECORD_CONTACT, data="contact.form"
        ).person
    initial = {"person": chosen.pk if chosen else "", "channel": request.session.get(LAST_CHANNEL, "")}
    form = QuickContactForm(form_data(request), membership=membership, initial=initial)
    contact = submit(request, form, lambda: contacts.record_contact(actor=actor, **form.contact_input()))
    if contact is not None:
        request.session[LAST_CHANNEL] = contact.channel
        if contact.person_id is None:
            messages.success(request, _("The anonymous contact is recorded."))
            return redirect("care:contact_new")
        messages.success(request, _("The contact is recorded."))
        return redirect("people:detail", pk=contact.person_id)
    if form.person_access is not None:
        chosen = form.person_access.person
    q = clean_query(request.GET.get("q", ""))
    context = {
        "form": form,
        "chosen": chosen,
        "anonymous_chosen": form["person"].value() == ANONYMOUS,
        "q": q,
        "persons": _search(actor, membership, q),
    }
    return render(request, "care/contacts/new.html", context, status=422 if request.method == "POST" else 200)


@login_required
@never_cache
@require_GET
def contact_person_search(request: HttpRequest) -> HttpResponse:
    """The live search of the contact form: radio buttons to pick a person (htmx swaps them in)."""
    membership = contacts.require_recorder(getattr(request, "membership", None))
    q = clean_query(request.GET.get("q", ""))
    persons = _search(Actor.from_request(request), membership, q)
    return render(request, "care/contacts/_person_results.html", {"persons": persons, "q": q})


@login_required
@never_cache
@require_GET
def contact_list(request: HttpRequest, pk: int) -> HttpResponse:
    person_access, scope = contacts.read_contacts(Actor.from_request(request), pk, data="contacts.list")
    rows = contacts.contacts_of(person_access, scope)
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "person": person_access.person,
        "page_obj": page,
        "rows": _rows(page),
        "may_record": person_access.allows(Need.RECORD_CONTACT),
        "own_organisation_id": person_access.own_organisation_id,
    }
    return render(request, "care/contacts/list.html", context)


def contacts_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    """The person page's latest contacts (as the viewer may see them) and the button to record one."""
    may_read = person_access.allows(Need.READ_CONTACTS)
    may_record = person_access.allows(Need.RECORD_CONTACT)
    if not (may_read or may_record):
        return None
    latest: list[Contact] = []
    if may_read:
        scope = contacts.record_scope(person_access, Contact.objects.all())
        latest = list(contacts.contacts_of(person_access, scope)[:SECTION_SIZE])
        if latest:
            contacts.record_read(Actor.from_request(request), person_access, scope, data="contacts.section")
    context: dict[str, Any] = {
        "person": person_access.person,
        "rows": _rows(latest),
        "may_read": may_read,
        "may_record": may_record,
        "own_organisation_id": person_access.own_organisation_id,
    }
    return render_to_string("care/contacts/_section.html", context, request=request)


sections.register(sections.Section("contacts", 40, contacts_section))

urlpatterns = [
    path("contacts/new/", contact_new, name="contact_new"),
    path("contacts/persons/", contact_person_search, name="contact_person_search"),
    path("persons/<int:pk>/contacts/", contact_list, name="contact_list"),
]
