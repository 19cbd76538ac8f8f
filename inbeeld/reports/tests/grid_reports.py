"""Permission grid for the figures (dashboard, CSV, PDF, API).

Policy (``roles.VIEW_REPORTS``, ``access.may_view_reports``): the network's analysts and coordinators,
whichever of its organisations they belong to (the figures are the network's, with each organisation
as a breakdown). Every other role gets 404 (rule 4: figures are for those who report on the network;
the workers see persons, not statistics). Anonymous: the login page, or 401 from the API.
"""

from __future__ import annotations

from inbeeld.testing.grid import GridRoute, by_role

API = "/api/v1"
READERS = {"analyst": (200, 200), "coordinator": (200, 200)}
PICKED = {"granularity": "year", "organisation": "network"}

ROUTES: list[GridRoute] = [
    GridRoute("reports:dashboard", by_role(**READERS), data=lambda w: PICKED),
    GridRoute("reports:export_csv", by_role(**READERS), data=lambda w: PICKED),
    GridRoute("reports:export_pdf", by_role(**READERS), data=lambda w: PICKED),
    GridRoute(
        "GET /api/v1/reports/indicators",
        by_role(anonymous=401, **READERS),
        path=lambda w: f"{API}/reports/indicators",
    ),
    GridRoute(
        "GET /api/v1/reports/indicators/{code}",
        by_role(anonymous=401, **READERS),
        path=lambda w: f"{API}/reports/indicators/in_view?granularity=year",
    ),
]
ROUTES.append(
    GridRoute(
        "reports:refresh",
        by_role(analyst=(302, 302), coordinator=(302, 302)),
        method="POST",
        data=lambda w: PICKED,
    )
)
