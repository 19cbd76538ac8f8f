"""The care-plan API: a person's current plan, its versions and its evaluations.

Every operation asks ``core.access`` first (404 when the person or their file is not visible, 403 when
the role may not do this), then ``care.presenters_plans`` (a plan of another organisation without the
person's consent is 404, like no plan) and the write functions of ``care.actions.plans``.
An edit sends the version it read as ``based_on``; when someone saved a newer one, the answer is 409
with what changed and nothing is written.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime, and
# for paginated views it would resolve the strings in ninja's module, not this one.

import dataclasses
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.care import presenters_plans as presenters
from inbeeld.care.actions import plans as actions
from inbeeld.care.actions.plans import ActionDraft, GoalDraft, PlanConflict, PlanDraft
from inbeeld.care.presenters_plans import PlanAccess
from inbeeld.care.schemas_plans import (
    EvaluationIn,
    EvaluationOut,
    PlanConflictOut,
    PlanIn,
    PlanOut,
    PlanVersionOut,
    VersionSummaryOut,
)
from inbeeld.core import access
from inbeeld.core.access import Need
from inbeeld.core.api import Page, actor, errors, membership_of

router = Router(tags=["care plans"])

# 403 also answers a user without the two-factor authentication their role requires.
ERRORS = errors(401, 403, 404, 422)
PLAN = "/persons/{person_id}/care-plan"


def _editable(found: PlanAccess) -> None:
    if not found.may_edit:
        raise PermissionDenied(_("This care plan is kept by another organisation; only they change it."))


def _plan_out(found: PlanAccess) -> dict[str, Any]:
    return dataclasses.asdict(presenters.plan_view(found))


def _draft(payload: PlanIn) -> PlanDraft:
    return PlanDraft(
        goals=[
            GoalDraft(
                description=g.description,
                domain_id=g.domain_id,
                target_date=g.target_date,
                status=g.status,
                number=g.number,
                actions=[ActionDraft(**a.model_dump()) for a in g.actions],
            )
            for g in payload.goals
        ],
        own_words=payload.own_words,
        evaluation_date=payload.evaluation_date,
        agreed_on=payload.agreed_on,
        agreed_how=payload.agreed_how,
    )


@router.get(PLAN, response={200: PlanOut, **ERRORS}, summary="A person's current care plan")
def get_care_plan(request: HttpRequest, person_id: int) -> dict[str, Any]:
    found = presenters.decide(membership_of(request), person_id, Need.READ_CARE)
    out = _plan_out(found)  # 404 before anything is recorded when there is no plan to show
    presenters.record_read(actor(request), found, data="care_plan.api")
    return out


@router.put(
    PLAN,
    response={200: PlanOut, 201: PlanOut, 409: PlanConflictOut, **ERRORS},
    summary="Save the care plan as a new version (the first save makes the plan)",
    description="Send the whole plan and the `current_number` you read as `based_on` (0 for a new plan). "
    "Every save is a new version; earlier versions stay readable. Goals and actions you keep carry their "
    "`number`; leave it out for new ones. If someone saved a newer version since, nothing is written "
    "and the answer is 409 with what changed. 201 when the plan was made, 200 for a new version.",
)
def save_care_plan(request: HttpRequest, person_id: int, payload: PlanIn) -> Status[Any]:
    found = presenters.decide(membership_of(request), person_id, Need.EDIT_CARE)
    _editable(found)
    try:
        version = actions.save_plan(
            found.person_access, _draft(payload), actor=actor(request), based_on=payload.based_on
        )
    except PlanConflict as conflict:
        # The changes are the stored plan's content: showing them is a read.
        presenters.record_read(actor(request), found, data="care_plan.conflict")
        return Status(409, conflict.body())
    # The write's own audit event records this access.
    after = presenters.plan_for(found.person_access)
    return Status(201 if version.number == 1 else 200, _plan_out(after))


@router.get(
    f"{PLAN}/versions",
    response={200: list[VersionSummaryOut], **ERRORS},
    summary="The versions of a person's care plan, newest first",
)
@paginate(Page)
def list_care_plan_versions(request: HttpRequest, person_id: int) -> list[Any]:
    found = presenters.decide(membership_of(request), person_id, Need.READ_CARE)
    versions = presenters.versions_of(found)
    presenters.record_read(actor(request), found, data="care_plan.versions")
    return versions


@router.get(
    f"{PLAN}/versions/{{number}}",
    response={200: PlanVersionOut, **ERRORS},
    summary="One version of a person's care plan, as it was saved",
)
def get_care_plan_version(request: HttpRequest, person_id: int, number: int) -> dict[str, Any]:
    found = presenters.decide(membership_of(request), person_id, Need.READ_CARE)
    version = presenters.version_of(found.require_plan(), number)
    if version is None:
        raise access.not_found()
    presenters.record_read(actor(request), found, data="care_plan.version", detail={"version": number})
    return dataclasses.asdict(presenters.version_view(version))


@router.get(
    f"{PLAN}/evaluations",
    response={200: list[EvaluationOut], **ERRORS},
    summary="The evaluations of a person's care plan, newest first",
)
@paginate(Page)
def list_care_plan_evaluations(request: HttpRequest, person_id: int) -> list[Any]:
    found = presenters.decide(membership_of(request), person_id, Need.READ_CARE)
    evaluations = presenters.evaluations_of(found)
    presenters.record_read(actor(request), found, data="care_plan.evaluations")
    return evaluations


@router.post(
    f"{PLAN}/evaluations",
    response={201: EvaluationOut, **ERRORS},
    summary="Record an evaluation of the care plan",
    description="The next evaluation date becomes the plan's evaluation date: a new version of the plan.",
)
def record_care_plan_evaluation(request: HttpRequest, person_id: int, payload: EvaluationIn) -> Status[Any]:
    found = presenters.decide(membership_of(request), person_id, Need.EDIT_CARE)
    found.require_plan()
    _editable(found)
    evaluation = actions.record_evaluation(found.person_access, actor=actor(request), **payload.model_dump())
    out = next(e for e in presenters.evaluations_of(found) if e.id == evaluation.pk)
    return Status(201, out)
