"""The roles of DESIGN.md and what each may do. The access policy (core.access) reads these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    OUTREACH = "outreach", _("Outreach worker")
    HOST = "host", _("Huiskamer host")
    SHELTER_COORDINATOR = "shelter_coordinator", _("Shelter coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Network coordinator")
    ANALYST = "analyst", _("Analyst")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMIN = "admin", _("Application manager")


# Roles that may list persons at all (by roepnaam). Volunteers, analysts and admins may not.
LIST_PERSONS = frozenset(
    {
        Role.CASEWORKER,
        Role.OUTREACH,
        Role.HOST,
        Role.SHELTER_COORDINATOR,
        Role.COORDINATOR,
        Role.PRIVACY_OFFICER,
    }
)
# Roles that see persons across the whole network, not only those their organisation is involved with.
NETWORK_WIDE = frozenset({Role.COORDINATOR, Role.PRIVACY_OFFICER})
# Roles that read an involved person's full file (identity details, involvements, consents, history).
READ_FILE = frozenset({Role.CASEWORKER})
# Roles that change a person's file (details, involvements, consents).
EDIT_FILE = frozenset({Role.CASEWORKER})
# Roles that register a new person (a walk-in, someone met on the street).
REGISTER = frozenset({Role.CASEWORKER, Role.OUTREACH, Role.HOST})
# Roles that change a person's status.
CHANGE_STATUS = frozenset({Role.CASEWORKER, Role.OUTREACH, Role.COORDINATOR})
# Roles that assign the lead organisation and key worker.
ASSIGN_LEAD = frozenset({Role.CASEWORKER, Role.COORDINATOR})
# Roles that see consents (without case content) and the person's access log.
PRIVACY_VIEW = frozenset({Role.PRIVACY_OFFICER})
# Care (issue 3). Contacts and appointments: outreach works with them as much as caseworkers do.
READ_CONTACTS = frozenset({Role.CASEWORKER, Role.OUTREACH})
RECORD_CONTACT = frozenset({Role.CASEWORKER, Role.OUTREACH, Role.HOST})
PLAN_APPOINTMENTS = frozenset({Role.CASEWORKER, Role.OUTREACH})
# Assessments, care plans and evaluations are part of the file; caseworkers write them.
EDIT_CARE = frozenset({Role.CASEWORKER})
# The social network map (issue 5) is part of the file: its caseworkers record and end ties.
EDIT_NETWORK_MAP = frozenset({Role.CASEWORKER})
# A huiskamer host starts an intake for a walk-in; a caseworker carries it through.
START_INTAKE = frozenset({Role.CASEWORKER, Role.HOST})
# The radar (issue 4): the radar core is shared with every involved organisation and the coordinators.
# Privacy officers supervise access, not case work: they have no radar. Volunteers never do.
RADAR_VIEW = frozenset(
    {Role.CASEWORKER, Role.OUTREACH, Role.HOST, Role.SHELTER_COORDINATOR, Role.COORDINATOR}
)
# Who acknowledges and resolves signals: those who go and look for the person, and the coordinator.
RADAR_ACT = frozenset({Role.CASEWORKER, Role.OUTREACH, Role.COORDINATOR})
# The network meeting (MDO) is the coordinator's.
RUN_MDO = frozenset({Role.COORDINATOR})
# The huiskamer register (issue 5): its hosts, and the caseworkers and outreach workers who work there.
HUISKAMER = frozenset({Role.HOST, Role.CASEWORKER, Role.OUTREACH})
# The shelter (issue 5): its coordinator runs beds, stays, waitlist and roster; volunteers see shelter
# facts only (roepnaam, room, stay dates, house log, their buddy's network map), never case content.
RUN_SHELTER = frozenset({Role.SHELTER_COORDINATOR})
SHELTER = frozenset({Role.SHELTER_COORDINATOR, Role.VOLUNTEER})
# Emergency access, "break the glass" (rule 5, ``chain.emergency``): the workers who go and look for a
# person may open one they do not otherwise see, with a written reason, for 24 hours. Coordinators already
# see the radar core network-wide and privacy officers review these grants, so neither breaks the glass;
# volunteers, analysts and admins never see case content at all.
BREAK_GLASS = frozenset({Role.CASEWORKER, Role.OUTREACH, Role.HOST, Role.SHELTER_COORDINATOR})
# Monitoring (issue 7): figures for the network, never persons, always through disclosure control
# (``reports.disclosure``). The municipality's analysts and the network's coordinators read them.
VIEW_REPORTS = frozenset({Role.ANALYST, Role.COORDINATOR})
# Outreach records the headcounts on the street zone; the coordinator may add or correct one.
RECORD_STREET_COUNTS = frozenset({Role.OUTREACH, Role.COORDINATOR})
# Roles that see any person data at all: these must use two-factor authentication.
SEES_PERSON_DATA = frozenset(LIST_PERSONS | {Role.VOLUNTEER})
# Admins manage accounts, so their accounts are worth as much as any: 2FA for them too.
REQUIRES_2FA = frozenset(SEES_PERSON_DATA | {Role.ADMIN})
