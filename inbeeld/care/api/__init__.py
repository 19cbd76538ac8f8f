"""The care routers, mounted under /api/v1/ by inbeeld/api.py."""

from inbeeld.care.api import appointments, assessments, contacts, intake, plans

routers = [contacts.router, appointments.router, assessments.router, plans.router, intake.router]
