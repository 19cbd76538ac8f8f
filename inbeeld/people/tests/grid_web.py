"""Permission grid for the person register's web pages.

Levels (core.access): a caseworker of an involved organisation reads the FILE; outreach, hosts and
shelter coordinators of an involved organisation see the radar CORE; coordinators see the CORE network
wide; privacy officers see consents and the access log (PRIVACY) network wide; volunteers, analysts and
admins see no person (404). Organisation A is involved with the person and leads; B is not involved.

Forms that take GET and POST are entered with their POST (valid data: a redirect when allowed);
``test_views.py`` covers their GET.
"""

from __future__ import annotations

from django.utils import timezone

from inbeeld.testing.grid import GridRoute, World, by_role

# FORBIDDEN: the person is visible but the role may not do this. UNSEEN: not visible.
# REFUSED: the form is open to the member but the submitted choice is not one it offers them.
OK, CHANGED, FORBIDDEN, UNSEEN, REFUSED = 200, 302, 403, 404, 422


def _today() -> str:
    return timezone.localdate().isoformat()


def _person(w: World) -> dict[str, int]:
    return {"pk": w.person.pk}


def _consent_data(w: World) -> dict[str, object]:
    return {
        "recipient": w.org_b.pk,
        "purpose": "referral",
        "data_categories": ["contacts"],
        "basis": "consent",
        "how_given": "verbal",
        "valid_from": _today(),
    }


# Roles that see the list at all see it whether or not their organisation is involved with anyone.
_LISTERS = dict.fromkeys(
    ("caseworker", "outreach", "host", "shelter_coordinator", "coordinator", "privacy_officer"), (OK, OK)
)
# Who sees the person's radar core: involved organisations and the network-wide roles.
_SEES_CORE = {
    "caseworker": (OK, UNSEEN),
    "outreach": (OK, UNSEEN),
    "host": (OK, UNSEEN),
    "shelter_coordinator": (OK, UNSEEN),
    "coordinator": (OK, OK),
    "privacy_officer": (OK, OK),
}
# File changes (details, consents): only the caseworker of an involved organisation.
_FILE_WRITE = {
    "caseworker": (CHANGED, UNSEEN),
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
# Lead and ending involvements: that caseworker, or a network coordinator.
_COORDINATED_WRITE = {**_FILE_WRITE, "coordinator": (CHANGED, CHANGED)}
# Involving organisation B: only a coordinator. A's caseworker may use the form, but B is not among
# the organisations offered to them (the policy: a caseworker involves only their own organisation).
_INVOLVE_OTHER = {**_COORDINATED_WRITE, "caseworker": (REFUSED, UNSEEN)}

ROUTES = [
    GridRoute("people:list", by_role(**_LISTERS)),
    GridRoute(
        "people:register",
        by_role(
            caseworker=(CHANGED, CHANGED),
            outreach=(CHANGED, CHANGED),
            host=(CHANGED, CHANGED),
            shelter_coordinator=(FORBIDDEN, FORBIDDEN),
            coordinator=(FORBIDDEN, FORBIDDEN),
            privacy_officer=(FORBIDDEN, FORBIDDEN),
        ),
        method="POST",
        data=lambda w: {"roepnaam": "Nieuwe", "status": "unknown"},
    ),
    GridRoute("people:detail", by_role(**_SEES_CORE), kwargs=_person),
    GridRoute("people:timeline", by_role(**_SEES_CORE), kwargs=_person),
    GridRoute(
        "people:edit",
        by_role(**_FILE_WRITE),
        method="POST",
        kwargs=_person,
        data=lambda w: {"roepnaam": "Anders", "version": w.person.version},
    ),
    GridRoute(
        "people:status",
        by_role(
            caseworker=(CHANGED, UNSEEN),
            outreach=(CHANGED, UNSEEN),
            host=(FORBIDDEN, UNSEEN),
            shelter_coordinator=(FORBIDDEN, UNSEEN),
            coordinator=(CHANGED, CHANGED),
            privacy_officer=(FORBIDDEN, FORBIDDEN),
        ),
        method="POST",
        kwargs=_person,
        data=lambda w: {"status": "exiting", "effective_on": _today()},
    ),
    GridRoute(
        "people:lead",
        by_role(**_COORDINATED_WRITE),
        method="POST",
        kwargs=_person,
        data=lambda w: {"lead_organisation": w.org_a.pk, "key_worker": ""},
    ),
    GridRoute(
        "people:involvement_add",
        by_role(**_INVOLVE_OTHER),
        method="POST",
        kwargs=_person,
        data=lambda w: {"organisation": w.org_b.pk, "started_on": _today()},
    ),
    GridRoute(
        "people:involvement_end",
        by_role(**_COORDINATED_WRITE),
        method="POST",
        kwargs=lambda w: {"pk": w.person.pk, "involvement_pk": w.involvement.pk},
        data=lambda w: {"ended_on": _today()},
    ),
    GridRoute(
        "people:consent_add",
        by_role(**_FILE_WRITE),
        method="POST",
        kwargs=_person,
        data=_consent_data,
    ),
    GridRoute(
        "people:consent_withdraw",
        by_role(**_FILE_WRITE),
        method="POST",
        kwargs=lambda w: {"pk": w.person.pk, "consent_pk": w.consent.pk},
        data=lambda w: {"note": "ingetrokken"},
    ),
    GridRoute(
        "people:access_log",
        # The key worker (the caseworker of A in the grid world) and privacy officers only.
        by_role(
            caseworker=(OK, UNSEEN),
            outreach=(FORBIDDEN, UNSEEN),
            host=(FORBIDDEN, UNSEEN),
            shelter_coordinator=(FORBIDDEN, UNSEEN),
            coordinator=(FORBIDDEN, FORBIDDEN),
            privacy_officer=(OK, OK),
        ),
        kwargs=_person,
    ),
]
