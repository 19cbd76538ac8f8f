"""Permission grid for the intake API (``care.api.intake``): the web wizard's policy (``grid_intake``).

- The list and starting an intake: caseworkers and hosts, each in their own organisation (a member of B
  starts and lists B's intakes); other roles that see persons 403, roles that see none 404.
- One intake (A's, started by A's caseworker, about the world's person): A's caseworker and host; 404
  for everyone else, members of A in other roles included (rule 1).
- From the consent step on, steps and their drafts are a caseworker's: A's host is refused (403).
Each write is entered with a valid body for an intake at that step. Anonymous callers get 401.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from inbeeld.care.models import Intake
from inbeeld.care.tests.grid_intake import make_intake
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, GONE, FORBIDDEN, UNSEEN = 200, 201, 204, 403, 404
Step = Intake.Step

_NOT_STARTERS = {
    "outreach": (FORBIDDEN, FORBIDDEN),
    "shelter_coordinator": (FORBIDDEN, FORBIDDEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
# One of A's intakes at a step a host may do, and at a caseworker's step.
_OWN_STEP = {"caseworker": (OK, UNSEEN), "host": (OK, UNSEEN)}
_CASEWORKER_STEP = {"caseworker": (OK, UNSEEN), "host": (FORBIDDEN, UNSEEN)}


def api(**expect: tuple[int, int]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


def _at(step: str, suffix: str = "") -> Any:
    def path(w: World) -> str:
        person = None if step == Step.PERSON else w.person
        intake = make_intake(w.org_a, w.member("caseworker", "own").user, step, person)
        return f"{API}/intakes/{intake.pk}{suffix}"

    return path


def _tomorrow_ten() -> str:
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    return tomorrow.replace(hour=10, minute=0, second=0, microsecond=0).isoformat()


BODIES: dict[str, Any] = {
    Step.PERSON: lambda w: {"person": {"roepnaam": "Nieuw"}},
    Step.FIRST_CONTACT: lambda w: {"channel": "huiskamer", "kind": "information"},
    Step.CONSENT: lambda w: {
        "consent": {
            "recipient_id": w.org_b.pk,
            "purpose": "referral",
            "data_categories": ["contacts"],
            "how_given": "verbal",
            "valid_from": timezone.localdate().isoformat(),
        }
    },
    Step.KEY_WORKER: lambda w: {
        "languages": ["nl", "ro"],
        "key_worker_id": w.member("caseworker", "own").user.pk,
    },
    Step.ASSESSMENT: lambda w: {"starts_at": _tomorrow_ten(), "place": "Huiskamer"},
}


def _post(step: str, suffix: str, expect: dict[str, tuple[int, int]]) -> GridRoute:
    return GridRoute(
        f"POST {API}/intakes/{{intake_id}}{suffix}",
        api(**expect),
        method="POST",
        json=True,
        path=_at(step, suffix),
        data=BODIES[step],
    )


ROUTES: list[GridRoute] = [
    GridRoute(
        f"GET {API}/intakes",
        api(caseworker=(OK, OK), host=(OK, OK), **_NOT_STARTERS),
        path=lambda w: f"{API}/intakes",
    ),
    GridRoute(
        f"POST {API}/intakes",
        api(caseworker=(CREATED, CREATED), host=(CREATED, CREATED), **_NOT_STARTERS),
        method="POST",
        json=True,
        path=lambda w: f"{API}/intakes",
        data=BODIES[Step.PERSON],
    ),
    GridRoute(f"GET {API}/intakes/{{intake_id}}", api(**_OWN_STEP), path=_at(Step.FIRST_CONTACT)),
    _post(Step.PERSON, "/person", _OWN_STEP),
    _post(Step.FIRST_CONTACT, "/first-contact", _OWN_STEP),
    _post(Step.CONSENT, "/consent", _CASEWORKER_STEP),
    _post(Step.KEY_WORKER, "/key-worker", _CASEWORKER_STEP),
    _post(Step.ASSESSMENT, "/first-assessment", _CASEWORKER_STEP),
    GridRoute(
        f"PUT {API}/intakes/{{intake_id}}/draft",
        api(**_CASEWORKER_STEP),
        method="PUT",
        json=True,
        path=_at(Step.CONSENT, "/draft"),
        data=lambda w: {"step": "consent", "answers": {"note": "Belt terug"}},
    ),
    GridRoute(
        f"DELETE {API}/intakes/{{intake_id}}",
        api(caseworker=(GONE, UNSEEN), host=(GONE, UNSEEN)),
        method="DELETE",
        json=True,
        path=_at(Step.CONSENT),
    ),
]
