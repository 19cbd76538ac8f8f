"""Permission grid for the person's printable access report: exactly who may read the access log."""

from __future__ import annotations

from inbeeld.people.tests.grid_web import ROUTES as WEB_ROUTES
from inbeeld.people.tests.grid_web import _person
from inbeeld.testing.grid import GridRoute

# The key worker (the caseworker of A in the grid world) and privacy officers only, as the access log.
_AS_ACCESS_LOG = next(route.expect for route in WEB_ROUTES if route.key == "people:access_log")

ROUTES = [
    GridRoute("people:access_report", _AS_ACCESS_LOG, kwargs=_person),
    GridRoute("people:access_report_pdf", _AS_ACCESS_LOG, kwargs=_person),
]
