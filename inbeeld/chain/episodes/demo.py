"""The demo's admissions and stays elsewhere. All invented.

- Every spell "in treatment" of the stored status histories is a clinic admission recorded by the clinic
  (its own record), from the day the spell began until the next status; the most admitted person has six.
  That person agreed that the clinic shares its episodes with the foundation (a consent for episodes), so
  the foundation's caseworker sees "6 clinic admissions since …".
- A few persons in the foundation's care get a detox, hospital or detention episode recorded by their key
  worker from information received. Each ended well before a later contact, so the radar has seen them
  since and no "discharged without contact" signal comes from the demo's past.

Plain ORM writes (bulk), idempotent: nothing is written once the demo network has any episode.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from inbeeld.care.demo_history import Spell, admissions, most_admitted, spells_of
from inbeeld.care.models import Contact
from inbeeld.chain.episodes.models import Episode, EpisodeKind, Outcome, Source
from inbeeld.core.demo import CLINIC, FOUNDATION
from inbeeld.core.models import User
from inbeeld.people.models import Consent, DataCategory, Person

if TYPE_CHECKING:
    from inbeeld.core.demo import DemoNetwork

SEED = "episodes-demo"
DAY = datetime.timedelta(days=1)
CLINIC_PLACE = "Kliniek Reitdiephoeve, afdeling verslavingszorg"
CLINIC_OUTCOMES = (
    (Outcome.COMPLETED, "Behandeling afgerond, nazorg afgesproken."),
    (Outcome.DROPPED_OUT, "Voortijdig gestopt met de behandeling."),
    (Outcome.AGAINST_ADVICE, "Tegen advies vertrokken."),
    (Outcome.TRANSFERRED, "Overgeplaatst naar beschermd wonen."),
)
# (kind, place, shortest and longest stay in days, outcome, note) for information received.
RECEIVED = (
    (EpisodeKind.DETOX, "Detoxafdeling Martiniplein", 5, 14, Outcome.COMPLETED, "Gehoord van cliënte zelf."),
    (EpisodeKind.HOSPITAL, "Ziekenhuis Noorderpoort", 2, 10, Outcome.COMPLETED, "Opgenomen na een val."),
    (
        EpisodeKind.DETENTION,
        "Penitentiaire inrichting (demo)",
        10,
        40,
        Outcome.RELEASED,
        "Via de reclassering.",
    ),
)
RECEIVED_PERSONS = 5


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def load_episodes(demo: DemoNetwork, *, today: datetime.date | None = None) -> dict[str, int]:
    """Write the demo's episodes if it has none yet; return what was created. Call inside a transaction."""
    today = today or timezone.localdate()
    if Episode.objects.filter(person__network=demo.network).exists():
        return {}
    rng = random.Random(SEED)
    clinic = demo.organisations[CLINIC]
    clinic_worker = demo.users["caseworker.kliniek@demo.inbeeld.test"]
    persons = list(
        Person.objects.in_network(demo.network)
        .select_related("key_worker")
        .prefetch_related("status_changes")
        .order_by("pk")
    )
    histories = {p: spells_of(p) for p in persons if p.status_changes.all()}
    episodes: list[Episode] = []
    for person, spells in histories.items():
        for spell in admissions(spells):
            ended = spell.end if spell.end is not None and spell.end <= today else None
            outcome, note = rng.choice(CLINIC_OUTCOMES) if ended else ("", "")
            episodes.append(
                Episode(
                    person=person,
                    kind=EpisodeKind.CLINIC,
                    place=CLINIC_PLACE,
                    started_on=spell.start,
                    ended_on=ended,
                    outcome=outcome,
                    note=note,
                    organisation=clinic,
                    source=Source.OWN_RECORD,
                    recorded_by=clinic_worker,
                    recorded_at=_noon(spell.start),
                )
            )
    episodes += _received(demo, rng, histories, today)
    Episode.objects.bulk_create(episodes, batch_size=500)
    created = {"episodes": len(episodes)}
    frequent = most_admitted(histories)
    if frequent is not None and _share_with_foundation(
        frequent, histories[frequent][0].start, clinic_worker, demo
    ):
        created["episode_consents"] = 1
    return created if episodes else {}


def _received(
    demo: DemoNetwork, rng: random.Random, histories: dict[Person, list[Spell]], today: datetime.date
) -> list[Episode]:
    """Episodes the key worker heard about, each ended 3 weeks to 4 months before a later contact."""
    foundation = demo.organisations[FOUNDATION]
    last_contact = dict(
        Contact.objects.filter(person__network=demo.network, organisation=foundation)
        .values("person")
        .annotate(last=Max("occurred_at"))
        .values_list("person", "last")
    )
    candidates = [p for p in histories if p.key_worker is not None and p.pk in last_contact]
    out: list[Episode] = []
    for person in rng.sample(candidates, min(RECEIVED_PERSONS, len(candidates))):
        kind, place, shortest, longest, outcome, note = rng.choice(RECEIVED)
        ended = min(timezone.localtime(last_contact[person.pk]).date(), today) - rng.randint(21, 120) * DAY
        started = ended - rng.randint(shortest, longest) * DAY
        if started < histories[person][0].start:
            continue
        out.append(
            Episode(
                person=person,
                kind=kind,
                place=place,
                started_on=started,
                ended_on=ended,
                outcome=outcome,
                note=note,
                organisation=foundation,
                source=Source.INFORMATION_RECEIVED,
                recorded_by=person.key_worker,
                recorded_at=_noon(ended + 2 * DAY),
            )
        )
    return out


def _share_with_foundation(
    person: Person, since: datetime.date, clinic_worker: User, demo: DemoNetwork
) -> bool:
    """The most admitted person lets the clinic share its episodes with the foundation (rule 2)."""
    foundation = demo.organisations[FOUNDATION]
    valid = Consent.objects.valid_on().filter(person=person, recipient=foundation)
    if any(DataCategory.EPISODES in consent.data_categories for consent in valid):
        return False
    Consent.objects.create(
        person=person,
        recipient=foundation,
        purpose=Consent.Purpose.CARE_COORDINATION,
        data_categories=[DataCategory.EPISODES],
        how_given=Consent.HowGiven.VERBAL,
        valid_from=since,
        recorded_by=clinic_worker,
        recorded_by_organisation=demo.organisations[CLINIC],
        recorded_at=_noon(since),
    )
    return True
