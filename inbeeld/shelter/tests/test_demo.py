"""The shelter demo: stays that follow the status histories, a roster within the VOG rule, a house log."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from inbeeld.core.demo import FOUNDATION, SHELTER, SHELTER_HOUSE, DemoNetwork, load_network
from inbeeld.core.models import Location
from inbeeld.core.roles import Role
from inbeeld.people.demo import load_persons
from inbeeld.people.demo_ties import load_ties, shelter_spells
from inbeeld.people.models import Consent, DataCategory, Involvement, NetworkTie, Status
from inbeeld.shelter import models as m
from inbeeld.shelter.demo import load_shelter
from inbeeld.shelter.demo_team import MIES

MODELS = (
    m.Room,
    m.Bed,
    m.HouseRules,
    m.Stay,
    m.WaitlistEntry,
    m.VolunteerProfile,
    m.Training,
    m.TrainingRecord,
    m.BuddyPair,
    m.ShiftSlot,
    m.Availability,
    m.Shift,
    m.ShiftSignup,
    m.SwapOffer,
    m.HouseLogEntry,
    NetworkTie,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db) -> DemoNetwork:  # type: ignore[no-untyped-def]
    demo = load_network()
    load_persons(demo)
    load_ties(demo)
    load_shelter(demo)
    return demo


def _site(demo: DemoNetwork) -> Location:
    return Location.objects.get(name=SHELTER_HOUSE, organisation=demo.organisations[SHELTER])


@pytest.mark.django_db
def test_load_demo_writes_the_shelter_once() -> None:
    call_command("load_demo", force=True, verbosity=0)
    counts = _counts()
    assert all(counts.values()), counts
    call_command("load_demo", force=True, verbosity=0)
    assert _counts() == counts


def test_one_stay_per_shelter_spell_and_no_bed_double_booked(demo: DemoNetwork) -> None:
    site = _site(demo)
    spells = shelter_spells(demo.network.pk)
    stays = list(m.Stay.objects.filter(location=site).order_by("bed_id", "checked_in_at"))
    assert len(stays) == sum(len(s) for s in spells.values()) >= 10
    for stay in stays:
        _start, end = next(s for s in spells[stay.person_id] if s[0] == stay.checked_in_at.date())
        assert (stay.checked_out_at.date() if stay.checked_out_at else None) == end
        assert bool(stay.checkout_reason) == (end is not None)
        assert stay.bed.in_use and stay.house_rules.published_at <= stay.checked_in_at
    for _bed, group in itertools.groupby(stays, key=lambda s: s.bed_id):
        for earlier, later in itertools.pairwise(list(group)):
            assert earlier.checked_out_at is not None and earlier.checked_out_at <= later.checked_in_at
    assert m.Bed.objects.filter(room__location=site, in_use=False).count() == 1
    assert m.Room.objects.filter(location=site).count() == 4
    assert m.HouseRules.objects.filter(location=site).count() == 2
    # Residents today are those whose status says so.
    open_ = set(m.Stay.objects.filter(location=site).open().values_list("person_id", flat=True))
    assert open_ == set(demo.network.persons.filter(status=Status.IN_SHELTER).values_list("pk", flat=True))


def test_the_waitlist_has_open_entries_of_people_not_in_the_shelter(demo: DemoNetwork) -> None:
    site = _site(demo)
    waiting = m.WaitlistEntry.objects.filter(location=site).waiting()
    assert 3 <= waiting.count() <= 4
    assert len(set(waiting.values_list("priority", flat=True))) >= 3
    assert len(set(waiting.values_list("added_on", flat=True))) == waiting.count()
    foundation = demo.organisations[FOUNDATION]
    for entry in waiting:
        assert entry.person.status != Status.IN_SHELTER
        assert entry.requested_by_organisation == foundation
        assert Involvement.objects.filter(person=entry.person, organisation=foundation, ended_on__isnull=True)
    closed = m.WaitlistEntry.objects.filter(location=site, closed_at__isnull=False)
    assert closed.filter(outcome=m.WaitlistEntry.Outcome.PLACED, stay__isnull=False).exists()
    assert closed.exclude(outcome=m.WaitlistEntry.Outcome.PLACED).exists()


def test_twelve_volunteers_with_their_vog_and_a_roster_that_respects_it(demo: DemoNetwork) -> None:
    today = timezone.localdate()
    site = _site(demo)
    profiles = list(
        m.VolunteerProfile.objects.filter(
            membership__organisation=demo.organisations[SHELTER], membership__role=Role.VOLUNTEER
        ).select_related("membership__user")
    )
    assert len(profiles) == 12
    mies = next(p for p in profiles if p.membership.user.email == MIES)
    assert mies.vog_valid_on(today) and not mies.vog_warning(today)
    assert sum(p.vog_issued_on is None for p in profiles) == 1
    assert sum(p.vog_valid_until is not None and p.vog_valid_until < today for p in profiles) == 1
    assert sum(p.vog_valid_on(today) and p.vog_warning(today) for p in profiles) == 1
    assert m.TrainingRecord.objects.filter(volunteer__in=profiles).count() >= 12
    assert m.Availability.objects.filter(volunteer__in=profiles).count() >= 12

    shifts = m.Shift.objects.filter(location=site)
    assert shifts.filter(date__lt=today).count() == 28 * 3
    assert shifts.filter(date__gt=today, date__lte=today + datetime.timedelta(days=14)).count() == 14 * 3
    signups = m.ShiftSignup.objects.active().filter(shift__location=site).select_related("shift", "volunteer")
    assert signups.count() > 100
    for signup in signups:
        assert signup.volunteer.vog_valid_on(signup.shift.date), signup
    assert signups.filter(volunteer=mies, shift__date__gt=today).exists()
    ahead = shifts.filter(date__gt=today).annotate(
        n=Count("signups", filter=Q(signups__cancelled_at__isnull=True))
    )
    assert ahead.filter(n__lt=F("needed")).count() >= 3  # gaps to fill
    assert not ahead.filter(n__gt=F("needed")).exists()
    offers = m.SwapOffer.objects.filter(signup__shift__location=site)
    assert [o.is_open for o in offers] == [True]


def test_house_log_and_buddies(demo: DemoNetwork) -> None:
    today = timezone.localdate()
    site = _site(demo)
    log = m.HouseLogEntry.objects.filter(location=site).select_related("shift")
    assert log.count() > 20
    assert log.filter(person__isnull=False).exists()
    for entry in log:
        assert entry.shift is not None and entry.written_at <= entry.shift.ends_at
        assert entry.shift.signups.filter(volunteer__membership__user=entry.author).exists()
        if entry.person_id:
            assert m.Stay.objects.filter(
                person_id=entry.person_id, location=site, checked_in_at__lte=entry.written_at
            ).filter(Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=entry.written_at))
    buddies = m.BuddyPair.objects.filter(location=site)
    assert 3 <= buddies.count() <= 5
    mine = buddies.current().get(volunteer__membership__user__email=MIES)
    assert m.Stay.objects.filter(person=mine.person, location=site).open().exists()
    consents = Consent.objects.valid_on(today).filter(
        person=mine.person, recipient=demo.organisations[SHELTER]
    )
    assert any(DataCategory.NETWORK_MAP in c.data_categories for c in consents)
    assert NetworkTie.objects.filter(person=mine.person).count() >= 3
