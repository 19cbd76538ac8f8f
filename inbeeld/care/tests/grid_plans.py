"""Permission grid for the care plan: its web pages and API operations, and the plan-making helpers
the other plan tests share.

Only a caseworker of an involved organisation (the file level) reads (READ_CARE) and changes
(EDIT_CARE) a plan. In the grid world that is organisation A's caseworker, whose organisation made
the plan. Everyone else who sees the person (outreach, host and shelter coordinator of A; the
network's coordinators and privacy officers) gets 404 on the reads (the care plan is not part of
what they may see: rule 1) and 403 on the writes (they see the person but may not do this).
Volunteers, analysts and admins see no person: 404. Members of B see nothing of this person: 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from inbeeld.care.actions.plans import ActionDraft, GoalDraft, PlanDraft, save_plan
from inbeeld.care.models import CarePlan, PlanVersion
from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.core.models import Membership
from inbeeld.people.models import Person
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def plan_draft(*goals: str, evaluation_in_days: int = 90) -> PlanDraft:
    """A valid draft: one goal per description, each with one action for the person."""
    return PlanDraft(
        goals=[
            GoalDraft(
                description=text,
                target_date=in_days(60),
                actions=[ActionDraft(what=f"Stap voor: {text}", due_date=in_days(30))],
            )
            for text in goals or ("Een eigen kamer vinden",)
        ],
        own_words="Ik wil rust en een eigen plek.",
        evaluation_date=in_days(evaluation_in_days),
    )


def save_as(
    membership: Membership, person: Person, draft: PlanDraft, based_on: int | None = None
) -> PlanVersion:
    """Save a plan version as this member (``based_on`` defaults to the current version)."""
    found = access.person_access(membership, person)
    assert found is not None
    if based_on is None:
        plan = CarePlan.objects.filter(person=person).first()
        based_on = plan.current_number if plan else 0
    actor = Actor(user=membership.user, membership=membership, source="test")
    return save_plan(found, draft, actor=actor, based_on=based_on)


def _plan(w: World) -> CarePlan:
    plan = CarePlan.objects.filter(person=w.person).first()
    if plan is None:
        save_as(w.member("caseworker", "own"), w.person, plan_draft("Grid-doel"))
        plan = CarePlan.objects.get(person=w.person)
    return plan


def _person(w: World) -> dict[str, int]:
    _plan(w)
    return {"pk": w.person.pk}


def _api_path(suffix: str = "") -> Any:
    def path(w: World) -> str:
        _plan(w)
        return f"{API}/persons/{w.person.pk}/care-plan{suffix}"

    return path


def _edit_data(w: World) -> dict[str, Any]:
    plan = _plan(w)
    return {
        "based_on": plan.current_number,
        "own_words": "Anders",
        "evaluation_date": in_days(90).isoformat(),
        "agreed_how": "not_yet",
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-0-description": "Nieuw doel",
        "goals-0-status": "open",
        "goals-0-actions-TOTAL_FORMS": "0",
        "goals-0-actions-INITIAL_FORMS": "0",
    }


def _api_body(w: World) -> dict[str, Any]:
    plan = _plan(w)
    return {
        "based_on": plan.current_number,
        "evaluation_date": in_days(90).isoformat(),
        "goals": [{"description": "Nieuw doel"}],
    }


def _evaluation(w: World) -> dict[str, Any]:
    return {
        "evaluated_on": timezone.localdate().isoformat(),
        "next_evaluation_date": in_days(120).isoformat(),
    }


# Reads: the file level of an involved organisation only.
_READ = {"caseworker": (OK, UNSEEN)}
# Writes: the person is visible to these roles, but the care plan is not theirs to change.
_WRITE = {
    "caseworker": (CHANGED, UNSEEN),
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}


def _with(expect: dict[str, tuple[int, int]], status: int) -> dict[str, tuple[int, int]]:
    """The same decisions for an operation whose success is ``status`` instead of a redirect."""
    return {role: (status if own == CHANGED else own, other) for role, (own, other) in expect.items()}


def _api(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


ROUTES = [
    GridRoute("care:plan", by_role(**_READ), kwargs=_person),
    GridRoute("care:plan_version", by_role(**_READ), kwargs=lambda w: {**_person(w), "number": 1}),
    GridRoute("care:plan_pdf", by_role(**_READ), kwargs=_person),
    GridRoute("care:plan_edit", by_role(**_WRITE), method="POST", kwargs=_person, data=_edit_data),
    GridRoute("care:plan_evaluate", by_role(**_WRITE), method="POST", kwargs=_person, data=_evaluation),
    GridRoute(f"GET {API}/persons/{{person_id}}/care-plan", _api(_READ), path=_api_path()),
    GridRoute(
        f"PUT {API}/persons/{{person_id}}/care-plan",
        _api(_with(_WRITE, OK)),
        method="PUT",
        json=True,
        path=_api_path(),
        data=_api_body,
    ),
    GridRoute(
        f"GET {API}/persons/{{person_id}}/care-plan/versions", _api(_READ), path=_api_path("/versions")
    ),
    GridRoute(
        f"GET {API}/persons/{{person_id}}/care-plan/versions/{{number}}",
        _api(_READ),
        path=_api_path("/versions/1"),
    ),
    GridRoute(
        f"GET {API}/persons/{{person_id}}/care-plan/evaluations",
        _api(_READ),
        path=_api_path("/evaluations"),
    ),
    GridRoute(
        f"POST {API}/persons/{{person_id}}/care-plan/evaluations",
        _api(_with(_WRITE, CREATED)),
        method="POST",
        json=True,
        path=_api_path("/evaluations"),
        data=_evaluation,
    ),
]


# --- helpers for the other plan tests ----------------------------------------------------------------


def form_data(based_on: int, goals: list[dict[str, Any]], **plan: Any) -> dict[str, str]:
    """A POST of the edit page: the plan's fields, then each goal and its actions as formset rows."""
    data: dict[str, Any] = {
        "based_on": based_on,
        "own_words": "In mijn eigen woorden",
        "evaluation_date": in_days(90),
        "agreed_how": "not_yet",
        **plan,
        "goals-TOTAL_FORMS": len(goals),
        "goals-INITIAL_FORMS": 0,
    }
    for i, goal in enumerate(goals):
        actions = goal.get("actions", [])
        data[f"goals-{i}-status"] = "open"
        data.update({f"goals-{i}-{k}": v for k, v in goal.items() if k != "actions"})
        data[f"goals-{i}-actions-TOTAL_FORMS"] = len(actions)
        data[f"goals-{i}-actions-INITIAL_FORMS"] = 0
        for j, action in enumerate(actions):
            row = {"who": "person", "status": "open", **action}
            data.update({f"goals-{i}-actions-{j}-{k}": v for k, v in row.items()})
    return {
        k: "" if v is None else (v.isoformat() if isinstance(v, datetime.date) else str(v))
        for k, v in data.items()
    }


def draft_as_form(draft: PlanDraft, based_on: int) -> dict[str, str]:
    """The edit page's POST that saves ``draft`` unchanged (as the page would send it back)."""
    goals = [
        {
            "number": g.number,
            "description": g.description,
            "domain": g.domain_id,
            "target_date": g.target_date,
            "status": g.status,
            "actions": [
                {
                    "number": a.number,
                    "what": a.what,
                    "who": a.who,
                    "worker": a.worker_id,
                    "organisation": a.organisation_id,
                    "who_name": a.who_name,
                    "due_date": a.due_date,
                    "status": a.status,
                }
                for a in g.actions
            ],
        }
        for g in draft.goals
    ]
    return form_data(
        based_on,
        goals,
        own_words=draft.own_words,
        evaluation_date=draft.evaluation_date,
        agreed_on=draft.agreed_on,
        agreed_how=draft.agreed_how,
    )
