"""The person API: the by-name list, a person's file, involvements, consents and the access log.

Every operation asks ``core.access`` first (404 when the person is not visible, 403 when the role may
not do this), then calls a write function of ``people.actions`` or a ``people.presenters`` read.
Reads are audited by ``access.read_person`` / ``access.record_list_read``, writes by the actions.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime, and
# for paginated views it would resolve the strings in ninja's module, not this one.

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.api import Page, actor, errors, membership_of
from inbeeld.core.models import AuditEvent, Membership, Organisation, User
from inbeeld.people import actions, presenters, ties, timeline
from inbeeld.people.models import Consent, Involvement, NetworkTie, Person
from inbeeld.people.schemas import (
    AuditEventOut,
    ConflictOut,
    ConsentIn,
    ConsentOut,
    EndInvolvementIn,
    EndTieIn,
    InvolvementIn,
    InvolvementOut,
    LeadIn,
    NetworkSizeOut,
    PersonOut,
    PersonPatchIn,
    PersonSummaryOut,
    RegisterIn,
    SearchText,
    StatusIn,
    TieIn,
    TieOut,
    TimelinePageOut,
    WithdrawIn,
)

router = Router(tags=["persons"])

# 403 also answers a user without the two-factor authentication their role requires.
ERRORS = errors(401, 403, 404, 422)

# The write functions name model fields; the API takes ids, and an error must name what was sent.
_API_FIELD_NAMES = {
    "lead_organisation": "lead_organisation_id",
    "key_worker": "key_worker_id",
    "organisation": "organisation_id",
    "recipient": "recipient_id",
}


@contextmanager
def _api_field_names() -> Iterator[None]:
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed = {_API_FIELD_NAMES.get(name, name): errs for name, errs in error.error_dict.items()}
        raise ValidationError(renamed) from None


def _organisation(membership: Membership, organisation_id: int, *, field: str) -> Organisation:
    # Unknown and other-network organisations get the same answer: ids of other networks are not news.
    organisation = Organisation.objects.filter(
        pk=organisation_id, network_id=membership.organisation.network_id
    ).first()
    if organisation is None:
        raise ValidationError({field: _("Choose an organisation of this network.")})
    return organisation


def _key_worker(membership: Membership, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = (
        User.objects.filter(
            pk=user_id,
            is_active=True,
            memberships__ended_on__isnull=True,
            memberships__organisation__network_id=membership.organisation.network_id,
        )
        .distinct()
        .first()
    )
    if user is None:
        # Same text as the write function's own check, so a user id elsewhere reveals nothing.
        raise ValidationError(
            {"key_worker_id": _("The key worker must be a caseworker of the lead organisation.")}
        )
    return user


def _person_out(found: PersonAccess) -> dict[str, Any]:
    view = presenters.person_view(found)
    data = dataclasses.asdict(view)
    data["lead_organisation_id"] = found.person.lead_organisation_id
    data["key_worker_id"] = found.person.key_worker_id
    return data


def _after_write(found: PersonAccess, person: Person) -> dict[str, Any]:
    """The person as the writer sees them now; the write's own audit event records this access."""
    return _person_out(dataclasses.replace(found, person=person))


# --- the by-name list -------------------------------------------------------------------------------


class PersonPage(Page):
    """A page of the by-name list; the roepnamen on it are a read of each person, so it is audited."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        searched = bool((params.get("q") or "").strip())
        access.record_list_read(
            actor(request), [p.pk for p in page[self.items_attribute]], data="person.list", searched=searched
        )
        return page


@router.get(
    "/persons",
    response={200: list[PersonSummaryOut], **ERRORS},
    summary="The by-name list: persons you may see, optionally searched",
    description="`q` matches roepnaam and aliases (part of the name) and phone numbers (exact number only).",
)
@paginate(PersonPage)
def list_persons(request: HttpRequest, q: SearchText = "") -> QuerySet[Person]:
    persons = access.visible_persons(membership_of(request)).search(q)
    return persons.select_related("lead_organisation", "key_worker").prefetch_related("aliases")


@router.post("/persons", response={201: PersonOut, **ERRORS}, summary="Register a person")
def register_person(request: HttpRequest, payload: RegisterIn) -> Status[dict[str, Any]]:
    membership = access.require_register(membership_of(request))
    details = actions.PersonDetails(**payload.model_dump(exclude={"status", "key_worker_id", "reason"}))
    key_worker = _key_worker(membership, payload.key_worker_id)
    with _api_field_names():
        person = actions.register_person(
            details, actor=actor(request), status=payload.status, key_worker=key_worker, reason=payload.reason
        )
    # The registering organisation is involved and leads, so the registrar always sees the person.
    found = access.person_access(membership, person)
    if found is None:
        raise access.not_found()
    return Status(201, _person_out(found))


# --- one person -------------------------------------------------------------------------------------


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, summary="A person")
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_out(access.read_person(actor(request), person_id, Need.READ_CORE, data="person.api"))


@router.patch(
    "/persons/{person_id}",
    response={200: PersonOut, 409: ConflictOut, **ERRORS},
    summary="Edit a person's details",
    description="Send the `version` you read. If someone saved the person since, nothing is written "
    "and the answer is 409 with the fields that differ.",
)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatchIn) -> dict[str, Any]:
    found = access.person_for(membership_of(request), person_id, Need.EDIT)
    person = found.person
    current: dict[str, Any] = {name: getattr(person, name) for name in ("roepnaam", *actions.DETAIL_FIELDS)}
    current["aliases"] = person.alias_names()
    details = actions.PersonDetails(
        **{**current, **payload.model_dump(exclude_unset=True, exclude={"version"})}
    )
    updated = actions.update_person(found, details, actor=actor(request), expected_version=payload.version)
    if updated.version == person.version:
        # Nothing changed, so no write was recorded; the answer still shows the file: record that read.
        found = access.read_person(actor(request), person_id, Need.EDIT, data="person.api")
        return _person_out(found)
    return _after_write(found, updated)


@router.post("/persons/{person_id}/status", response={200: PersonOut, **ERRORS}, summary="Change the status")
def change_status(request: HttpRequest, person_id: int, payload: StatusIn) -> dict[str, Any]:
    found = access.person_for(membership_of(request), person_id, Need.CHANGE_STATUS)
    person = actions.change_status(
        found,
        actor=actor(request),
        status=payload.status,
        effective_on=payload.effective_on,
        note=payload.note,
    )
    return _after_write(found, person)


@router.put(
    "/persons/{person_id}/lead",
    response={200: PersonOut, **ERRORS},
    summary="Assign the lead organisation and key worker",
)
def assign_lead(request: HttpRequest, person_id: int, payload: LeadIn) -> dict[str, Any]:
    found = access.person_for(membership_of(request), person_id, Need.ASSIGN_LEAD)
    organisation = None
    if payload.lead_organisation_id is not None:
        organisation = _organisation(
            found.membership, payload.lead_organisation_id, field="lead_organisation_id"
        )
    key_worker = _key_worker(found.membership, payload.key_worker_id)
    with _api_field_names():
        person = actions.assign_lead(
            found, actor=actor(request), lead_organisation=organisation, key_worker=key_worker
        )
    return _after_write(found, person)


# --- involvements -----------------------------------------------------------------------------------


def _involvement_out(found: PersonAccess, involvement_id: int) -> Any:
    return next(i for i in presenters.involvements_of(found) if i.id == involvement_id)


@router.get(
    "/persons/{person_id}/involvements",
    response={200: list[InvolvementOut], **ERRORS},
    summary="Organisations involved with a person",
)
@paginate(Page)
def list_involvements(request: HttpRequest, person_id: int) -> list[Any]:
    found = access.read_person(actor(request), person_id, Need.READ_INVOLVEMENTS, data="person.involvements")
    return presenters.involvements_of(found)


@router.post(
    "/persons/{person_id}/involvements",
    response={201: InvolvementOut, **ERRORS},
    summary="Record that an organisation becomes involved",
)
def add_involvement(request: HttpRequest, person_id: int, payload: InvolvementIn) -> Status[Any]:
    found = access.person_for(membership_of(request), person_id, Need.MANAGE_INVOLVEMENT)
    organisation = _organisation(found.membership, payload.organisation_id, field="organisation_id")
    with _api_field_names():
        involvement = actions.add_involvement(
            found,
            actor=actor(request),
            organisation=organisation,
            started_on=payload.started_on,
            reason=payload.reason,
        )
    return Status(201, _involvement_out(found, involvement.pk))


@router.post(
    "/persons/{person_id}/involvements/{involvement_id}/end",
    response={200: InvolvementOut, **ERRORS},
    summary="End an organisation's involvement",
)
def end_involvement(
    request: HttpRequest, person_id: int, involvement_id: int, payload: EndInvolvementIn
) -> Any:
    found = access.person_for(membership_of(request), person_id, Need.MANAGE_INVOLVEMENT)
    involvement = Involvement.objects.filter(pk=involvement_id, person=found.person).first()
    if involvement is None:
        raise access.not_found()
    if not found.may_end_involvement_of(involvement.organisation_id):
        raise PermissionDenied(_("Your role may not do this for this person."))
    actions.end_involvement(
        found, involvement, actor=actor(request), ended_on=payload.ended_on, end_reason=payload.end_reason
    )
    return _involvement_out(found, involvement.pk)


# --- consents ---------------------------------------------------------------------------------------


def _consent_out(found: PersonAccess, consent_id: int) -> Any:
    return next(c for c in presenters.consents_of(found) if c.id == consent_id)


@router.get(
    "/persons/{person_id}/consents",
    response={200: list[ConsentOut], **ERRORS},
    summary="A person's consents and other legal bases",
)
@paginate(Page)
def list_consents(request: HttpRequest, person_id: int) -> list[Any]:
    found = access.read_person(actor(request), person_id, Need.READ_CONSENTS, data="person.consents")
    return presenters.consents_of(found)


@router.post(
    "/persons/{person_id}/consents",
    response={201: ConsentOut, **ERRORS},
    summary="Record a consent or other legal basis",
)
def record_consent(request: HttpRequest, person_id: int, payload: ConsentIn) -> Status[Any]:
    found = access.person_for(membership_of(request), person_id, Need.MANAGE_CONSENT)
    recipient = _organisation(found.membership, payload.recipient_id, field="recipient_id")
    data = actions.ConsentInput(
        recipient=recipient,
        purpose=payload.purpose,
        data_categories=list(payload.data_categories),
        how_given=payload.how_given,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        basis=payload.basis,
        note=payload.note,
    )
    with _api_field_names():
        consent = actions.record_consent(found, data, actor=actor(request))
    return Status(201, _consent_out(found, consent.pk))


@router.post(
    "/persons/{person_id}/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **ERRORS},
    summary="Withdraw a consent",
)
def withdraw_consent(request: HttpRequest, person_id: int, consent_id: int, payload: WithdrawIn) -> Any:
    found = access.person_for(membership_of(request), person_id, Need.MANAGE_CONSENT)
    consent = Consent.objects.filter(pk=consent_id, person=found.person).first()
    if consent is None:
        raise access.not_found()
    actions.withdraw_consent(found, consent, actor=actor(request), note=payload.note)
    return _consent_out(found, consent.pk)


# --- the access log ---------------------------------------------------------------------------------


@router.get(
    "/persons/{person_id}/access-log",
    response={200: list[AuditEventOut], **ERRORS},
    summary="Who read or changed this person's data (reading it is recorded too)",
)
@paginate(Page)
def person_access_log(request: HttpRequest, person_id: int) -> QuerySet[AuditEvent]:
    found = access.person_for(membership_of(request), person_id, Need.READ_ACCESS_LOG)
    return presenters.access_log(found, actor(request))


# --- the timeline -----------------------------------------------------------------------------------


@router.get(
    "/persons/{person_id}/timeline",
    response={200: TimelinePageOut, **ERRORS},
    summary="Everything recorded about a person that the caller may see, newest first",
)
def person_timeline(request: HttpRequest, person_id: int, page: int = Query(1, ge=1, le=10_000)) -> Any:
    found = access.read_person(actor(request), person_id, Need.READ_CORE, data="person.timeline")
    entries, has_next = timeline.page(found, page)
    return {"page": page, "has_next": has_next, "items": [dataclasses.asdict(e) for e in entries]}


# --- the social network map ---------------------------------------------------------------------------


def _tie_out(found: PersonAccess, tie: NetworkTie) -> dict[str, Any]:
    return {
        "id": tie.pk,
        "kind": tie.kind,
        "kind_label": tie.get_kind_display(),
        "quality": tie.quality,
        "quality_label": tie.get_quality_display(),
        "name": tie.name,
        "frequency": tie.frequency,
        "frequency_label": tie.get_frequency_display(),
        "started_on": tie.started_on,
        "ended_on": tie.ended_on,
        "note": tie.note,
        "organisation_id": tie.organisation_id,
        "organisation": str(tie.organisation),
        "may_edit": ties.may_edit(found, tie),
    }


def _tie_access(request: HttpRequest, tie_id: int) -> tuple[PersonAccess, NetworkTie]:
    """A tie the caller may change. A tie the caller cannot read does not exist for them (404)."""
    person_id = NetworkTie.objects.filter(pk=tie_id).values_list("person_id", flat=True).first()
    if person_id is None:
        raise access.not_found()
    found = access.person_for(membership_of(request), person_id, Need.READ_NETWORK_MAP)
    return found, ties.tie_for_edit(found, tie_id)


@router.get(
    "/persons/{person_id}/ties",
    response={200: list[TieOut], **ERRORS},
    summary="A person's social network map: the ties the caller may see, open ones first",
)
@paginate(Page)
def list_ties(request: HttpRequest, person_id: int) -> list[Any]:
    found, scope = ties.read_ties(actor(request), person_id, data="network_map")
    shown = ties.ties_of(found, scope).order_by("ended_on", "-started_on", "id")
    return [_tie_out(found, tie) for tie in shown]


@router.post(
    "/persons/{person_id}/ties",
    response={201: TieOut, **ERRORS},
    summary="Add a tie to a person's social network map",
)
def add_tie(request: HttpRequest, person_id: int, payload: TieIn) -> Status[Any]:
    found = access.person_for(membership_of(request), person_id, Need.EDIT_NETWORK_MAP)
    tie = ties.add_tie(found, actor=actor(request), **payload.dict())
    return Status(201, _tie_out(found, tie))


@router.put("/ties/{tie_id}", response={200: TieOut, **ERRORS}, summary="Change a tie")
def change_tie(request: HttpRequest, tie_id: int, payload: TieIn) -> Any:
    found, tie = _tie_access(request, tie_id)
    tie = ties.change_tie(found, tie, actor=actor(request), **payload.dict())
    return _tie_out(found, tie)


@router.post(
    "/ties/{tie_id}/end",
    response={200: TieOut, **ERRORS},
    summary="End a tie: it stays in the history, no longer counted in the network size",
)
def end_tie(request: HttpRequest, tie_id: int, payload: EndTieIn) -> Any:
    found, tie = _tie_access(request, tie_id)
    tie = ties.end_tie(found, tie, actor=actor(request), ended_on=payload.ended_on)
    return _tie_out(found, tie)


@router.get(
    "/persons/{person_id}/network-size",
    response={200: list[NetworkSizeOut], **ERRORS},
    summary="Network size and supportive ties at the end of each of the last 12 months",
)
def network_size(request: HttpRequest, person_id: int) -> list[Any]:
    found, scope = ties.read_ties(actor(request), person_id, data="network_map.size")
    return [dataclasses.asdict(point) for point in ties.size_series(ties.ties_of(found, scope))]
