"""API operations for self-sufficiency assessments: the instruments, and a person's assessments.

Like the person API: ``core.access`` first (404 when the person or their file is not visible, 403
when the role may not record), then a write of ``care.actions.assessments`` or one of its reads.
Reads are audited (``access.read_person`` plus one event per consent that lets another
organisation's assessments show), writes by the write function.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime, and
# for paginated views it would resolve the strings in ninja's module, not this one.

import dataclasses
from collections.abc import Sequence
from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.care.actions import assessments as actions
from inbeeld.care.models import Assessment, Instrument
from inbeeld.care.schemas_assessments import AssessmentIn, AssessmentOut, InstrumentOut, SummaryOut
from inbeeld.core import access
from inbeeld.core.access import Need
from inbeeld.core.api import Page, actor, errors, membership_of

router = Router(tags=["assessments"])

ERRORS = errors(401, 403, 404, 422)


class _Views(Sequence[actions.AssessmentView]):
    """A queryset that turns into views only for the page that is shown."""

    def __init__(self, queryset: QuerySet[Assessment]):
        self.queryset = queryset

    def count(self, value: Any = None) -> int:  # type: ignore[override]
        return self.queryset.count()

    def all(self) -> "_Views":
        return self

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> actions.AssessmentView: ...
    @overload
    def __getitem__(self, index: slice) -> list[actions.AssessmentView]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [actions.assessment_view(a) for a in self.queryset[index]]
        return actions.assessment_view(self.queryset[index])


def _instrument_out(instrument: Instrument) -> dict[str, Any]:
    lang = actions.language()
    return {
        "id": instrument.pk,
        "code": instrument.code,
        "name": instrument.name,
        "description": instrument.description,
        "network_specific": instrument.network_id is not None,
        "levels": [
            {"value": value, "label": instrument.level_label(value, lang)}
            for value in actions.levels_of(instrument)
        ],
        "domains": [
            {"id": d.pk, "code": d.code, "name": d.label(lang), "description": d.description}
            for d in sorted(instrument.domains.all(), key=lambda d: d.position)
        ],
    }


@router.get(
    "/instruments",
    response={200: list[InstrumentOut], **ERRORS},
    summary="The assessment instruments of your network, with their domains and levels",
    description="Active instruments only: the ones every network has and your network's own. "
    "No person data. For caseworkers, who record assessments.",
)
@paginate(Page)
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    membership = access.require_membership(membership_of(request))
    if not access.may_use_instruments(membership):
        raise access.not_found()
    return [_instrument_out(i) for i in actions.instruments_for(membership.organisation.network_id)]


@router.get(
    "/persons/{person_id}/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    summary="A person's assessments, newest first",
    description="Your organisation's, and another organisation's as the person's consent allows.",
)
@paginate(Page)
def list_assessments(request: HttpRequest, person_id: int) -> _Views:
    found = access.read_person(actor(request), person_id, Need.READ_CARE, data="assessments")
    seen = actions.visibility(found)
    # The list (and its count) covers every organisation whose assessments are visible.
    actions.record_read(actor(request), seen, seen.bases, data="assessments", own_basis=False)
    return _Views(seen.queryset().prefetch_related("scores__domain"))


def _instrument(found: access.PersonAccess, instrument_id: int | None) -> Instrument:
    if instrument_id is None:
        instrument = actions.default_instrument(found.person.network_id)
    else:
        # Whether it may be used here is the write function's decision; unknown ids end the same way.
        instrument = Instrument.objects.filter(pk=instrument_id).first()
    if instrument is None:
        raise ValidationError({"instrument_id": _("Choose an instrument of this network.")})
    return instrument


def _scores(payload: AssessmentIn) -> dict[int, actions.ScoreInput]:
    seen: dict[int, actions.ScoreInput] = {}
    for score in payload.scores:
        if score.domain_id in seen:
            raise ValidationError({"scores": _("Each domain may be scored once.")})
        seen[score.domain_id] = (score.value, score.note)
    return seen


@router.post(
    "/persons/{person_id}/assessments",
    response={201: AssessmentOut, **ERRORS},
    summary="Record an assessment",
    description="Scores are checked against the instrument's levels; an error names the field, "
    "`score_<domain code>` or `note_<domain code>` for one domain.",
)
def record_assessment(request: HttpRequest, person_id: int, payload: AssessmentIn) -> Status[Any]:
    found = access.person_for(membership_of(request), person_id, Need.EDIT_CARE)
    instrument = _instrument(found, payload.instrument_id)
    try:
        assessment = actions.record_assessment(
            found,
            actor=actor(request),
            instrument=instrument,
            assessed_on=payload.assessed_on,
            scores=_scores(payload),
            note=payload.note,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "instrument" in error.error_dict:
            raise ValidationError({"instrument_id": error.error_dict["instrument"]}) from None
        raise
    saved = Assessment.objects.select_related("instrument", "organisation", "assessed_by").get(
        pk=assessment.pk
    )
    return Status(201, dataclasses.asdict(actions.assessment_view(saved)))


@router.get(
    "/persons/{person_id}/assessments/summary",
    response={200: SummaryOut, **ERRORS},
    summary="The latest scores and the change per domain since its first score",
    description="Computed over the assessments you may see that used the latest one's instrument. "
    "With no assessment, `latest_id` is null and `domains` empty.",
)
def assessment_summary(request: HttpRequest, person_id: int) -> dict[str, Any]:
    found = access.read_person(actor(request), person_id, Need.READ_CARE, data="assessments.summary")
    seen = actions.visibility(found)
    summary = actions.summary(seen)
    actions.record_read(
        actor(request), seen, summary.organisation_ids, data="assessments.summary", own_basis=False
    )
    return {
        "count": summary.count,
        "instrument_id": summary.instrument.pk if summary.instrument else None,
        "instrument": summary.instrument.name if summary.instrument else None,
        "first_on": summary.first_on,
        "latest_id": summary.latest_id,
        "latest_on": summary.latest_on,
        "domains": [dataclasses.asdict(d) for d in summary.domains],
    }


@router.get(
    "/persons/{person_id}/assessments/{assessment_id}",
    response={200: AssessmentOut, **ERRORS},
    summary="One assessment with its scores",
)
def get_assessment(request: HttpRequest, person_id: int, assessment_id: int) -> dict[str, Any]:
    found = access.read_person(actor(request), person_id, Need.READ_CARE, data="assessment")
    seen = actions.visibility(found)
    assessment = seen.get(assessment_id)
    if assessment is None:
        raise access.not_found()
    actions.record_read(
        actor(request),
        seen,
        [assessment.organisation_id],
        data="assessment",
        object_id=assessment.pk,
        own_basis=False,
    )
    return dataclasses.asdict(actions.assessment_view(assessment))
