"""The daily radar task: what it does when executed, and a worker executing it from the database queue."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from inbeeld.radar.models import DigestSent, Signal
from inbeeld.radar.tasks import daily_radar
from inbeeld.radar.tests.test_run_command import D0, day, unseen


@pytest.mark.django_db
def test_the_task_opens_signals_and_sends_the_digest(org_a, member):
    person = unseen(org_a, member.user, registered=day(-7))
    summary = daily_radar.call(as_of=D0.isoformat(), digest=True)
    (network,) = summary["networks"]
    assert (summary["as_of"], network["opened"], summary["digests_sent"]) == (D0.isoformat(), 1, 1)
    assert Signal.objects.open().filter(person=person).count() == 1
    (message,) = mail.outbox
    assert message.to == [member.user.email] and person.roepnaam in message.body


@pytest.mark.django_db
def test_the_task_run_twice_opens_and_mails_nothing_twice(org_a, member):
    unseen(org_a, member.user, registered=day(-7))
    daily_radar.call(as_of=D0.isoformat(), digest=True)
    again = daily_radar.call(as_of=D0.isoformat(), digest=True)
    assert (again["networks"][0]["opened"], again["digests_sent"]) == (0, 0)
    assert Signal.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_task_mails_only_for_today_unless_told(org_a, member):
    unseen(org_a, member.user, registered=day(-7))
    assert daily_radar.call(as_of=D0.isoformat())["digests_sent"] is None
    assert mail.outbox == []
    today = timezone.localdate()
    unseen(org_a, member.user, registered=today - datetime.timedelta(days=8), roepnaam="Sam")
    summary = daily_radar.call()
    assert (summary["as_of"], summary["digests_sent"]) == (today.isoformat(), 1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_executes_the_enqueued_runs(org_a, member):
    """What ``make run`` and the daily timer do: enqueue, and the worker runs it (today's with the digest)."""
    noor = unseen(org_a, member.user, registered=day(-7))
    sam = unseen(
        org_a, member.user, registered=timezone.localdate() - datetime.timedelta(days=8), roepnaam="Sam"
    )
    call_command("radar_run", "--enqueue", "--as-of", D0.isoformat(), stdout=StringIO())
    call_command("radar_run", "--enqueue", stdout=StringIO())
    assert not Signal.objects.exists()
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    past, today = (r.return_value for r in results)
    assert (past["as_of"], past["networks"][0]["opened"], past["digests_sent"]) == (D0.isoformat(), 1, None)
    assert (today["as_of"], today["networks"][0]["opened"]) == (timezone.localdate().isoformat(), 1)
    assert today["digests_sent"] == 1
    assert Signal.objects.open().filter(person=noor).count() == 1
    assert Signal.objects.open().filter(person=sam).count() == 1
    (message,) = mail.outbox
    assert "Noor" in message.body and "Sam" in message.body
    assert DigestSent.objects.get().user == member.user
