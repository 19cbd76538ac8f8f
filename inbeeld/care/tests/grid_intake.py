"""Permission grid for the intake wizard (``care.views.intake``), and the intakes the intake tests use.

The policy:
- The list of intakes in progress and the start page belong to the roles that start intakes
  (caseworker, host), each seeing their own organisation's intakes: the list is a plain list of the
  acting organisation's intakes, so a member of B gets B's (empty) list, not A's. Roles that see persons
  but do not start intakes get 403 (as for registering a person); roles that see no persons get 404.
- One intake's pages: the caseworkers and hosts of the organisation that started it; 404 for everyone
  else, members of that organisation in other roles included (rule 1: not yours = not there).
- From the consent step on the steps are a caseworker's: a host of A is refused (403), and sees on
  the page (GET, 200) that a caseworker continues; ``test_intake.py`` covers that page.

Each step page is entered with a valid POST for an intake at that step (a redirect when allowed).
The intake in the grid world is A's, started by A's caseworker, about the world's person (A leads,
A's caseworker is the key worker).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from inbeeld.care.models import Intake
from inbeeld.core.models import Organisation, User
from inbeeld.people.models import Person
from inbeeld.testing.grid import GridRoute, World, by_role

OK, MOVED, FORBIDDEN, UNSEEN = 200, 302, 403, 404
Step = Intake.Step


def local_minute(delta: datetime.timedelta = datetime.timedelta(0)) -> str:
    """A moment as the browser's datetime-local input sends it."""
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def make_intake(
    organisation: Organisation, started_by: User, step: str, person: Person | None = None, draft: str = ""
) -> Intake:
    return Intake.objects.create(
        organisation=organisation, started_by=started_by, step=step, person=person, draft=draft
    )


def step_data(step: str, *, recipient: Organisation, key_worker: User) -> dict[str, Any]:
    """A valid submission completing ``step``."""
    tomorrow_ten = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=10, minute=0)
    steps: dict[str, dict[str, Any]] = {
        Step.PERSON: {"then": "register", "roepnaam": "Nieuw"},
        Step.FIRST_CONTACT: {"occurred_at": local_minute(), "channel": "huiskamer", "kind": "information"},
        Step.CONSENT: {
            "recipient": recipient.pk,
            "purpose": "referral",
            "data_categories": ["contacts"],
            "basis": "consent",
            "how_given": "verbal",
            "valid_from": timezone.localdate().isoformat(),
        },
        Step.KEY_WORKER: {"languages": "nl, ro", "key_worker": key_worker.pk},
        Step.ASSESSMENT: {
            "starts_at": tomorrow_ten.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "place": "Huiskamer",
        },
    }
    return steps[step]


def _caseworker(w: World) -> User:
    return w.member("caseworker", "own").user


def _intake_at(step: str) -> Any:
    def kwargs(w: World) -> dict[str, int]:
        person = None if step == Step.PERSON else w.person
        return {"pk": make_intake(w.org_a, _caseworker(w), step, person).pk}

    return kwargs


def _valid(step: str) -> Any:
    return lambda w: step_data(step, recipient=w.org_b, key_worker=_caseworker(w))


# The start page and the list: every starter, in either organisation (each sees their own).
_STARTERS_PAGES = {
    "outreach": (FORBIDDEN, FORBIDDEN),
    "shelter_coordinator": (FORBIDDEN, FORBIDDEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
# One of A's intakes, in a step a host may do: A's caseworker and host.
_OWN_STEP = {"caseworker": (MOVED, UNSEEN), "host": (MOVED, UNSEEN)}
# One of A's intakes, in a caseworker's step.
_CASEWORKER_STEP = {"caseworker": (MOVED, UNSEEN), "host": (FORBIDDEN, UNSEEN)}

ROUTES = [
    GridRoute("care:intake_list", by_role(caseworker=(OK, OK), host=(OK, OK), **_STARTERS_PAGES)),
    GridRoute(
        "care:intake_start",
        by_role(caseworker=(MOVED, MOVED), host=(MOVED, MOVED), **_STARTERS_PAGES),
        method="POST",
        data=_valid(Step.PERSON),
    ),
    # An intake in progress continues at its step (a redirect); a completed one is shown (test_intake).
    GridRoute("care:intake_detail", by_role(**_OWN_STEP), kwargs=_intake_at(Step.FIRST_CONTACT)),
    GridRoute(
        "care:intake_person",
        by_role(**_OWN_STEP),
        method="POST",
        kwargs=_intake_at(Step.PERSON),
        data=_valid(Step.PERSON),
    ),
    GridRoute(
        "care:intake_contact",
        by_role(**_OWN_STEP),
        method="POST",
        kwargs=_intake_at(Step.FIRST_CONTACT),
        data=_valid(Step.FIRST_CONTACT),
    ),
    GridRoute(
        "care:intake_consent",
        by_role(**_CASEWORKER_STEP),
        method="POST",
        kwargs=_intake_at(Step.CONSENT),
        data=_valid(Step.CONSENT),
    ),
    GridRoute(
        "care:intake_key_worker",
        by_role(**_CASEWORKER_STEP),
        method="POST",
        kwargs=_intake_at(Step.KEY_WORKER),
        data=_valid(Step.KEY_WORKER),
    ),
    GridRoute(
        "care:intake_assessment",
        by_role(**_CASEWORKER_STEP),
        method="POST",
        kwargs=_intake_at(Step.ASSESSMENT),
        data=_valid(Step.ASSESSMENT),
    ),
    GridRoute(
        "care:intake_discard",
        by_role(**_OWN_STEP),
        method="POST",
        kwargs=_intake_at(Step.CONSENT),
    ),
]
