"""The shelter API: beds, stays, waitlist (``api_stays``); team, roster, house log (``api_volunteers``)."""

from inbeeld.shelter.api_stays import router as stays_router
from inbeeld.shelter.api_volunteers import router as volunteers_router

routers = [stays_router, volunteers_router]
