"""Web pages of the person register: thin views over ``core.access`` and ``people.actions``.

Status codes: a successful POST redirects (302); a POST whose input is refused re-renders the form
with 422 and writes nothing; an edit based on an outdated version answers 409. A person who is not
visible is 404 (the same page as a person who does not exist); visible but not allowed is 403.
Pages with person data are never kept in a browser or proxy cache.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.core import access, audit
from inbeeld.core.access import Need
from inbeeld.core.audit import Actor
from inbeeld.core.roles import Role
from inbeeld.people import access_report as report
from inbeeld.people import actions, presenters, sections, timeline
from inbeeld.people.forms import (
    ConsentForm,
    EditForm,
    EndInvolvementForm,
    InvolvementForm,
    LeadForm,
    RegisterForm,
    StatusForm,
    WithdrawConsentForm,
)
from inbeeld.people.models import Consent, Involvement
from inbeeld.people.view_support import (
    acting_membership,
    child_or_404,
    clean_query,
    done,
    form_data,
    form_page,
    person_access_for,
    submit,
)

# What the access log calls each kind of data; an unknown code is shown as it is.
DATA_LABELS = {
    "person": gettext_lazy("person details"),
    "person.page": gettext_lazy("person page"),
    "person.list": gettext_lazy("list of persons"),
    "person.api": gettext_lazy("person (API)"),
    "person.edit": gettext_lazy("edit form"),
    "person.status": gettext_lazy("status"),
    "person.lead": gettext_lazy("lead organisation and key worker"),
    "person.involvements": gettext_lazy("involvements"),
    "person.consents": gettext_lazy("consents"),
    "involvement": gettext_lazy("involvement"),
    "consent": gettext_lazy("consent"),
    "audit_log": gettext_lazy("access log"),
    "person.timeline": gettext_lazy("timeline"),
}
audit.register_data_labels(DATA_LABELS)
LIST_PAGE_SIZE = 25
TIMELINE_PAGE_SIZE = 25
LOG_PAGE_SIZE = 50


# --- the by-name list ------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    persons = access.visible_persons(acting_membership(request))
    q = clean_query(request.GET.get("q", ""))
    if q:
        persons = persons.search(q)
    persons = persons.select_related("lead_organisation", "key_worker").prefetch_related("aliases")
    page = Paginator(persons.order_by("roepnaam", "id"), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    access.record_list_read(
        Actor.from_request(request), [p.pk for p in page], data="person.list", searched=bool(q)
    )
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "people/_results.html" if partial else "people/list.html"
    response = render(request, template, {"page_obj": page, "q": q})
    # The same URL answers a whole page or only the results: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    membership = access.require_register(acting_membership(request))
    form = RegisterForm(form_data(request), organisation=membership.organisation)
    person = submit(
        request,
        form,
        lambda: actions.register_person(
            form.details(),
            actor=Actor.from_request(request),
            status=form.cleaned_data["status"],
            key_worker=form.cleaned_data["key_worker"],
            reason=form.cleaned_data["reason"],
        ),
    )
    if person is not None:
        return done(request, _("%(name)s is registered.") % {"name": person.roepnaam}, person.pk)
    return form_page(
        request,
        {
            "form": form,
            "title": _("Register a person"),
            "intro": _(
                "A roepnaam is enough. Your organisation becomes involved with the person and leads "
                "their case until someone assigns another lead."
            ),
            "submit": _("Register"),
        },
    )


# --- one person ------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = access.read_person(Actor.from_request(request), pk, Need.READ_CORE, data="person.page")
    view = presenters.person_view(person_access)
    context = {"view": view, "may": view.may, "sections": sections.render_for(request, person_access)}
    return render(request, "people/detail.html", context)


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.EDIT, data="person.edit")
    person = person_access.person
    form = EditForm(form_data(request), initial={**EditForm.initial_for(person), "version": person.version})
    try:
        saved = submit(
            request,
            form,
            lambda: actions.update_person(
                person_access,
                form.details(),
                actor=Actor.from_request(request),
                expected_version=form.cleaned_data["version"],
            ),
        )
    except actions.EditConflict as conflict:
        changes = [
            {"label": form.fields[name].label, "stored": _shown(stored), "yours": _shown(yours)}
            for name, stored, yours in conflict.changed
        ]
        # Saving again is then a deliberate choice to overwrite what is stored now.
        resubmit = request.POST.copy()
        resubmit["version"] = str(conflict.person.version)
        form.data = resubmit
        context = {"conflict": changes, "title": _("Edit %(name)s") % {"name": conflict.person.roepnaam}}
        return form_page(
            request, {**context, "form": form, "person": person, "submit": _("Save")}, status=409
        )
    if saved is not None:
        return done(request, _("The details are saved."), person.pk)
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "title": _("Edit %(name)s") % {"name": person.roepnaam},
            "submit": _("Save"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.CHANGE_STATUS, data="person.status")
    person = person_access.person
    form = StatusForm(form_data(request), initial={"status": person.status})
    saved = submit(
        request,
        form,
        lambda: actions.change_status(person_access, actor=Actor.from_request(request), **form.cleaned_data),
    )
    if saved is not None:
        return done(request, _("The status is changed."), person.pk)
    facts = [
        (_("Current status"), person.get_status_display()),
        (_("Since"), _shown(person.status_since)),
    ]
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "facts": facts,
            "title": _("Change status"),
            "submit": _("Change status"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def assign_lead(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.ASSIGN_LEAD, data="person.lead")
    person = person_access.person
    initial = {"lead_organisation": person.lead_organisation_id, "key_worker": person.key_worker_id}
    form = LeadForm(form_data(request), initial=initial, network=person.network)
    saved = submit(
        request,
        form,
        lambda: actions.assign_lead(person_access, actor=Actor.from_request(request), **form.cleaned_data),
    )
    if saved is not None:
        return done(request, _("The lead organisation and key worker are saved."), person.pk)
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "title": _("Lead organisation and key worker"),
            "intro": _("The key worker (regievoerder) is the one worker responsible for this person."),
            "submit": _("Save"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def involvement_add(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.MANAGE_INVOLVEMENT, data="involvement")
    person = person_access.person
    form = InvolvementForm(form_data(request), access=person_access)
    saved = submit(
        request,
        form,
        lambda: actions.add_involvement(
            person_access, actor=Actor.from_request(request), **form.cleaned_data
        ),
    )
    if saved is not None:
        return done(request, _("The involvement is added."), person.pk)
    intro = (
        ""
        if form.has_choices
        else _(
            "There is no organisation you may involve here: your own organisation is involved already, "
            "and only the network coordinator involves other organisations."
        )
    )
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "title": _("Add an involvement"),
            "intro": intro,
            "submit": _("Add"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def involvement_end(request: HttpRequest, pk: int, involvement_pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.MANAGE_INVOLVEMENT, data="involvement")
    person = person_access.person
    involvement = child_or_404(
        Involvement.objects.filter(person=person).select_related("organisation"), involvement_pk
    )
    if not person_access.may_end_involvement_of(involvement.organisation_id):
        raise PermissionDenied(_("Only the organisation itself or a coordinator ends this involvement."))
    form = EndInvolvementForm(form_data(request))
    saved = submit(
        request,
        form,
        lambda: actions.end_involvement(
            person_access, involvement, actor=Actor.from_request(request), **form.cleaned_data
        ),
    )
    if saved is not None:
        return done(request, _("The involvement is ended."), person.pk)
    facts = [
        (_("Organisation"), involvement.organisation.name),
        (_("Started on"), _shown(involvement.started_on)),
    ]
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "facts": facts,
            "title": _("End an involvement"),
            "submit": _("End involvement"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.MANAGE_CONSENT, data="consent")
    person = person_access.person
    form = ConsentForm(form_data(request), network=person.network)
    saved = submit(
        request,
        form,
        lambda: actions.record_consent(
            person_access, form.consent_input(), actor=Actor.from_request(request)
        ),
    )
    if saved is not None:
        return done(request, _("The consent is recorded."), person.pk)
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "title": _("Record a consent"),
            "intro": _(
                "Record what the person allows: which organisation may receive which data, for what "
                "purpose and how long. Use another basis only when the law provides one."
            ),
            "submit": _("Record consent"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.MANAGE_CONSENT, data="consent")
    person = person_access.person
    consent = child_or_404(Consent.objects.filter(person=person).select_related("recipient"), consent_pk)
    form = WithdrawConsentForm(form_data(request))
    saved = submit(
        request,
        form,
        lambda: actions.withdraw_consent(
            person_access, consent, actor=Actor.from_request(request), note=form.cleaned_data["note"]
        ),
    )
    if saved is not None:
        return done(request, _("The consent is withdrawn."), person.pk)
    facts = [
        (_("Recipient organisation"), consent.recipient.name),
        (_("Purpose"), consent.get_purpose_display()),
        (_("Data categories"), _shown(consent.category_labels())),
        (_("Valid from"), _shown(consent.valid_from)),
    ]
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "facts": facts,
            "title": _("Withdraw a consent"),
            "submit": _("Withdraw consent"),
        },
    )


@login_required
@never_cache
@require_GET
def person_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = access.read_person(
        Actor.from_request(request), pk, Need.READ_CORE, data="person.timeline"
    )
    number = _page_number(request)
    entries, has_next = timeline.page(person_access, number, TIMELINE_PAGE_SIZE)
    context = {"person": person_access.person, "entries": entries, "number": number, "has_next": has_next}
    return render(request, "people/timeline.html", context)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1


@login_required
@never_cache
@require_GET
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = access.person_for(acting_membership(request), pk, Need.READ_ACCESS_LOG)
    events = presenters.access_log(person_access, Actor.from_request(request))
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    roles = dict(Role.choices)
    rows = [(event, roles.get(event.role, event.role), audit.data_label(event.data)) for event in page]
    return render(
        request,
        "people/access_log.html",
        {"person": person_access.person, "page_obj": page, "rows": rows},
    )


@login_required
@never_cache
@require_GET
def access_report(request: HttpRequest, pk: int, format: str = "html") -> HttpResponse:
    """The printable access report for the person (``people.access_report``), as a page or a PDF."""
    person_access = access.person_for(acting_membership(request), pk, Need.READ_ACCESS_LOG)
    language = report.language_of(request.GET.get("lang"))
    events = report.export(person_access, Actor.from_request(request), language=language, format=format)
    html = report.render_html(person_access, events, language=language, format=format)
    if format == "pdf":
        response = HttpResponse(report.render_pdf(html), content_type="application/pdf")
    else:
        response = HttpResponse(html)
    name = report.filename(person_access.person.pk, language, format)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
