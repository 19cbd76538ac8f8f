"""Permission grid for emergency access ("break the glass", rule 5): its pages and API operations.

Policy (``roles.BREAK_GLASS``, ``chain.emergency.actions``): caseworkers, outreach workers, hosts and
shelter coordinators may break the glass. In the grid world organisation A is involved with the person,
so A's workers already see them and are refused a grant (422); B's workers get one. Coordinators (who see
the radar core network-wide), privacy officers (who review), volunteers, analysts and admins get 404.
The emergency page is its holder's alone (B's caseworker in this world); everyone else 404. The review
queue and the review are the privacy officers' of the network (A's and B's alike).
"""

from __future__ import annotations

from django.utils import timezone

from inbeeld.chain.emergency.models import EmergencyAccess
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, REFUSED = 200, 201, 302, 422
REASON = "Grid: niet gezien sinds de ontruiming, zorgen om haar veiligheid"

_WORKERS = ("caseworker", "outreach", "host", "shelter_coordinator")


def _grant(w: World) -> EmergencyAccess:
    holder = w.member("caseworker", "other")
    now = timezone.now()
    return EmergencyAccess.objects.create(
        user=holder.user,
        membership=holder,
        person=w.person,
        reason=REASON,
        granted_at=now,
        expires_at=EmergencyAccess.expiry_for(now),
    )


def _break_glass(w: World) -> dict[str, object]:
    return {"reason": REASON, "q": w.person.roepnaam, "person": w.person.pk}


def _break_glass_api(w: World) -> dict[str, object]:
    return {"reason": REASON, "q": w.person.roepnaam, "person_id": w.person.pk}


_GRANT = dict.fromkeys(_WORKERS, (REFUSED, CHANGED))
_GRANT_API = dict.fromkeys(_WORKERS, (REFUSED, CREATED))
_WORKERS_OK = dict.fromkeys(_WORKERS, (OK, OK))
_REVIEWER = {"privacy_officer": (OK, OK)}

ROUTES = [
    GridRoute("chain:emergency", by_role(**_GRANT), method="POST", data=_break_glass),
    GridRoute("chain:emergency_grant", by_role(caseworker=(404, OK)), kwargs=lambda w: {"pk": _grant(w).pk}),
    GridRoute("chain:emergency_review", by_role(**_REVIEWER)),
    GridRoute(
        "chain:emergency_review_grant",
        by_role(privacy_officer=(CHANGED, CHANGED)),
        method="POST",
        kwargs=lambda w: {"pk": _grant(w).pk},
        data=lambda w: {"justified": "yes", "review_note": ""},
    ),
    GridRoute(
        "POST /api/v1/emergency-access/search",
        by_role(anonymous=401, **_WORKERS_OK),
        method="POST",
        json=True,
        path=lambda w: f"{API}/emergency-access/search",
        data=lambda w: {"reason": REASON, "q": w.person.roepnaam},
    ),
    GridRoute(
        "POST /api/v1/emergency-access",
        by_role(anonymous=401, **_GRANT_API),
        method="POST",
        json=True,
        path=lambda w: f"{API}/emergency-access",
        data=_break_glass_api,
    ),
    GridRoute(
        "GET /api/v1/emergency-access",
        by_role(anonymous=401, **_WORKERS_OK),
        path=lambda w: f"{API}/emergency-access",
    ),
    GridRoute(
        "GET /api/v1/emergency-access/{grant_id}",
        by_role(anonymous=401, caseworker=(404, OK)),
        path=lambda w: f"{API}/emergency-access/{_grant(w).pk}",
    ),
    GridRoute(
        "GET /api/v1/emergency-access/reviews",
        by_role(anonymous=401, **_REVIEWER),
        path=lambda w: f"{API}/emergency-access/reviews",
    ),
    GridRoute(
        "POST /api/v1/emergency-access/{grant_id}/review",
        by_role(anonymous=401, **_REVIEWER),
        method="POST",
        json=True,
        path=lambda w: f"{API}/emergency-access/{_grant(w).pk}/review",
        data=lambda w: {"justified": False, "review_note": "Grid: geen noodsituatie"},
    ),
]
