"""Permission grid for the partner services directory (web and API).

Policy (``chain.actions_services``): every member of the network reads the directory, whatever the role
(it is public information within the network). Editing is for the organisation's own caseworkers, hosts,
shelter coordinators and network coordinators, and for the application manager (``admin``) on any
organisation of the network; everyone else gets 403, since they can see the service. The grid's service
belongs to organisation A: members of B may read it, and only B's admin may change it. Adding a service
without naming an organisation adds it to the member's own, so that cell is the same for A and B.
"""

from __future__ import annotations

from inbeeld.chain.models import Category, Service
from inbeeld.chain.tests.helpers import service
from inbeeld.testing.grid import GridRoute, World, by_role, same_for_all

API = "/api/v1"
OK, CREATED, CHANGED, REFUSED = 200, 201, 302, 403
EDITORS = ("caseworker", "host", "shelter_coordinator", "coordinator")


def grid_service(w: World) -> Service:
    return service(w.org_a, name="Grid service")


def editors(own: int, *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    """A's service: its own editors change it, B's only through B's admin; the rest 403."""
    return by_role(
        default=(REFUSED, REFUSED),
        anonymous=anonymous,
        admin=(own, own),
        **dict.fromkeys(EDITORS, (own, REFUSED)),
    )


def adders(status: int, *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    """Adding to one's own organisation: the editing roles and the admin, as members of A or of B."""
    return by_role(
        default=(REFUSED, REFUSED),
        anonymous=anonymous,
        **dict.fromkeys((*EDITORS, "admin"), (status, status)),
    )


def new_service(w: World) -> dict[str, object]:
    return {"name": "Nieuwe dienst", "category": Category.HOUSING}


ROUTES: list[GridRoute] = [
    # --- web ---
    GridRoute("chain:services", same_for_all(OK), kwargs=lambda w: (grid_service(w), {})[1]),
    GridRoute("chain:service_detail", same_for_all(OK), kwargs=lambda w: {"pk": grid_service(w).pk}),
    GridRoute("chain:services_hsds", same_for_all(OK), kwargs=lambda w: (grid_service(w), {})[1]),
    GridRoute("chain:service_new", adders(CHANGED), method="POST", data=new_service),
    GridRoute(
        "chain:service_edit",
        editors(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": grid_service(w).pk},
        data=lambda w: {"name": "Grid service", "category": Category.DEBT_HELP, "version": 1},
    ),
    GridRoute(
        "chain:service_status",
        editors(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": grid_service(w).pk},
        data=lambda w: {"status": "inactive", "version": 1},
    ),
    # --- API ---
    GridRoute(
        "GET /api/v1/services",
        same_for_all(OK, anonymous=401),
        path=lambda w: (grid_service(w), f"{API}/services")[1],
    ),
    GridRoute(
        "GET /api/v1/services/{service_id}",
        same_for_all(OK, anonymous=401),
        path=lambda w: f"{API}/services/{grid_service(w).pk}",
    ),
    GridRoute(
        "GET /api/v1/services/hsds",
        same_for_all(OK, anonymous=401),
        path=lambda w: (grid_service(w), f"{API}/services/hsds")[1],
    ),
    GridRoute(
        "POST /api/v1/services",
        adders(CREATED, anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{API}/services",
        data=new_service,
    ),
    GridRoute(
        "PATCH /api/v1/services/{service_id}",
        editors(OK, anonymous=401),
        method="PATCH",
        json=True,
        path=lambda w: f"{API}/services/{grid_service(w).pk}",
        data=lambda w: {"version": 1, "fees": "Gratis"},
    ),
]
