"""Permission-grid entries for every operation of the JSON API (/api/v1/).

Derived from ``core.access`` and ``core.roles`` for the grid world (``testing.grid``): the person is
involved with and led by organisation A, whose caseworker is the key worker; B is not involved but
holds a consent. Levels there: caseworker A = file; outreach, host, shelter coordinator of A = core;
coordinator A and B = core (network-wide); privacy officer A and B = privacy; everyone else = none.
Not visible → 404; visible but not allowed to do this → 403; anonymous → 401.
"""

from __future__ import annotations

from django.utils import timezone

from inbeeld.testing.grid import GridRoute, by_role, same_for_all

API = "/api/v1"


def _today() -> str:
    return timezone.localdate().isoformat()


def _person(w) -> str:  # type: ignore[no-untyped-def]
    return f"{API}/persons/{w.person.pk}"


# Seeing the person at all: the levels above (404 for everyone who does not).
SEES_CORE = {
    "caseworker": (200, 404),
    "outreach": (200, 404),
    "host": (200, 404),
    "shelter_coordinator": (200, 404),
    "coordinator": (200, 200),
    "privacy_officer": (200, 200),
}
# Visible to all of SEES_CORE; only the caseworker of A (file level, EDIT_FILE) may change the file.
FILE_WRITE = {
    "caseworker": (200, 404),
    "outreach": (403, 404),
    "host": (403, 404),
    "shelter_coordinator": (403, 404),
    "coordinator": (403, 403),
    "privacy_officer": (403, 403),
}
# Involvements are managed by file-level editors and by the network's coordinators.
MANAGE_INVOLVEMENT = {**FILE_WRITE, "coordinator": (200, 200)}


def _created(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The same decisions for an operation that answers 201 Created instead of 200."""

    def created(status: int) -> int:
        return 201 if status == 200 else status

    return {role: (created(own), created(other)) for role, (own, other) in expect.items()}


def api(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


ROUTES: list[GridRoute] = [
    # --- core: not person data, open to every member ---
    GridRoute("GET /api/v1/me", path=lambda w: f"{API}/me", expect=same_for_all(200, anonymous=401)),
    GridRoute(
        "GET /api/v1/organisations",
        path=lambda w: f"{API}/organisations",
        expect=same_for_all(200, anonymous=401),
    ),
    # --- the by-name list: roles in LIST_PERSONS (B's members get an empty page, not an error) ---
    GridRoute(
        "GET /api/v1/persons",
        path=lambda w: f"{API}/persons",
        expect=api(dict.fromkeys(SEES_CORE, (200, 200))),
    ),
    # Registering: REGISTER roles; other list roles are refused (403); the rest have no list (404).
    GridRoute(
        "POST /api/v1/persons",
        method="POST",
        json=True,
        path=lambda w: f"{API}/persons",
        data=lambda w: {"roepnaam": "Nieuw"},
        expect=api(
            {
                "caseworker": (201, 201),
                "outreach": (201, 201),
                "host": (201, 201),
                "shelter_coordinator": (403, 403),
                "coordinator": (403, 403),
                "privacy_officer": (403, 403),
            }
        ),
    ),
    # --- one person ---
    GridRoute("GET /api/v1/persons/{person_id}", path=_person, expect=api(SEES_CORE)),
    GridRoute(
        "GET /api/v1/persons/{person_id}/timeline",
        path=lambda w: f"{_person(w)}/timeline",
        expect=api(SEES_CORE),
    ),
    GridRoute(
        "PATCH /api/v1/persons/{person_id}",
        method="PATCH",
        json=True,
        path=_person,
        data=lambda w: {"version": w.person.version, "roepnaam": "Anders"},
        expect=api(FILE_WRITE),
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/status",
        method="POST",
        json=True,
        path=lambda w: f"{_person(w)}/status",
        data=lambda w: {"status": "exiting", "effective_on": _today()},
        expect=api({**FILE_WRITE, "outreach": (200, 404), "coordinator": (200, 200)}),
    ),
    GridRoute(
        "PUT /api/v1/persons/{person_id}/lead",
        method="PUT",
        json=True,
        path=lambda w: f"{_person(w)}/lead",
        data=lambda w: {"lead_organisation_id": w.org_a.pk, "key_worker_id": None},
        expect=api({**FILE_WRITE, "coordinator": (200, 200)}),
    ),
    # --- involvements: the list is part of the full file; coordinators see who is involved ---
    GridRoute(
        "GET /api/v1/persons/{person_id}/involvements",
        path=lambda w: f"{_person(w)}/involvements",
        expect=api({"caseworker": (200, 404), "coordinator": (200, 200)}),
    ),
    # Involving organisation B opens the file to B: only the coordinator may; A's caseworker gets 403.
    GridRoute(
        "POST /api/v1/persons/{person_id}/involvements",
        method="POST",
        json=True,
        path=lambda w: f"{_person(w)}/involvements",
        data=lambda w: {"organisation_id": w.org_b.pk, "started_on": _today()},
        expect=api({**_created(MANAGE_INVOLVEMENT), "caseworker": (403, 404)}),
    ),
    # A's own involvement: A's editor may end it, and coordinators may end any.
    GridRoute(
        "POST /api/v1/persons/{person_id}/involvements/{involvement_id}/end",
        method="POST",
        json=True,
        path=lambda w: f"{_person(w)}/involvements/{w.involvement.pk}/end",
        data=lambda w: {"ended_on": _today()},
        expect=api(MANAGE_INVOLVEMENT),
    ),
    # --- consents: seen from the privacy level up, changed by file-level editors ---
    GridRoute(
        "GET /api/v1/persons/{person_id}/consents",
        path=lambda w: f"{_person(w)}/consents",
        expect=api({"caseworker": (200, 404), "privacy_officer": (200, 200)}),
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/consents",
        method="POST",
        json=True,
        path=lambda w: f"{_person(w)}/consents",
        data=lambda w: {
            "recipient_id": w.org_b.pk,
            "purpose": "referral",
            "data_categories": ["contacts"],
            "how_given": "verbal",
            "valid_from": _today(),
        },
        expect=api(_created(FILE_WRITE)),
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/consents/{consent_id}/withdraw",
        method="POST",
        json=True,
        path=lambda w: f"{_person(w)}/consents/{w.consent.pk}/withdraw",
        data=lambda w: {"note": "Ingetrokken"},
        expect=api(FILE_WRITE),
    ),
    # --- the access log: the key worker (A's caseworker) and privacy officers; other viewers 403 ---
    GridRoute(
        "GET /api/v1/persons/{person_id}/access-log",
        path=lambda w: f"{_person(w)}/access-log",
        expect=api(
            {
                **FILE_WRITE,
                "privacy_officer": (200, 200),
            }
        ),
    ),
]
