"""The worker's calendar feed: a secret address (only its SHA-256 stored, shown once, one active per
user, revocable) and the ICS it serves: RFC 5545 by hand, "Afspraak" and the place, nothing else.
"""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.actions.appointments import create_calendar_feed
from inbeeld.care.models import CalendarFeed
from inbeeld.care.tests.test_appointments import HOUR, make_appointment
from inbeeld.care.views.appointments import calendar
from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _token_from(html: str) -> str:
    match = re.search(r"/care/calendar/([A-Za-z0-9_-]+)\.ics", html)
    assert match, "the new address is shown"
    return match[1]


def _feed(client, token: str):  # type: ignore[no-untyped-def]
    return client.get(reverse("care:calendar_ics", kwargs={"token": token}))


def _main(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


@pytest.fixture
def token(member) -> str:
    _feed_row, key = create_calendar_feed(actor=Actor(user=member.user, membership=member))
    return key


# --- the address --------------------------------------------------------------------------------------


def test_the_address_is_shown_once_and_only_its_hash_stored(login, member, client):
    page = login(member)
    response = page.post(reverse("care:calendar_feed"), {"action": "create"})
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    token = _token_from(html)
    assert f'href="webcal://testserver/care/calendar/{token}.ics"' in html
    feed = CalendarFeed.objects.get(user=member.user)
    assert feed.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.key_hash
    assert token not in page.get(reverse("care:calendar_feed")).content.decode()


def test_a_new_address_replaces_the_old_one(login, member, client):
    page = login(member)
    first = _token_from(page.post(reverse("care:calendar_feed"), {"action": "create"}).content.decode())
    second = _token_from(page.post(reverse("care:calendar_feed"), {"action": "create"}).content.decode())
    assert CalendarFeed.objects.filter(user=member.user, revoked_at__isnull=True).count() == 1
    page.logout()
    assert _feed(client, first).status_code == 404
    assert _feed(client, second).status_code == 200


def test_a_revoked_address_is_not_found_like_an_unknown_one(login, member, client, token):
    response = login(member).post(reverse("care:calendar_feed"), {"action": "revoke"})
    assert response.status_code == 302
    client.logout()
    revoked, unknown = _feed(client, token), _feed(client, "x" * 43)
    assert revoked.status_code == unknown.status_code == 404
    assert _main(revoked) == _main(unknown)


def test_a_deactivated_worker_has_no_feed(member, client, token):
    member.user.is_active = False
    member.user.save()
    assert _feed(client, token).status_code == 404


def test_an_unknown_action_is_refused(login, member):
    response = login(member).post(reverse("care:calendar_feed"), {"action": "steal"})
    assert response.status_code == 422 and not CalendarFeed.objects.exists()


# --- what the feed holds -----------------------------------------------------------------------------


def test_the_feed_has_afspraak_and_the_place_never_the_person_or_purpose(member, person, client, token):
    make_appointment(
        person, member.organisation, member.user, timezone.now() + DAY, purpose="Schulden bespreken"
    )
    before = AuditEvent.objects.count()
    response = _feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert person.roepnaam not in body and "Schulden" not in body
    lines = _unfold(body)
    assert "SUMMARY:Afspraak" in lines and "LOCATION:Huiskamer" in lines
    # The feed holds no person data, so reading it is not a read of anyone's file.
    assert AuditEvent.objects.count() == before


def test_the_feed_is_rfc_5545(member, person, client, token):
    make_appointment(person, member.organisation, member.user, timezone.now() + DAY)
    body = _feed(client, token).content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends with CRLF
    event = body[body.index("BEGIN:VEVENT") : body.index("END:VEVENT")]
    for name in ("UID:", "DTSTAMP:", "DTSTART:", "DTEND:"):
        assert f"\r\n{name}" in event
    assert re.search(r"\r\nDTSTART:\d{8}T\d{6}Z\r\n", event)


def test_the_feed_holds_30_days_back_to_180_ahead_of_this_worker_only(
    member, readonly_member, person, client, token
):
    now = timezone.now()
    for days, place in ((-31, "te-oud"), (-29, "nog-net"), (179, "ver-weg"), (181, "te-ver")):
        make_appointment(person, member.organisation, member.user, now + days * DAY, place=place)
    make_appointment(person, member.organisation, readonly_member.user, now + DAY, place="van-een-collega")
    cancelled = make_appointment(person, member.organisation, member.user, now + 2 * DAY, place="afgezegd")
    cancelled.status = "cancelled"
    cancelled.save()
    lines = _unfold(_feed(client, token).content.decode())
    places = [line.removeprefix("LOCATION:") for line in lines if line.startswith("LOCATION:")]
    assert places == ["nog-net", "afgezegd", "ver-weg"]
    assert lines.count("STATUS:CANCELLED") == 1


def test_escaping_and_folding():
    class Stub:
        pk = 7
        status = "planned"
        starts_at = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.UTC)
        ends_at = starts_at + HOUR

        @staticmethod
        def place_label() -> str:
            return "Huiskamer, achteringang; bel\\klop\nZoë's kamer " + "ë" * 60

    now = datetime.datetime(2030, 3, 1, 12, 0, tzinfo=datetime.UTC)
    body = calendar([Stub()], now=now, name="Agenda")
    for line in body.split("\r\n"):
        assert len(line.encode()) <= 75, line
        line.encode().decode()  # no line is cut inside a UTF-8 character
    location = next(line for line in _unfold(body) if line.startswith("LOCATION:"))
    assert location == "LOCATION:Huiskamer\\, achteringang\\; bel\\\\klop\\nZoë's kamer " + "ë" * 60
    assert "\r\nDTSTAMP:20300301T120000Z\r\n" in body and "\r\nUID:appointment-7@inbeeld\r\n" in body
    assert "\r\nDTSTART:20300304T090000Z\r\nDTEND:20300304T100000Z\r\n" in body


def test_the_summary_is_dutch_whatever_the_language(member, person, client, token):
    make_appointment(person, member.organisation, member.user, timezone.now() + DAY)
    client.cookies["django_language"] = "en"
    lines = _unfold(_feed(client, token).content.decode())
    assert "SUMMARY:Afspraak" in lines and not any(
        "Appointment" in line for line in lines if line.startswith("SUMMARY")
    )
