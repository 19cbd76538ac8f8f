"""Permission grid for the network meeting (MDO): its agenda page and the agenda as a PDF.

The meeting is the coordinator's (``roles.RUN_MDO``): coordinators get the agenda (200) whichever
organisation they coordinate from. The other roles with a radar (caseworker, outreach, host, shelter
coordinator) see the radar, so the page is not hidden from them: 403, they may not run the meeting.
Roles without a radar (volunteer, analyst, privacy officer, admin) get 404, as on every radar page
(rule 1: not visible looks like not existing). Anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from inbeeld.testing.grid import GridRoute, World, by_role

OK, FORBIDDEN = 200, 403

_MDO = by_role(
    coordinator=(OK, OK),
    caseworker=(FORBIDDEN, FORBIDDEN),
    outreach=(FORBIDDEN, FORBIDDEN),
    host=(FORBIDDEN, FORBIDDEN),
    shelter_coordinator=(FORBIDDEN, FORBIDDEN),
)


def _both_organisations(w: World) -> dict[str, list[int]]:
    return {"org": [w.org_a.pk, w.org_b.pk]}


ROUTES: list[GridRoute] = [
    GridRoute("radar:mdo", data=_both_organisations, expect=_MDO),
    GridRoute("radar:mdo_pdf", data=_both_organisations, expect=_MDO),
]
