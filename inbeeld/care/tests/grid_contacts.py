"""Permission grid for contacts: the quick form, its person search, a person's contacts (web and API).

Worked out from ``core.access`` for the grid world (``testing.grid``): organisation A is involved with
the person and leads; B is not involved. Levels: caseworker A = file; outreach, host, shelter
coordinator A = core; coordinators (A and B) = core, network wide; privacy officers = privacy; the rest
none (404).

- READ_CONTACTS: caseworkers and outreach workers who see the person (not at the privacy level); for
  everyone else the contacts do not exist (404, rule 1).
- RECORD_CONTACT: caseworkers, outreach workers and hosts who see the person; other roles that see the
  person are refused (403). Anonymous contacts need no person: those three roles in any organisation.
- The quick form and its search: 404 for roles without a by-name list, 403 for list roles that do not
  record contacts. Recording for a person the member does not see is refused on the form (422: the
  person is not among their choices) and in the API body (422 naming person_id).
"""

from __future__ import annotations

from django.utils import timezone

from inbeeld.care.forms_contacts import DATETIME_LOCAL
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN, REFUSED = 200, 201, 302, 403, 404, 422

# Who may use the quick form (and the anonymous API) at all, whatever person they pick.
RECORDERS = {
    "caseworker": (OK, OK),
    "outreach": (OK, OK),
    "host": (OK, OK),
    "shelter_coordinator": (FORBIDDEN, FORBIDDEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
# Reading a person's contacts: caseworker and outreach of the involved organisation.
READERS = {"caseworker": (OK, UNSEEN), "outreach": (OK, UNSEEN)}
# Recording for the grid's person: the recording roles of A; other roles seeing the person get 403.
RECORD_FOR_PERSON = {
    "caseworker": (CREATED, UNSEEN),
    "outreach": (CREATED, UNSEEN),
    "host": (CREATED, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}


def _now() -> str:
    return timezone.localtime().strftime(DATETIME_LOCAL)


def _contact_form(w: World) -> dict[str, object]:
    return {"person": w.person.pk, "occurred_at": _now(), "channel": "street_zone", "kind": "sighting"}


def _contact_json(extra: dict[str, object]) -> dict[str, object]:
    return {"channel": "street_zone", "kind": "help", "topics": ["housing"], **extra}


def api(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


ROUTES: list[GridRoute] = [
    # --- web ---
    GridRoute(
        "care:contact_new",
        by_role(
            caseworker=(CHANGED, REFUSED),
            outreach=(CHANGED, REFUSED),
            host=(CHANGED, REFUSED),
            shelter_coordinator=(FORBIDDEN, FORBIDDEN),
            coordinator=(FORBIDDEN, FORBIDDEN),
            privacy_officer=(FORBIDDEN, FORBIDDEN),
        ),
        method="POST",
        data=_contact_form,
    ),
    GridRoute("care:contact_person_search", by_role(**RECORDERS), data=lambda w: {"q": w.person.roepnaam}),
    GridRoute("care:contact_list", by_role(**READERS), kwargs=lambda w: {"pk": w.person.pk}),
    # --- API ---
    GridRoute(
        "GET /api/v1/persons/{person_id}/contacts",
        path=lambda w: f"{API}/persons/{w.person.pk}/contacts",
        expect=api(READERS),
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/contacts",
        method="POST",
        json=True,
        path=lambda w: f"{API}/persons/{w.person.pk}/contacts",
        data=lambda w: _contact_json({}),
        expect=api(RECORD_FOR_PERSON),
    ),
    GridRoute(
        "POST /api/v1/contacts",
        method="POST",
        json=True,
        path=lambda w: f"{API}/contacts",
        data=lambda w: _contact_json({"anonymous": True}),
        expect=api({**RECORDERS, **dict.fromkeys(("caseworker", "outreach", "host"), (CREATED, CREATED))}),
    ),
]
