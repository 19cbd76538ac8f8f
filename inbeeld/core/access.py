"""The access policy: the one place that decides who may see and do what with person data.

Rules (DESIGN.md):
1. Not visible and not existing look the same: 404 with the same text.
2. An organisation sees its own records of persons it is involved with; another organisation's
   records only as the person's consent (or a recorded legal basis) allows.
3. The radar core is shared with every involved organisation and with the network's coordinators.
4. Volunteers see shelter facts only, analysts aggregates only, admins and privacy officers no case content.
5. Emergency access ("break the glass", ``chain.emergency``) is one more basis: while a member's grant
   for a person is active, ``level_for`` gives them the radar core (never more) on basis EMERGENCY, and
   every audit event on that basis carries the emergency flag (``audit.record``).
6. Every read or change of person data writes an AuditEvent in the same transaction.

Views and API operations ask this module; they never filter persons themselves.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from inbeeld.core import audit, roles
from inbeeld.core.models import AuditEvent, Membership

if TYPE_CHECKING:
    from inbeeld.people.models import Consent, Person, PersonQuerySet

Basis = AuditEvent.Basis
M = TypeVar("M", bound=Model)


class Level(enum.IntEnum):
    NONE = 0
    CORE = 1  # roepnaam, aliases, status, lead organisation, key worker (the radar core)
    PRIVACY = 2  # core + consents + the access log, no case content
    FILE = 3  # the full file of an involved person


class Need(enum.Enum):
    """What a view or operation wants to do with one person."""

    READ_CORE = "read_core"
    READ_FILE = "read_file"
    READ_INVOLVEMENTS = "read_involvements"
    READ_CONSENTS = "read_consents"
    EDIT = "edit"
    CHANGE_STATUS = "change_status"
    ASSIGN_LEAD = "assign_lead"
    MANAGE_INVOLVEMENT = "manage_involvement"
    MANAGE_CONSENT = "manage_consent"
    READ_ACCESS_LOG = "read_access_log"
    READ_CONTACTS = "read_contacts"
    RECORD_CONTACT = "record_contact"
    READ_APPOINTMENTS = "read_appointments"
    PLAN_APPOINTMENTS = "plan_appointments"
    READ_CARE = "read_care"
    EDIT_CARE = "edit_care"
    READ_RADAR = "read_radar"
    ACT_ON_SIGNAL = "act_on_signal"
    SET_EXIT_ROUTE = "set_exit_route"
    READ_NETWORK_MAP = "read_network_map"
    EDIT_NETWORK_MAP = "edit_network_map"


def not_found() -> Http404:
    # One text for "does not exist" and "not yours to see" (rule 1).
    return Http404(_("Not found."))


@dataclass(frozen=True)
class PersonAccess:
    person: Person
    membership: Membership
    level: Level
    basis: str

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def own_organisation_id(self) -> int:
        return self.membership.organisation_id

    def allows(self, need: Need) -> bool:
        role = self.role
        if need is Need.READ_CORE:
            return self.level >= Level.CORE
        if need is Need.READ_FILE:
            return self.level >= Level.FILE
        if need is Need.READ_INVOLVEMENTS:
            # Coordinators see which organisations are involved (not why): that is their casusregie.
            return self.level >= Level.FILE or role == roles.Role.COORDINATOR
        if need is Need.READ_CONSENTS:
            return self.level >= Level.PRIVACY
        if need is Need.EDIT or need is Need.MANAGE_CONSENT:
            return self.level >= Level.FILE and role in roles.EDIT_FILE
        if need is Need.CHANGE_STATUS:
            return self.level >= Level.CORE and role in roles.CHANGE_STATUS
        if need is Need.ASSIGN_LEAD:
            return role in roles.ASSIGN_LEAD and (self.level >= Level.FILE or role == roles.Role.COORDINATOR)
        if need is Need.MANAGE_INVOLVEMENT:
            return (self.level >= Level.FILE and role in roles.EDIT_FILE) or role == roles.Role.COORDINATOR
        if need in (Need.READ_CONTACTS, Need.READ_APPOINTMENTS):
            return self.level >= Level.CORE and self.level != Level.PRIVACY and role in roles.READ_CONTACTS
        if need is Need.RECORD_CONTACT:
            return self.level >= Level.CORE and self.level != Level.PRIVACY and role in roles.RECORD_CONTACT
        if need is Need.PLAN_APPOINTMENTS:
            return (
                self.level >= Level.CORE and self.level != Level.PRIVACY and role in roles.PLAN_APPOINTMENTS
            )
        if need is Need.READ_CARE:
            return self.level >= Level.FILE
        if need is Need.EDIT_CARE:
            return self.level >= Level.FILE and role in roles.EDIT_CARE
        if need is Need.READ_RADAR:
            return self.level >= Level.CORE and role in roles.RADAR_VIEW
        if need is Need.ACT_ON_SIGNAL:
            return self.level >= Level.CORE and role in roles.RADAR_ACT
        if need is Need.SET_EXIT_ROUTE:
            return (self.level >= Level.FILE and role in roles.EDIT_CARE) or role == roles.Role.COORDINATOR
        if need is Need.READ_NETWORK_MAP:
            # The file's caseworkers; another organisation's ties only by consent (people.ties, rule 2).
            return self.level >= Level.FILE
        if need is Need.EDIT_NETWORK_MAP:
            return self.level >= Level.FILE and role in roles.EDIT_NETWORK_MAP
        if need is Need.READ_ACCESS_LOG:
            is_key_worker = self.person.key_worker_id == self.membership.user_id and self.level >= Level.FILE
            return is_key_worker or role in roles.PRIVACY_VIEW
        raise ValueError(need)

    def may_add_involvement_of(self, organisation_id: int) -> bool:
        """Involving another organisation opens the file to it: only the network's coordinator may."""
        if not self.allows(Need.MANAGE_INVOLVEMENT):
            return False
        return self.role == roles.Role.COORDINATOR or organisation_id == self.own_organisation_id

    def may_end_involvement_of(self, organisation_id: int) -> bool:
        if not self.allows(Need.MANAGE_INVOLVEMENT):
            return False
        return self.role == roles.Role.COORDINATOR or organisation_id == self.own_organisation_id

    def sees_records_of(
        self, owner_organisation_id: int | None, category: str
    ) -> tuple[str, Consent | None] | None:
        """Rule 2: the basis on which this viewer sees another organisation's record, or None.

        The file's readers, and a volunteer for their buddy's network map (``buddy_person``)."""
        if self.level < Level.FILE and self.basis != Basis.BUDDY:
            return None
        if owner_organisation_id is None or owner_organisation_id == self.own_organisation_id:
            return (self.basis, None)
        consent = consent_for(self.person, self.membership, category)
        if consent is None:
            return None
        basis = Basis.CONSENT if consent.basis == consent.Basis.CONSENT else Basis.LEGAL_BASIS
        return (basis, consent)


def sharing_purposes() -> frozenset[str]:
    """The purposes a consent must have to open another organisation's records for ongoing reading.

    A consent for a referral covers only what travels with that referral (``chain.referrals``)."""
    from inbeeld.people.models import Consent

    purpose = Consent.Purpose
    return frozenset({purpose.CARE_COORDINATION, purpose.SHELTER, purpose.SAFETY})


def consent_for(person: Person, membership: Membership, category: str) -> Consent | None:
    """The valid consent (or legal basis) for ongoing sharing (``sharing_purposes``) letting the
    member's organisation receive this category."""
    consents = person.consents.valid_on().filter(
        recipient_id=membership.organisation_id, purpose__in=sharing_purposes()
    )
    for consent in consents:
        if category in consent.data_categories:
            return consent
    return None


def involved_organisation_ids(person: Person) -> set[int]:
    from inbeeld.people.models import Involvement

    ids = set(Involvement.objects.current().filter(person=person).values_list("organisation_id", flat=True))
    if person.lead_organisation_id:
        ids.add(person.lead_organisation_id)
    return ids


def level_for(membership: Membership, person: Person) -> tuple[Level, str]:
    if membership.ended_on is not None or person.network_id != membership.organisation.network_id:
        return Level.NONE, ""
    role = membership.role
    if role not in roles.LIST_PERSONS:
        return Level.NONE, ""
    involved = membership.organisation_id in involved_organisation_ids(person)
    if role in roles.READ_FILE and involved:
        return Level.FILE, Basis.INVOLVEMENT
    if role in roles.PRIVACY_VIEW:
        return Level.PRIVACY, Basis.PRIVACY_OFFICER
    if involved:
        return Level.CORE, Basis.INVOLVEMENT
    if role in roles.NETWORK_WIDE:
        return Level.CORE, Basis.NETWORK_ROLE
    if role in roles.BREAK_GLASS and has_emergency_access(membership, person):
        return Level.CORE, Basis.EMERGENCY
    return Level.NONE, ""


def has_emergency_access(membership: Membership, person: Person) -> bool:
    """Whether the member broke the glass for this person less than 24 hours ago (rule 5)."""
    from inbeeld.chain.emergency.models import EmergencyAccess

    return EmergencyAccess.objects.active().filter(membership=membership, person=person).exists()


def person_access(membership: Membership | None, person: Person) -> PersonAccess | None:
    if membership is None:
        return None
    level, basis = level_for(membership, person)
    if level is Level.NONE:
        return None
    return PersonAccess(person=person, membership=membership, level=level, basis=basis)


def require_membership(membership: Membership | None) -> Membership:
    if membership is None:
        raise not_found()
    return membership


def visible_persons(membership: Membership | None) -> PersonQuerySet:
    """The persons this member may see in the by-name list (at least their radar core)."""
    from inbeeld.people.models import Person

    membership = require_membership(membership)
    if membership.role not in roles.LIST_PERSONS:
        raise not_found()
    persons = Person.objects.in_network(membership.organisation.network)
    if membership.role in roles.NETWORK_WIDE:
        return persons
    return persons.involved_with(membership.organisation)


def may_use_radar(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role in roles.RADAR_VIEW


def radar_persons(membership: Membership | None) -> PersonQuerySet:
    """The persons whose radar core this member sees: the coordinator the whole network, others those
    their organisation is involved with (rule 3). Roles without a radar get 404."""
    membership = require_membership(membership)
    if not may_use_radar(membership):
        raise not_found()
    return visible_persons(membership)


def may_run_mdo(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role in roles.RUN_MDO


def may_register_persons(membership: Membership | None) -> bool:
    return membership is not None and membership.role in roles.REGISTER


def require_register(membership: Membership | None) -> Membership:
    membership = require_membership(membership)
    if membership.role not in roles.LIST_PERSONS:
        raise not_found()
    if membership.role not in roles.REGISTER:
        raise PermissionDenied(_("Your role may not register persons."))
    return membership


# A part of the file the viewer may not read does not exist for them (rule 1).
_READS_THAT_HIDE = frozenset(
    {
        Need.READ_CORE,
        Need.READ_FILE,
        Need.READ_INVOLVEMENTS,
        Need.READ_CONSENTS,
        Need.READ_CONTACTS,
        Need.READ_APPOINTMENTS,
        Need.READ_CARE,
        Need.READ_RADAR,
        Need.READ_NETWORK_MAP,
    }
)


def person_for(membership: Membership | None, person_id: int | str, need: Need) -> PersonAccess:
    """The person with this id as this member may use them, or 404 (not visible) / 403 (not allowed)."""
    from inbeeld.people.models import Person

    try:
        person = Person.objects.select_related("lead_organisation", "key_worker").get(pk=int(person_id))
    except (Person.DoesNotExist, ValueError, TypeError):
        raise not_found() from None
    access = person_access(membership, person)
    if access is None:
        raise not_found()
    if not access.allows(need):
        if need in _READS_THAT_HIDE:
            raise not_found()
        raise PermissionDenied(_("Your role may not do this for this person."))
    return access


def read_person(actor: audit.Actor, person_id: int | str, need: Need, *, data: str) -> PersonAccess:
    """Decide, then record the read in the audit trail (rule 6). For pages and API reads."""
    access = person_for(actor.membership, person_id, need)
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.READ,
            data=data,
            basis=access.basis,
            person_id=access.person.pk,
            object_id=access.person.pk,
            detail={"level": access.level.name.lower()},
        )
    return access


@dataclass(frozen=True)
class RecordScope:
    """Whose records of one person (contacts, appointments, network ties …) a viewer sees, and on which bases.

    ``shared`` holds (basis, consent id) for each consent or legal basis that shows another
    organisation's records; it is empty when only the viewer's own organisation's records show.
    """

    organisation_ids: frozenset[int]
    shared: tuple[tuple[str, int], ...] = ()

    def shows(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids

    def apply(self, records: QuerySet[M]) -> QuerySet[M]:
        return records.filter(organisation_id__in=self.organisation_ids)


def record_scope(person_access: PersonAccess, records: QuerySet[Any], category: str) -> RecordScope:
    """The organisations whose records (of ``records``' kind, in a data category) of this person the
    viewer sees (rule 2), and the consents that let another organisation's records in."""
    own = person_access.own_organisation_id
    if consent_for(person_access.person, person_access.membership, category) is None:
        # Without a consent only the viewer's own organisation's records show: no need to look further.
        return RecordScope(frozenset({own}), ())
    owners = set(
        records.filter(person=person_access.person)
        .order_by()
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    visible = {own}
    shared: dict[int, str] = {}
    for organisation_id in owners - {own}:
        seen = person_access.sees_records_of(organisation_id, category)
        if seen is None:
            continue
        visible.add(organisation_id)
        basis, consent = seen
        if consent is not None:
            shared[consent.pk] = basis
    return RecordScope(frozenset(visible), tuple(sorted((b, c) for c, b in shared.items())))


def record_shared_read(
    actor: audit.Actor,
    person_access: PersonAccess,
    shared: Iterable[tuple[str, int]],
    *,
    data: str,
    own: bool = True,
) -> None:
    """Record a read of a person's records on the viewer's own basis (unless ``read_person`` already
    did: ``own=False``) and once per consent (basis, consent id) that let another organisation's rows in."""
    person_id = person_access.person.pk
    with transaction.atomic():
        if own:
            audit.record(
                actor,
                action=AuditEvent.Action.READ,
                data=data,
                basis=person_access.basis,
                person_id=person_id,
                object_id=person_id,
            )
        for basis, consent_id in shared:
            audit.record(
                actor,
                action=AuditEvent.Action.READ,
                data=data,
                basis=basis,
                person_id=person_id,
                object_id=person_id,
                consent_id=consent_id,
            )


def read_records(
    actor: audit.Actor, person_id: int | str, need: Need, records: QuerySet[Any], category: str, *, data: str
) -> tuple[PersonAccess, RecordScope]:
    """For a page or API read of one kind of a person's records (contacts, ties, episodes …): decide
    (404/403), scope them by rule 2, and audit the read on the viewer's basis and once per consent used."""
    person_access = read_person(actor, person_id, need, data=data)
    scope = record_scope(person_access, records, category)
    record_shared_read(actor, person_access, scope.shared, data=data, own=False)
    return person_access, scope


def record_list_read(actor: audit.Actor, person_ids: list[int], *, data: str, searched: bool) -> None:
    """A list page shows roepnamen: that is a read of each of them."""
    membership = require_membership(actor.membership)
    if membership.role in roles.PRIVACY_VIEW:
        basis = Basis.PRIVACY_OFFICER
    elif membership.role in roles.NETWORK_WIDE:
        basis = Basis.NETWORK_ROLE
    else:
        basis = Basis.INVOLVEMENT
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.SEARCH if searched else AuditEvent.Action.READ,
            data=data,
            basis=basis,
            detail={"persons": person_ids},
        )


def may_record_anonymous_contact(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role in roles.RECORD_CONTACT


def may_start_intake(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role in roles.START_INTAKE


def may_use_huiskamer(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role in roles.HUISKAMER


def may_run_shelter(membership: Membership | None) -> bool:
    """Beds, stays, waitlist, volunteers and roster of the member's own organisation's shelters."""
    return membership is not None and membership.ended_on is None and membership.role in roles.RUN_SHELTER


def may_use_shelter(membership: Membership | None) -> bool:
    """The shelter pages at all: its coordinator and its volunteers (shelter facts only, rule 4)."""
    return membership is not None and membership.ended_on is None and membership.role in roles.SHELTER


def buddy_person(membership: Membership | None, person_id: int | str) -> PersonAccess:
    """A volunteer's view of the resident they are buddy to: the network map, on the pairing's basis.

    Any other person, an ended pairing, or a pairing in another organisation's shelter is 404 (rule 1).
    The access is at core level: nothing of the file beyond the ties this allows (``shelter.buddies``).
    """
    from inbeeld.people.models import Person
    from inbeeld.shelter.models import BuddyPair

    membership = require_membership(membership)
    if membership.ended_on is not None or membership.role != roles.Role.VOLUNTEER:
        raise not_found()
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise not_found() from None
    paired = BuddyPair.objects.current().filter(
        person_id=pk,
        volunteer__membership=membership,
        location__organisation_id=membership.organisation_id,
    )
    if not paired.exists():
        raise not_found()
    person = Person.objects.get(pk=pk)
    return PersonAccess(person=person, membership=membership, level=Level.CORE, basis=Basis.BUDDY)


def may_use_instruments(membership: Membership | None) -> bool:
    """Instruments hold no person data, but only those who assess persons have any use for them."""
    return (
        membership is not None
        and membership.ended_on is None
        and membership.role in (roles.READ_FILE | roles.EDIT_CARE)
    )


def may_view_reports(membership: Membership | None) -> bool:
    """Aggregated figures of the member's network, only ever through ``reports.disclosure`` (rule 4)."""
    return membership is not None and membership.ended_on is None and membership.role in roles.VIEW_REPORTS


def require_reports(membership: Membership | None) -> Membership:
    """The member, if they may see their network's figures; everyone else gets 404 (rule 1)."""
    if membership is None or not may_view_reports(membership):
        raise not_found()
    return membership


def may_record_street_counts(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.ended_on is None
        and membership.role in roles.RECORD_STREET_COUNTS
    )


def may_use_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == roles.Role.ADMIN
