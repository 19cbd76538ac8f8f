"""manage.py radar_run and radar_digest: idempotent runs, escalation in time, the digest, the queue.

A person on the street zone registered on D0 - 7 and never seen: amber (not seen, street zone) on D0,
red on D0 + 7. The rule escalates an unacknowledged signal after 2 days unless the network says otherwise.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inbeeld.core.models import User
from inbeeld.people.models import Person, Status
from inbeeld.radar.models import Colour, DigestSent, RuleSetting, Signal
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

D0 = datetime.date(2025, 3, 3)


def day(offset: int, start: datetime.date = D0) -> datetime.date:
    return start + datetime.timedelta(days=offset)


def at_noon(d: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(d, datetime.time(12)))


def unseen(org, worker: User, *, registered: datetime.date, roepnaam: str = "Noor") -> Person:  # type: ignore[no-untyped-def]
    return f.PersonFactory(
        network=org.network,
        roepnaam=roepnaam,
        lead_organisation=org,
        key_worker=worker,
        status=Status.STREET_ZONE,
        status_since=registered,
        registered_at=at_noon(registered),
        involved=[org],
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("radar_run", *args, stdout=out)
    return out.getvalue()


def signals_of(person: Person) -> list[tuple[str, int, datetime.date | None]]:
    return list(person.signals.order_by("id").values_list("rule", "severity", "escalated_on"))


def test_running_twice_opens_nothing_twice(org_a, member):
    person = unseen(org_a, member.user, registered=day(-7))
    first = run("--as-of", day(0).isoformat())
    assert "1 signals opened" in first
    before = list(Signal.objects.values_list("id", "state", "severity", "opened_on"))
    second = run("--as-of", day(0).isoformat())
    assert "0 signals opened, 0 updated, 0 cleared, 0 escalated" in second
    assert list(Signal.objects.values_list("id", "state", "severity", "opened_on")) == before
    assert signals_of(person) == [("not_seen_zone", Colour.AMBER, None)]


def test_a_later_run_updates_the_same_signal_instead_of_opening_another(org_a, member):
    person = unseen(org_a, member.user, registered=day(-7))
    run("--as-of", day(0).isoformat())
    signal = Signal.objects.get(person=person)
    output = run("--as-of", day(7).isoformat())
    assert "0 signals opened, 1 updated" in output
    signal.refresh_from_db()
    assert (signal.severity, signal.opened_on, signal.state) == (Colour.RED, day(0), Signal.State.OPEN)
    assert Signal.objects.filter(person=person).count() == 1


def test_an_unacknowledged_signal_escalates_after_the_rules_days(org_a, member):
    person = unseen(org_a, member.user, registered=day(-7))
    run("--as-of", day(0).isoformat())
    assert "0 escalated" in run("--as-of", day(1).isoformat())
    assert signals_of(person) == [("not_seen_zone", Colour.AMBER, None)]
    assert "1 escalated" in run("--as-of", day(2).isoformat())
    assert signals_of(person) == [("not_seen_zone", Colour.AMBER, day(2))]
    # Escalated once: a later run keeps the day it escalated.
    assert "0 escalated" in run("--as-of", day(3).isoformat())
    assert signals_of(person) == [("not_seen_zone", Colour.AMBER, day(2))]


def test_the_networks_setting_decides_when_a_signal_escalates(network, org_a, member):
    RuleSetting.objects.create(
        network=network, rule="not_seen_zone", amber_at=7, red_at=14, escalate_after_days=5
    )
    person = unseen(org_a, member.user, registered=day(-7))
    for offset in range(5):
        run("--as-of", day(offset).isoformat())
    assert signals_of(person) == [("not_seen_zone", Colour.AMBER, None)]
    run("--as-of", day(5).isoformat())
    assert signals_of(person) == [("not_seen_zone", Colour.AMBER, day(5))]


def test_an_acknowledged_signal_does_not_escalate(org_a, member):
    person = unseen(org_a, member.user, registered=day(-7))
    run("--as-of", day(0).isoformat())
    Signal.objects.filter(person=person).update(acknowledged_at=at_noon(day(1)), acknowledged_by=member.user)
    run("--as-of", day(4).isoformat())
    assert signals_of(person) == [("not_seen_zone", Colour.AMBER, None)]


def test_a_bad_date_names_the_option():
    with pytest.raises(CommandError, match="--as-of must be a date as YYYY-MM-DD, not '3 maart'"):
        run("--as-of", "3 maart")
    with pytest.raises(CommandError, match="--day must be a date"):
        call_command("radar_digest", "--day", "2025-02-30", stdout=StringIO())


def test_a_run_for_another_day_mails_nobody(org_a, member):
    unseen(org_a, member.user, registered=day(-7))
    output = run("--as-of", day(0).isoformat())
    assert "No digest e-mails sent" in output
    assert mail.outbox == [] and not DigestSent.objects.exists()


def test_todays_run_sends_the_digest_once(org_a, member):
    today = timezone.localdate()
    unseen(org_a, member.user, registered=day(-8, today))
    output = run()
    assert "1 digest e-mails sent" in output
    assert [m.to for m in mail.outbox] == [[member.user.email]]
    assert "0 digest e-mails sent" in run()
    assert len(mail.outbox) == 1


def test_no_digest_leaves_the_mail_alone(org_a, member):
    today = timezone.localdate()
    unseen(org_a, member.user, registered=day(-8, today))
    output = run("--no-digest")
    assert "(--no-digest)" in output
    assert Signal.objects.count() == 1 and mail.outbox == []


def test_enqueue_puts_the_run_on_the_queue_without_running_it(org_a, member):
    unseen(org_a, member.user, registered=day(-7))
    output = run("--enqueue", "--as-of", day(0).isoformat(), "--no-digest")
    queued = DBTaskResult.objects.get()
    assert str(queued.id) in output
    assert queued.task_path == "inbeeld.radar.tasks.daily_radar"
    assert queued.args_kwargs == {"args": [], "kwargs": {"as_of": day(0).isoformat(), "digest": False}}
    assert queued.status == "READY"
    assert not Signal.objects.exists()


def test_radar_digest_sends_the_days_digest_once(org_a, member):
    unseen(org_a, member.user, registered=day(-7))
    run("--as-of", day(0).isoformat())
    out = StringIO()
    call_command("radar_digest", "--day", day(0).isoformat(), stdout=out)
    assert f"1 digest e-mails sent for {day(0).isoformat()}" in out.getvalue()
    call_command("radar_digest", "--day", day(0).isoformat(), stdout=StringIO())
    assert len(mail.outbox) == 1
