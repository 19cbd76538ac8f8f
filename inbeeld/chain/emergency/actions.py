"""Breaking the glass and reviewing it: the search, the grant and the privacy officer's verdict.

Each is one transaction with its audit event (rule 6). The search and the grant are audited on the
emergency basis, so their events carry the emergency flag the privacy officer's access log shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.chain.emergency.models import REASON_MIN_LENGTH, EmergencyAccess
from inbeeld.core import access, audit, roles
from inbeeld.core.access import Level
from inbeeld.core.crypto import phone_index
from inbeeld.core.models import AuditEvent, Membership
from inbeeld.people.models import Alias, Person

# More matches than this and the search term is not exact enough: nobody browses persons in an emergency.
MAX_RESULTS = 5
Basis = AuditEvent.Basis


def may_break_glass(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role in roles.BREAK_GLASS


def require_break_glass(membership: Membership | None) -> Membership:
    if not may_break_glass(membership):
        raise access.not_found()
    assert membership is not None  # for mypy: may_break_glass checked it
    return membership


def may_review(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role in roles.PRIVACY_VIEW


def require_review(membership: Membership | None) -> Membership:
    if not may_review(membership):
        raise access.not_found()
    assert membership is not None
    return membership


def clean_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _("Write why you need this person's data now, in at least %(n)d characters.")
                % {"n": REASON_MIN_LENGTH}
            }
        )
    return reason


@dataclass(frozen=True)
class Match:
    person: Person
    sees_normally: bool  # the worker already sees this person without breaking the glass
    grant: EmergencyAccess | None  # the worker's active grant for this person


@dataclass(frozen=True)
class SearchResult:
    matches: list[Match]
    too_many: bool


def exact_matches(membership: Membership, text: str) -> list[Person]:
    """Persons of the member's network whose roepnaam or alias is exactly ``text`` (any case), or whose
    phone number is exactly it (blind index). At most MAX_RESULTS + 1, so "too many" can be told."""
    text = text.strip()
    if not text:
        return []
    persons = Person.objects.in_network(membership.organisation.network)
    if sum(ch.isdigit() for ch in text) >= 6:
        persons = persons.filter(phone_index=phone_index(text))
    else:
        alias = Alias.objects.filter(person=OuterRef("pk"), name__iexact=text)
        persons = persons.filter(Q(roepnaam__iexact=text) | Q(Exists(alias)))
    return list(persons.order_by("roepnaam", "id")[: MAX_RESULTS + 1])


def _match(membership: Membership, person: Person) -> Match:
    level, basis = access.level_for(membership, person)
    grant = None
    if basis == Basis.EMERGENCY:
        grant = active_grant(membership, person)
    return Match(person, sees_normally=level >= Level.CORE and basis != Basis.EMERGENCY, grant=grant)


def active_grant(membership: Membership, person: Person) -> EmergencyAccess | None:
    return EmergencyAccess.objects.active().filter(membership=membership, person=person).first()


def search(actor: audit.Actor, *, reason: str, text: str) -> SearchResult:
    """The emergency search: audited (with the persons it showed) whether it finds anyone or not."""
    membership = require_break_glass(actor.membership)
    clean_reason(reason)
    found = exact_matches(membership, text)
    too_many = len(found) > MAX_RESULTS
    matches = [] if too_many else [_match(membership, p) for p in found]
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.SEARCH,
            data="emergency_access.search",
            basis=Basis.EMERGENCY,
            detail={"persons": [m.person.pk for m in matches], "too_many": too_many},
        )
    return SearchResult(matches, too_many)


def break_glass(actor: audit.Actor, *, reason: str, text: str, person_id: int) -> EmergencyAccess:
    """Grant the acting worker 24 hours of the person's radar core and latest plan.

    The person must be one the exact search ``text`` finds (404 otherwise: ids are not guessed). A
    worker who already sees the person needs no grant (422); an active grant is reused as it is."""
    membership = require_break_glass(actor.membership)
    reason = clean_reason(reason)
    person = next((p for p in exact_matches(membership, text)[:MAX_RESULTS] if p.pk == person_id), None)
    if person is None:
        raise access.not_found()
    match = _match(membership, person)
    if match.sees_normally:
        raise ValidationError({"person_id": _("You already see this person; no emergency access is needed.")})
    if match.grant is not None:
        return match.grant
    with transaction.atomic():
        now = timezone.now()
        grant = EmergencyAccess.objects.create(
            user=membership.user,
            membership=membership,
            person=person,
            reason=reason,
            granted_at=now,
            expires_at=EmergencyAccess.expiry_for(now),
        )
        audit.record(
            actor,
            action=AuditEvent.Action.CREATE,
            data="emergency_access",
            basis=Basis.EMERGENCY,
            person_id=person.pk,
            object_id=grant.pk,
            detail={"expires_at": grant.expires_at.isoformat()},
        )
    return grant


class AlreadyReviewed(Exception):
    pass


def review(actor: audit.Actor, grant: EmergencyAccess, *, justified: bool, note: str) -> EmergencyAccess:
    """The privacy officer's verdict on one grant; a note is required when it was not justified."""
    require_review(actor.membership)
    note = note.strip()
    if not justified and not note:
        raise ValidationError({"review_note": _("Say why this emergency access was not justified.")})
    with transaction.atomic():
        locked = EmergencyAccess.objects.select_for_update().get(pk=grant.pk)
        if locked.is_reviewed:
            raise AlreadyReviewed
        locked.reviewed_by = actor.user
        locked.reviewed_at = timezone.now()
        locked.justified = justified
        locked.review_note = note
        locked.save(update_fields=["reviewed_by", "reviewed_at", "justified", "review_note"])
        audit.record(
            actor,
            action=AuditEvent.Action.UPDATE,
            data="emergency_access.review",
            basis=Basis.PRIVACY_OFFICER,
            person_id=locked.person_id,
            object_id=locked.pk,
            emergency=True,
            detail={"justified": justified},
        )
    return locked
