"""A volunteer never sees health, addiction, sex-work or plan details (rule 4), on any page or API answer.

Built on the permission grid, so it covers every route any area adds: in the grid's world, every sensitive
field of the person is seeded with a unique canary string (records by organisation A and by B); the person
lives in A's shelter with an open stay, a house log entry about them and the volunteer of A as buddy. Then,
as that volunteer, every GET route whose grid expectation for "volunteer, own" is 200 is requested, the
shelter links and API lists found there are followed, and no answer may contain any canary. A caseworker
of A does see canaries on the person page: the canaries are real, so the test can fail.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from inbeeld.care.models import (
    Appointment,
    Assessment,
    CarePlan,
    Channel,
    Contact,
    ContactKind,
    Domain,
    Evaluation,
    Goal,
    Instrument,
    Intake,
    PlanAction,
    PlanVersion,
    Score,
)
from inbeeld.core.models import Location, Membership, Organisation, User
from inbeeld.core.tests.test_permissions import all_entries, api_operation_keys, web_route_keys
from inbeeld.huiskamer.models import Visit
from inbeeld.people.models import (
    Alias,
    ContactFrequency,
    Involvement,
    NetworkTie,
    Status,
    StatusChange,
    TieKind,
    TieQuality,
)
from inbeeld.radar.models import ExitRoute, KeyDate, Signal
from inbeeld.shelter.models import (
    Bed,
    BuddyPair,
    HouseLogEntry,
    HouseRules,
    Room,
    Shift,
    ShiftSlot,
    Stay,
    VolunteerProfile,
    WaitlistEntry,
)
from inbeeld.shelter.tests.grid_shelter_hub import site
from inbeeld.testing.grid import GridRoute, World, build_world

VOLUNTEER = "volunteer"
# The volunteer's pages that must have been checked, once their routes exist.
REQUIRED = ("shelter:site", "shelter:residents", "shelter:house_log", "shelter:roster", "shelter:buddy_map")
MAX_REQUESTS = 400
DATE_OF_BIRTH = datetime.date(1937, 2, 19)
# How a date of birth could be rendered (ISO, Dutch, English): none may reach a volunteer.
DATE_OF_BIRTH_TEXTS = (
    "1937-02-19",
    "19-02-1937",
    "19-2-1937",
    "19/02/1937",
    "19 februari 1937",
    "19 feb. 1937",
    "19 February 1937",
    "February 19, 1937",
    "Feb. 19, 1937",
)
TIE_NAME = "Buurvrouw Trudy"  # a tie's name on the buddy's map may show; its note may not
HOUSE_FACT = "Samen soep gekookt"


class Canaries(dict[str, str]):
    """Field label → its unique canary string."""

    def new(self, label: str) -> str:
        value = f"CANARY-{label.upper().replace('_', '-')}-7F3A"
        assert value not in self.values(), label
        self[label] = value
        return value


@dataclass
class Seeded:
    canaries: Canaries
    forbidden: dict[str, str] = field(default_factory=dict)  # label → text, canaries and other identity


def _at(days_ago: int, hour: int = 12) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _seed_person_records(w: World, c: Canaries) -> None:
    """The person's identity, status, involvement and consent fields."""
    person = w.person
    person.legal_name = c.new("legal_name")
    person.phone = c.new("phone")
    person.address = c.new("address")
    person.date_of_birth = DATE_OF_BIRTH
    person.status = Status.IN_SHELTER
    person.save()
    Alias.objects.create(person=person, name=c.new("alias"))
    w.involvement.reason = c.new("involvement_reason")
    w.involvement.save()
    Involvement.objects.create(
        person=person,
        organisation=w.org_b,
        started_on=datetime.date(2017, 1, 1),
        ended_on=datetime.date(2017, 6, 1),
        reason=c.new("involvement_reason_b"),
        end_reason=c.new("involvement_end_reason_b"),
    )
    w.consent.note = c.new("consent_note")
    w.consent.save()
    for scope, org in (("a", w.org_a), ("b", w.org_b)):
        StatusChange.objects.create(
            person=person,
            from_status=Status.EXITING,
            to_status=Status.IN_SHELTER,
            effective_on=timezone.localdate() - datetime.timedelta(days=30),
            recorded_by_organisation=org,
            note=c.new(f"status_note_{scope}"),
        )


def _seed_care(w: World, c: Canaries, scope: str, org: Organisation, worker: User) -> None:
    person = w.person
    Contact.objects.create(
        person=person,
        organisation=org,
        recorded_by=worker,
        occurred_at=_at(3),
        channel=Channel.SHELTER,
        kind=ContactKind.MEDICAL,
        note=c.new(f"contact_note_{scope}"),
    )
    Appointment.objects.create(
        person=person,
        organisation=org,
        worker=worker,
        created_by=worker,
        starts_at=_at(-3, 10),
        ends_at=_at(-3, 11),
        place=c.new(f"appointment_place_{scope}"),
        purpose=c.new(f"appointment_purpose_{scope}"),
    )
    instrument = Instrument.objects.order_by("id").first()
    if instrument is not None:
        assessment = Assessment.objects.create(
            person=person,
            instrument=instrument,
            organisation=org,
            assessed_on=timezone.localdate() - datetime.timedelta(days=20),
            assessed_by=worker,
            note=c.new(f"assessment_note_{scope}"),
        )
        domain = Domain.objects.filter(instrument=instrument).order_by("id").first()
        if domain is not None:
            Score.objects.create(
                assessment=assessment, domain=domain, value=2, note=c.new(f"score_note_{scope}")
            )
    Intake.objects.create(
        organisation=org,
        person=person,
        started_by=worker,
        step=Intake.Step.FIRST_CONTACT,
        draft=json.dumps({"first_contact": {"note": c.new(f"intake_answer_{scope}")}}),
    )
    Visit.objects.create(
        location=Location.objects.create(
            organisation=org, name=f"Huiskamer {scope}", kind=Location.Kind.HUISKAMER
        ),
        person=person,
        organisation=org,
        recorded_by=worker,
        arrived_at=_at(5, 14),
        note=c.new(f"visit_note_{scope}"),
    )
    key_date = KeyDate.objects.get_or_create(
        network=w.network, name="Sluiting zone", defaults={"date": timezone.localdate()}
    )[0]
    if scope == "a":
        ExitRoute.objects.create(
            person=person,
            key_date=key_date,
            route=ExitRoute.Route.TREATMENT,
            note=c.new("exit_route_note"),
            organisation=org,
            recorded_by=worker,
        )
    Signal.objects.create(
        network=w.network,
        person=person,
        rule="not_seen",
        anchor=f"canary-{scope}",
        severity=2,
        facts={"note": c.new(f"signal_facts_{scope}")},
        state=Signal.State.RESOLVED,
        opened_on=timezone.localdate() - datetime.timedelta(days=10),
        outcome=Signal.Outcome.OTHER,
        outcome_note=c.new(f"signal_outcome_note_{scope}"),
        resolved_by_organisation=org,
    )
    NetworkTie.objects.create(
        person=person,
        kind=TieKind.RISK_CONTACT,
        quality=TieQuality.RISK,
        # Open, so it is on the buddy's map: who a risk contact is never shows to a volunteer.
        name=c.new(f"risk_tie_name_{scope}"),
        frequency=ContactFrequency.WEEKLY,
        started_on=timezone.localdate() - datetime.timedelta(days=400),
        note=c.new(f"risk_tie_note_{scope}"),
        organisation=org,
        recorded_by=worker,
    )


def _seed_plan(w: World, c: Canaries, worker: User) -> None:
    plan = CarePlan.objects.get_or_create(
        person=w.person, defaults={"organisation": w.org_a, "created_by": worker}
    )[0]
    plan.current_number += 1
    plan.save()
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.current_number,
        saved_by=worker,
        own_words=c.new("plan_own_words"),
        change_summary=c.new("plan_change_summary"),
        evaluation_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    goal = Goal.objects.create(version=version, position=1, description=c.new("goal"))
    PlanAction.objects.create(
        goal=goal,
        position=1,
        who=PlanAction.Who.NETWORK_MEMBER,
        who_name=c.new("action_who_name"),
        what=c.new("action_what"),
    )
    Evaluation.objects.create(
        plan=plan,
        version=version,
        evaluated_on=timezone.localdate() - datetime.timedelta(days=5),
        went_well=c.new("evaluation_went_well"),
        changed=c.new("evaluation_changed"),
        recorded_by=worker,
        organisation=w.org_a,
    )


def _seed_shelter(w: World, c: Canaries) -> None:
    """A's shelter: an open stay, a house log entry, the volunteer of A as buddy, a tie by A on the map."""
    location = site(w)
    coordinator = w.member("shelter_coordinator", "own").user
    volunteer = w.member(VOLUNTEER, "own")
    # The grid's routes may have made some of this already (their kwargs run first): reuse it.
    stay = Stay.objects.filter(person=w.person).open().first()
    if stay is None:
        room = Room.objects.create(location=location, name="Kamer Canary")
        bed = Bed.objects.create(room=room, label="Bed 1")
        rules = HouseRules.objects.filter(location=location).order_by("-version").first()
        rules = rules or HouseRules.objects.create(
            location=location, version=1, text="Huisregels", published_by=coordinator
        )
        stay = Stay.objects.create(
            person=w.person,
            location=location,
            bed=bed,
            organisation=w.org_a,
            checked_in_at=_at(30, 15),
            house_rules=rules,
            house_rules_accepted_at=_at(30, 15),
            checked_in_by=coordinator,
        )
    stay.note = c.new("stay_note")
    stay.save()
    WaitlistEntry.objects.create(
        location=location,
        person=w.person,
        added_on=timezone.localdate() - datetime.timedelta(days=45),
        requested_by_organisation=w.org_a,
        organisation=w.org_a,
        note=c.new("waitlist_note"),
        added_by=coordinator,
        closed_at=stay.checked_in_at,
        outcome=WaitlistEntry.Outcome.PLACED,
        stay=stay,
    )
    profile = VolunteerProfile.objects.get_or_create(membership=volunteer)[0]
    profile.vog_issued_on = timezone.localdate() - datetime.timedelta(days=100)
    profile.vog_valid_until = timezone.localdate() + datetime.timedelta(days=600)
    profile.save()
    slot = ShiftSlot.objects.get_or_create(
        location=location,
        name="Avond Canary",
        defaults={"starts_at": datetime.time(18), "ends_at": datetime.time(22), "needed": 1},
    )[0]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    shift = Shift.objects.get_or_create(
        slot=slot,
        date=yesterday,
        defaults={"location": location, "starts_at": _at(1, 18), "ends_at": _at(1, 22), "needed": 1},
    )[0]
    HouseLogEntry.objects.create(
        location=location,
        shift=shift,
        person=w.person,
        text=HOUSE_FACT,
        written_at=_at(1, 21),
        author=volunteer.user,
    )
    BuddyPair.objects.get_or_create(
        volunteer=profile,
        person=w.person,
        ended_on=None,
        defaults={
            "location": location,
            "started_on": timezone.localdate() - datetime.timedelta(days=20),
            "matched_by": coordinator,
        },
    )
    NetworkTie.objects.create(
        person=w.person,
        kind=TieKind.FRIEND,
        quality=TieQuality.SUPPORTIVE,
        name=TIE_NAME,
        frequency=ContactFrequency.WEEKLY,
        started_on=timezone.localdate() - datetime.timedelta(days=10),
        note=c.new("tie_note"),
        organisation=w.org_a,
        recorded_by=w.member("caseworker", "own").user,
    )


def seed(w: World) -> Seeded:
    canaries = Canaries()
    _seed_person_records(w, canaries)
    for scope, other in (("a", "own"), ("b", "other")):
        org = w.org_a if scope == "a" else w.org_b
        _seed_care(w, canaries, scope, org, w.member("caseworker", other).user)
    _seed_plan(w, canaries, w.member("caseworker", "own").user)
    _seed_shelter(w, canaries)
    forbidden = {**canaries, **{f"date_of_birth ({text})": text for text in DATE_OF_BIRTH_TEXTS}}
    return Seeded(canaries, forbidden)


# --- requesting as a member ---------------------------------------------------------------------------


def _log_in(client: Client, membership: Membership) -> None:
    client.force_login(membership.user)
    session = client.session
    session["inbeeld_membership_id"] = membership.pk
    session.save()


def _body(response) -> str:  # type: ignore[no-untyped-def]
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def volunteer_routes() -> tuple[list[GridRoute], list[GridRoute]]:
    """What the grid lets the volunteer of the involved organisation read: GET routes answering 200 (web
    and API), and web routes declared for another method that the volunteer may use (a form page such as
    the house log answers GET too; its GET is tried on the site)."""
    gets, forms = [], []
    for entry in all_entries():
        allowed = entry.expect[VOLUNTEER][0]
        if entry.method.upper() == "GET" and allowed == 200:
            gets.append(entry)
        elif entry.method.upper() != "GET" and allowed < 400 and not entry.key.split(" ")[0].isupper():
            forms.append(entry)
    return gets, forms


def _url(entry: GridRoute, w: World) -> str | None:
    """The entry's URL in this world; None when its objects cannot be made next to the others'."""
    try:
        with transaction.atomic():
            return entry.path(w) if entry.path else reverse(entry.key, kwargs=entry.kwargs(w))
    except IntegrityError:
        return None


def _form_url(entry: GridRoute, location: Location) -> str | None:
    """A form page's GET: on the shelter site, or without arguments; None if the route takes others."""
    for kwargs in ({"pk": location.pk}, {}):
        try:
            return reverse(entry.key, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def _unsafe(url: str) -> bool:
    """Links a GET must not follow: signing out would end the crawl's session."""
    return "logout" in url


HREF = re.compile(r"""(?:href|hx-get)=["']([^"'#?]+)""")
FOLLOW = re.compile(r"^/(?!static/|media/|accounts/|admin/|i18n/)")


def _links(body: str) -> Iterable[str]:
    return (link for link in HREF.findall(body) if FOLLOW.match(link))


def _api_ids(body: str) -> list[int]:
    """The ids of a JSON list answer (a list, or an object with ``items``)."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return []
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), int)]


def _api_list_patterns() -> list[re.Pattern[str]]:
    """API lists whose items have their own GET operation (``.../things`` and ``.../things/{id}``)."""
    out = []
    for key in api_operation_keys():
        method, path = key.split(" ", 1)
        parent, _, last = path.rpartition("/")
        if method == "GET" and re.fullmatch(r"\{\w+\}", last):
            out.append(re.compile("^" + re.sub(r"\\\{\w+\\\}", r"[^/]+", re.escape(parent)) + "/?$"))
    return out


@dataclass
class Crawl:
    forbidden: dict[str, str] = field(repr=False)
    checked: dict[str, str] = field(default_factory=dict)  # url → what led there
    bodies: dict[str, str] = field(default_factory=dict, repr=False)
    leaks: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # followed links that were not a 200

    def check(self, client: Client, url: str, origin: str) -> str | None:
        if url in self.checked or url in self.skipped or len(self.checked) >= MAX_REQUESTS or _unsafe(url):
            return None
        response = client.get(url)
        if response.status_code != 200:
            self.skipped[url] = response.status_code
            return None
        body = _body(response)
        self.checked[url] = origin
        self.bodies[url] = body
        self.leaks += [
            f"{url} ({origin}) shows {label}: {text!r}"
            for label, text in self.forbidden.items()
            if text in body
        ]
        return body


@pytest.mark.django_db
def test_no_volunteer_page_or_api_answer_shows_health_addiction_or_plan_details(client: Client) -> None:
    w = build_world()
    location = site(w)
    web_keys = web_route_keys()
    # The routes' own objects first (their kwargs may create them), then the canaries.
    gets, forms = volunteer_routes()
    routes = [(entry, _url(entry, w)) for entry in gets]
    routes += [(entry, _form_url(entry, location)) for entry in forms]
    unbuilt = [entry.key for entry, url in routes if url is None]
    seeded = seed(w)

    # The canaries are real: a caseworker of A finds them on the person page.
    _log_in(client, w.member("caseworker", "own"))
    person_page = _body(client.get(reverse("people:detail", kwargs={"pk": w.person.pk})))
    assert any(value in person_page for value in seeded.canaries.values()), "canaries not rendered anywhere"
    client.logout()

    _log_in(client, w.member(VOLUNTEER, "own"))
    crawl = Crawl(seeded.forbidden)
    by_key: dict[str, str] = {}
    for entry, url in routes:
        if url is None or _unsafe(url):
            continue
        body = crawl.check(client, url, entry.key)
        if entry.method.upper() == "GET":
            assert body is not None or url in crawl.checked, (
                f"{entry.key}: {url} answered {crawl.skipped.get(url)} to the volunteer; the grid says 200"
            )
        by_key[entry.key] = url
    # The volunteer's own buddy's map, and whatever the volunteer's shelter pages link to.
    if "shelter:buddy_map" in web_keys:
        url = reverse("shelter:buddy_map", kwargs={"pk": location.pk, "person": w.person.pk})
        crawl.check(client, url, "the volunteer's buddy's map")
        by_key["shelter:buddy_map"] = url
    lists = _api_list_patterns()
    queue = list(crawl.bodies.items())
    while queue:
        url, body = queue.pop(0)
        found = [(link, f"link on {url}") for link in _links(body)]
        if any(pattern.match(url) for pattern in lists):
            found += [(f"{url.rstrip('/')}/{pk}", f"item of {url}") for pk in _api_ids(body)]
        for link, origin in found:
            followed = crawl.check(client, link, origin)
            if followed is not None:
                queue.append((link, followed))

    assert len(crawl.checked) < MAX_REQUESTS, "the crawl stopped early: raise MAX_REQUESTS"
    leaks = crawl.leaks
    assert not leaks, "A volunteer saw what only care workers may:\n" + "\n".join(leaks)

    # The test looked where it matters: the volunteer's pages exist and were read.
    required = [key for key in REQUIRED if key in web_keys]
    missing = [key for key in required if by_key.get(key) not in crawl.checked]
    assert not missing, (
        f"Volunteer pages not checked (not in the grid, not 200, or objects not made: {unbuilt}): {missing}"
    )
    assert len(crawl.checked) >= max(len(required) + 1, 2), crawl.checked
    if any(key.startswith("GET /api/v1/shelter/") for key in api_operation_keys()):
        assert [url for url in crawl.checked if url.startswith("/api/v1/shelter/")], (
            "no shelter API answer read"
        )
    residents = by_key.get("shelter:residents", by_key["shelter:site"])
    assert w.person.roepnaam in crawl.bodies[residents], f"{residents} does not show the resident's roepnaam"
