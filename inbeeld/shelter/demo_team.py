"""The shelter demo's team: volunteers with VOG and trainings, availability, the roster, the house log and
buddy pairs. Mixed into the shelter demo loader (``shelter.demo``); all invented."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from inbeeld.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoNetwork
from inbeeld.core.models import Location, Membership, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, DataCategory
from inbeeld.shelter.models import (
    Availability,
    BuddyPair,
    HouseLogEntry,
    Shift,
    ShiftSignup,
    ShiftSlot,
    Stay,
    SwapOffer,
    Training,
    TrainingRecord,
    VolunteerProfile,
)

_Day = datetime.date
_D = datetime.timedelta

TRAININGS: tuple[tuple[str, int | None], ...] = (
    ("Introductie", None),
    ("Omgaan met agressie", 24),
    ("EHBO", 24),
)

# (slot name, starts, ends, volunteers needed)
SLOTS: tuple[tuple[str, str, str, int], ...] = (
    ("Ochtend", "08:00", "14:00", 2),
    ("Middag", "14:00", "20:00", 2),
    ("Nacht", "20:00", "08:00", 1),
)
PAST_DAYS, AHEAD_DAYS = 28, 14
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
MIES = f"volunteer@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class VolunteerSpec:
    local: str  # e-mail local part; "volunteer" is the demo's Mies
    name: str
    started_on: _Day
    # VOG relative to today: (issued days ago, valid until days from today); None: no VOG on file.
    vog: tuple[int, int] | None
    languages: str = "nl"


VOLUNTEERS: tuple[VolunteerSpec, ...] = (
    VolunteerSpec("volunteer", "", datetime.date(2019, 2, 1), (400, 700), "nl, en"),
    VolunteerSpec("vrijwilliger.anke", "Anke (vrijwilliger, demo)", datetime.date(2019, 3, 1), (300, 800)),
    VolunteerSpec(
        "vrijwilliger.bas", "Bas (vrijwilliger, demo)", datetime.date(2019, 3, 15), (500, 600), "nl, de"
    ),
    VolunteerSpec("vrijwilliger.carla", "Carla (vrijwilliger, demo)", datetime.date(2020, 1, 10), (200, 900)),
    VolunteerSpec("vrijwilliger.dirk", "Dirk (vrijwilliger, demo)", datetime.date(2020, 9, 1), (1080, 18)),
    VolunteerSpec(
        "vrijwilliger.els", "Els (vrijwilliger, demo)", datetime.date(2021, 2, 1), (150, 950), "nl, en"
    ),
    VolunteerSpec(
        "vrijwilliger.gerrit", "Gerrit (vrijwilliger, demo)", datetime.date(2021, 6, 1), (1140, -40)
    ),
    VolunteerSpec(
        "vrijwilliger.hester", "Hester (vrijwilliger, demo)", datetime.date(2022, 4, 1), (600, 500)
    ),
    VolunteerSpec("vrijwilliger.jelle", "Jelle (vrijwilliger, demo)", datetime.date(2023, 9, 1), (90, 1000)),
    VolunteerSpec(
        "vrijwilliger.karin", "Karin (vrijwilliger, demo)", datetime.date(2024, 3, 1), (700, 400), "nl, ro"
    ),
    VolunteerSpec(
        "vrijwilliger.marten", "Marten (vrijwilliger, demo)", datetime.date(2025, 5, 1), (60, 1040)
    ),
    VolunteerSpec(
        "vrijwilliger.nynke", "Nynke (vrijwilliger, demo)", datetime.date(2026, 10, 1), None, "nl, fy"
    ),
)

# Neutral house facts by slot: nothing about health, addiction, sex work or plans.
HOUSE_FACTS: dict[str, tuple[str, ...]] = {
    "Ochtend": (
        "Boodschappen gedaan voor het weekend.",
        "Koelkast schoongemaakt, houdbaarheid gecontroleerd.",
        "Brandmelders getest, alles in orde.",
        "Nieuwe planten in de vensterbank gezet.",
    ),
    "Middag": (
        "Rustige avond, samen gekookt.",
        "Tuin opgeruimd en de fietsen gerepareerd.",
        "Gezellige spelletjesavond in de woonkamer.",
        "Wasmachine maakt weer lawaai; doorgegeven aan de coördinator.",
    ),
    "Nacht": (
        "Rustige nacht, niets bijzonders.",
        "Filmavond, iedereen was vroeg naar bed.",
        "Om half twaalf was het stil in huis.",
    ),
}
ABOUT_A_RESIDENT = (
    "Heeft vandaag gekookt voor iedereen, erg lekker.",
    "Samen naar de markt geweest.",
    "Heeft de woonkamer opnieuw ingericht, ziet er gezellig uit.",
    "Was jarig: taart gegeten met het hele huis.",
    "Wil graag meedoen met de moestuin, gesprek gehad over de planning.",
    "Heeft geholpen met de boodschappen.",
)


def _at(day: _Day, hhmm: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm)))


class TeamLoader:
    """The volunteer half of the shelter demo; the loader sets these before calling its methods."""

    demo: DemoNetwork
    site: Location
    today: _Day
    now: datetime.datetime
    rng: random.Random
    coordinator: User
    shelter: Organisation

    def count(self, what: str, n: int) -> None:
        raise NotImplementedError

    def _volunteers(self) -> list[VolunteerProfile]:
        from allauth.account.models import EmailAddress

        # The same hash as the other demo accounts (one hash for all: argon2 is slow on purpose).
        password_hash = self.demo.user("volunteer").password or make_password(DEMO_PASSWORD)
        profiles: list[VolunteerProfile] = []
        memberships: list[Membership] = []
        for spec in VOLUNTEERS:
            email = f"{spec.local}@{DEMO_EMAIL_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create(email=email, full_name=spec.name, password=password_hash)
                self.count("volunteer_users", 1)
            _, made = EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            self.count("volunteer_email_addresses", int(made))
            membership, made = Membership.objects.get_or_create(
                user=user,
                organisation=self.shelter,
                role=Role.VOLUNTEER,
                ended_on=None,
                defaults={"started_on": spec.started_on},
            )
            self.count("volunteer_memberships", int(made))
            memberships.append(membership)
        existing = set(
            VolunteerProfile.objects.filter(membership__in=memberships).values_list(
                "membership_id", flat=True
            )
        )
        for index, (spec, membership) in enumerate(zip(VOLUNTEERS, memberships, strict=True)):
            if membership.pk in existing:
                continue
            issued = valid_until = None
            if spec.vog is not None:
                issued = self.today - _D(days=spec.vog[0])
                valid_until = self.today + _D(days=spec.vog[1])
            profiles.append(
                VolunteerProfile(
                    membership=membership,
                    phone=f"06-00000{900 + index:03d}",
                    languages=spec.languages,
                    vog_issued_on=issued,
                    vog_valid_until=valid_until,
                )
            )
        VolunteerProfile.objects.bulk_create(profiles)
        self.count("volunteer_profiles", len(profiles))
        self._trainings(profiles)
        return list(
            VolunteerProfile.objects.filter(membership__in=memberships)
            .select_related("membership__user")
            .order_by("membership__started_on", "id")
        )

    def _trainings(self, profiles: list[VolunteerProfile]) -> None:
        trainings = []
        for name, months in TRAININGS:
            training, made = Training.objects.get_or_create(
                organisation=self.shelter, name=name, defaults={"valid_months": months}
            )
            self.count("trainings", int(made))
            trainings.append(training)
        intro, aggression, first_aid = trainings
        records = []
        for index, profile in enumerate(profiles):
            started = profile.membership.started_on
            done = [(intro, started + _D(days=self.rng.randint(3, 20)))]
            if index % 2 == 0:
                done.append((aggression, self.today - _D(days=self.rng.randint(30, 500))))
            if index % 3 != 2:
                # One first-aid certificate has lapsed (completed more than 24 months ago).
                days_ago = 800 if index == 4 else self.rng.randint(20, 600)
                done.append((first_aid, self.today - _D(days=days_ago)))
            records += [
                TrainingRecord(
                    volunteer=profile,
                    training=training,
                    completed_on=min(max(day, started), self.today),
                    recorded_by=self.coordinator,
                )
                for training, day in done
            ]
        TrainingRecord.objects.bulk_create(records)
        self.count("training_records", len(records))

    # --- slots, availability, shifts, sign-ups, house log ---------------------------------------------

    def _slots(self) -> list[ShiftSlot]:
        slots = ShiftSlot.objects.bulk_create(
            [
                ShiftSlot(
                    location=self.site,
                    name=name,
                    starts_at=datetime.time.fromisoformat(starts),
                    ends_at=datetime.time.fromisoformat(ends),
                    needed=needed,
                )
                for name, starts, ends, needed in SLOTS
            ]
        )
        self.count("shift_slots", len(slots))
        return slots

    def _availability(self, volunteers: list[VolunteerProfile], slots: list[ShiftSlot]) -> None:
        rows = []
        for volunteer in volunteers:
            pairs = {(self.rng.randrange(7), self.rng.randrange(len(slots))) for _ in range(4)}
            rows += [
                Availability(volunteer=volunteer, weekday=day, slot=slots[s]) for day, s in sorted(pairs)
            ]
        Availability.objects.bulk_create(rows)
        self.count("availability", len(rows))

    def _roster(self, volunteers: list[VolunteerProfile], slots: list[ShiftSlot], stays: list[Stay]) -> None:
        rng = self.rng
        available = {
            (a.volunteer_id, a.weekday, a.slot_id)
            for a in Availability.objects.filter(volunteer__in=volunteers).only(
                "volunteer_id", "weekday", "slot_id"
            )
        }
        shifts: list[Shift] = []
        for offset in range(-PAST_DAYS, AHEAD_DAYS + 1):
            day = self.today + _D(days=offset)
            for slot in slots:
                starts = _at(day, slot.starts_at.isoformat("minutes"))
                end_day = day + _D(days=1) if slot.ends_at <= slot.starts_at else day
                shifts.append(
                    Shift(
                        location=self.site,
                        slot=slot,
                        date=day,
                        starts_at=starts,
                        ends_at=_at(end_day, slot.ends_at.isoformat("minutes")),
                        needed=slot.needed,
                    )
                )
        Shift.objects.bulk_create(shifts)
        self.count("shifts", len(shifts))

        mies = _mies(volunteers)
        signups: list[ShiftSignup] = []
        busy_days: set[tuple[int, _Day]] = set()
        gaps = 0
        for shift in shifts:
            valid = [
                v for v in volunteers if v.vog_valid_on(shift.date) and (v.pk, shift.date) not in busy_days
            ]
            valid.sort(
                key=lambda v: ((v.pk, shift.date.weekday(), shift.slot_id) not in available, rng.random())
            )
            want = shift.needed
            ahead = shift.date > self.today
            if ahead and (rng.random() < 0.35 or (gaps < 3 and shift.date.day % 4 == 0)):
                want -= 1  # a gap ahead: somebody is still needed
                gaps += 1
            if ahead and shift.slot_id == slots[1].pk and shift.date.weekday() == 5 and mies in valid:
                valid.remove(mies)
                valid.insert(0, mies)  # Mies does Saturday afternoons
            for volunteer in valid[:want]:
                busy_days.add((volunteer.pk, shift.date))
                signed_up = shift.starts_at - _D(days=rng.randint(2, 20), hours=rng.randint(0, 10))
                signups.append(
                    ShiftSignup(
                        shift=shift,
                        volunteer=volunteer,
                        signed_up_at=min(signed_up, self.now),
                        signed_up_by=volunteer.membership.user,
                    )
                )
        ShiftSignup.objects.bulk_create(signups)
        self.count("shift_signups", len(signups))

        # One open swap offer ahead, by a colleague of Mies, on a shift she is not on.
        on_shift: dict[int, set[int]] = {}
        for signup in signups:
            on_shift.setdefault(signup.shift_id, set()).add(signup.volunteer_id)
        offer = next(
            (
                s
                for s in signups
                if s.shift.date > self.today + _D(days=3)
                and s.volunteer_id != mies.pk
                and mies.pk not in on_shift[s.shift_id]
            ),
            None,
        )
        if offer is not None:
            SwapOffer.objects.create(signup=offer, offered_at=min(self.now, offer.shift.starts_at))
            self.count("swap_offers", 1)
        self._house_log(shifts, signups, stays)

    def _house_log(self, shifts: list[Shift], signups: list[ShiftSignup], stays: list[Stay]) -> None:
        rng = self.rng
        by_shift: dict[int, list[ShiftSignup]] = {}
        for signup in signups:
            by_shift.setdefault(signup.shift_id, []).append(signup)
        entries = []
        for shift in shifts:
            if shift.ends_at > self.now or shift.pk not in by_shift or rng.random() < 0.3:
                continue
            author = rng.choice(by_shift[shift.pk]).volunteer.membership.user
            written = shift.ends_at - _D(minutes=rng.randint(15, 90))
            present = [
                s.person_id
                for s in stays
                if s.checked_in_at <= written and (s.checked_out_at is None or s.checked_out_at > written)
            ]
            person_id = rng.choice(present) if present and rng.random() < 0.4 else None
            text = rng.choice(ABOUT_A_RESIDENT if person_id else HOUSE_FACTS[shift.slot.name])
            entries.append(
                HouseLogEntry(
                    location=self.site,
                    shift=shift,
                    person_id=person_id,
                    text=text,
                    written_at=written,
                    author=author,
                )
            )
        HouseLogEntry.objects.bulk_create(entries)
        self.count("house_log_entries", len(entries))

    # --- buddies --------------------------------------------------------------------------------------

    def _buddies(self, volunteers: list[VolunteerProfile], stays: list[Stay]) -> None:
        """Mies is the buddy of a resident who lets the shelter see their network map; a colleague is the
        buddy of another resident; two earlier pairs ended when the resident moved out."""
        mies = _mies(volunteers)
        others = [v for v in volunteers if v != mies and v.vog_valid_on(self.today)]
        current = sorted((s for s in stays if s.checked_out_at is None), key=lambda s: s.checked_in_at)
        shares = {
            c.person_id
            for c in Consent.objects.valid_on(self.today).filter(
                recipient=self.shelter, person_id__in=[s.person_id for s in current]
            )
            if DataCategory.NETWORK_MAP in c.data_categories
        }
        current.sort(key=lambda s: s.person_id not in shares)  # a resident who shares the map first
        pairs: list[BuddyPair] = []

        def pair(volunteer: VolunteerProfile, stay: Stay) -> None:
            start = stay.checked_in_at.date() + _D(days=14)
            end = stay.checked_out_at.date() if stay.checked_out_at else None
            if start > self.today or (end is not None and end < start):
                return
            pairs.append(
                BuddyPair(
                    volunteer=volunteer,
                    person_id=stay.person_id,
                    location=self.site,
                    started_on=start,
                    ended_on=end,
                    matched_by=self.coordinator,
                )
            )

        for volunteer, stay in zip([mies, *others[:2]], current, strict=False):
            pair(volunteer, stay)
        past = [s for s in stays if s.checked_out_at is not None][-2:]
        for volunteer, stay in zip(others[2:4], past, strict=False):
            if volunteer.membership.started_on <= stay.checked_in_at.date():
                pair(volunteer, stay)
        BuddyPair.objects.bulk_create(pairs)
        self.count("buddy_pairs", len(pairs))


def _mies(volunteers: list[VolunteerProfile]) -> VolunteerProfile:
    return next(v for v in volunteers if v.membership.user.email == MIES)
