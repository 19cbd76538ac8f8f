"""The audit trail: one event per read or write, append-only at the database, hash-chained."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from inbeeld.core import access, audit
from inbeeld.core.access import Need
from inbeeld.core.audit import Actor, trigger_drop_sql, trigger_install_sql, verify_chain
from inbeeld.core.models import AuditEvent
from inbeeld.people import actions
from inbeeld.people.actions import ConsentInput, PersonDetails
from inbeeld.people.models import Consent, DataCategory, Involvement, Status
from inbeeld.testing.factories import MembershipFactory


def actor_for(membership) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(user=membership.user, membership=membership, request_path="/test")


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def assert_one_event(since: int, membership, *, action: str, data: str, person_id: int | None) -> AuditEvent:  # type: ignore[no-untyped-def]
    events = new_events(since)
    assert len(events) == 1, [(e.action, e.data) for e in events]
    event = events[0]
    assert (event.action, event.data, event.person_id_snapshot) == (action, data, person_id)
    assert event.user_id_snapshot == membership.user_id
    assert event.organisation_id_snapshot == membership.organisation_id
    assert event.role == membership.role
    assert event.basis
    return event


@pytest.mark.django_db
class TestEventPerOperation:
    def test_register(self, member):
        start = last_id()
        person = actions.register_person(PersonDetails(roepnaam="Iris"), actor=actor_for(member))
        event = assert_one_event(start, member, action="create", data="person", person_id=person.pk)
        assert event.basis == AuditEvent.Basis.INVOLVEMENT

    def test_read_file(self, member, person):
        start = last_id()
        access.read_person(actor_for(member), person.pk, Need.READ_FILE, data="person.page")
        event = assert_one_event(start, member, action="read", data="person.page", person_id=person.pk)
        assert event.detail == {"level": "file"}

    def test_coordinator_read_is_on_network_role(self, network, person):
        from inbeeld.testing.factories import MembershipFactory, OrganisationFactory

        coordinator = MembershipFactory(organisation=OrganisationFactory(network=network), role="coordinator")
        start = last_id()
        access.read_person(actor_for(coordinator), person.pk, Need.READ_CORE, data="person.page")
        event = assert_one_event(start, coordinator, action="read", data="person.page", person_id=person.pk)
        assert event.basis == AuditEvent.Basis.NETWORK_ROLE

    def test_refused_read_writes_nothing(self, outsider, person):
        start = last_id()
        with pytest.raises(access.Http404):
            access.read_person(actor_for(outsider), person.pk, Need.READ_CORE, data="person.page")
        assert new_events(start) == []

    def test_update(self, member, person):
        grant = access.person_for(member, person.pk, Need.EDIT)
        start = last_id()
        actions.update_person(
            grant, PersonDetails(roepnaam="Nieuw"), actor=actor_for(member), expected_version=person.version
        )
        event = assert_one_event(start, member, action="update", data="person", person_id=person.pk)
        assert event.detail == {"fields": ["roepnaam"]}

    def test_status_lead_involvement_consent(self, member, person, org_b):
        grant = access.person_for(member, person.pk, Need.EDIT)
        me = actor_for(member)
        cases = [
            (
                lambda: actions.change_status(
                    grant, actor=me, status=Status.EXITING, effective_on=datetime.date.today()
                ),
                "update",
                "person.status",
            ),
            (
                lambda: actions.assign_lead(
                    grant, actor=me, lead_organisation=member.organisation, key_worker=member.user
                ),
                "update",
                "person.lead",
            ),
        ]
        for run, action, data in cases:
            start = last_id()
            run()
            assert_one_event(start, member, action=action, data=data, person_id=person.pk)
        coordinator = MembershipFactory(organisation=org_b, role="coordinator")
        coordinating = access.person_for(coordinator, person.pk, Need.MANAGE_INVOLVEMENT)
        start = last_id()
        actions.add_involvement(
            coordinating, actor=actor_for(coordinator), organisation=org_b, started_on=datetime.date.today()
        )
        assert_one_event(start, coordinator, action="create", data="involvement", person_id=person.pk)
        involvement = Involvement.objects.get(person=person, organisation=org_b)
        start = last_id()
        actions.end_involvement(
            coordinating, involvement, actor=actor_for(coordinator), ended_on=datetime.date.today()
        )
        assert_one_event(start, coordinator, action="update", data="involvement", person_id=person.pk)
        start = last_id()
        consent = actions.record_consent(
            grant,
            ConsentInput(
                org_b,
                Consent.Purpose.CARE_COORDINATION,
                [DataCategory.CARE_PLAN],
                Consent.HowGiven.VERBAL,
                datetime.date.today(),
            ),
            actor=me,
        )
        assert_one_event(start, member, action="create", data="consent", person_id=person.pk)
        start = last_id()
        actions.withdraw_consent(grant, consent, actor=me)
        assert_one_event(start, member, action="update", data="consent", person_id=person.pk)

    def test_failed_write_writes_no_event(self, member, person):
        grant = access.person_for(member, person.pk, Need.EDIT)
        start = last_id()
        with pytest.raises(ValidationError):
            actions.change_status(
                grant, actor=actor_for(member), status="nonsense", effective_on=datetime.date.today()
            )
        assert new_events(start) == []

    def test_list_read_names_every_person_shown(self, member, person):
        start = last_id()
        access.record_list_read(actor_for(member), [person.pk], data="person.list", searched=True)
        event = assert_one_event(start, member, action="search", data="person.list", person_id=None)
        assert event.detail == {"persons": [person.pk]}

    def test_reading_the_access_log_is_audited(self, member, person):
        from inbeeld.people.presenters import access_log

        person.key_worker = member.user
        person.save()
        grant = access.person_for(member, person.pk, Need.READ_ACCESS_LOG)
        start = last_id()
        list(access_log(grant, actor_for(member)))
        assert_one_event(start, member, action="read", data="audit_log", person_id=person.pk)


@pytest.mark.django_db(transaction=True)
def test_record_outside_transaction_is_refused(member):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(actor_for(member), action="read", data="x", basis="involvement")
    assert not AuditEvent.objects.exists()


def _one_event(member) -> AuditEvent:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return audit.record(actor_for(member), action="read", data="person", basis="involvement", person_id=1)


@pytest.mark.django_db
class TestAppendOnly:
    def test_update_is_rejected_by_the_database(self, member):
        event = _one_event(member)
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(data="altered")
        assert AuditEvent.objects.get(pk=event.pk).data == "person"

    def test_delete_is_rejected_by_the_database(self, member):
        event = _one_event(member)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_raw_update_is_rejected_too(self, member):
        event = _one_event(member)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET user_label = 'x' WHERE id = %s", [event.pk])


def _tamper(sql: str, params: list) -> None:
    """What an attacker with owner rights could do: lift the guard, change a row, put it back."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in trigger_drop_sql(connection.vendor):
            cursor.execute(statement)
        cursor.execute(sql, params)
        for statement in trigger_install_sql(connection.vendor):
            cursor.execute(statement)


@pytest.mark.django_db
class TestChain:
    def test_intact_chain_verifies(self, member):
        for _ in range(5):
            _one_event(member)
        checked, broken = verify_chain(batch_size=2)
        assert (checked, broken) == (5, None)
        out = StringIO()
        call_command("verify_audit", stdout=out)
        assert "5 events verified" in out.getvalue()

    def test_altered_row_is_found(self, member):
        events = [_one_event(member) for _ in range(4)]
        _tamper("UPDATE core_auditevent SET user_label = 'someone else' WHERE id = %s", [events[2].pk])
        checked, broken = verify_chain()
        assert broken is not None
        assert (checked, broken.event_id) == (2, events[2].pk)
        assert "altered" in broken.reason

    def test_deleted_row_is_found(self, member):
        events = [_one_event(member) for _ in range(4)]
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
        checked, broken = verify_chain()
        assert broken is not None
        assert (checked, broken.event_id) == (1, events[2].pk)
        assert "missing" in broken.reason

    def test_command_exits_1_when_broken(self, member):
        events = [_one_event(member) for _ in range(3)]
        _tamper("UPDATE core_auditevent SET action = 'update' WHERE id = %s", [events[0].pk])
        err = StringIO()
        with pytest.raises(SystemExit) as exit_info:
            call_command("verify_audit", stderr=err)
        assert exit_info.value.code == 1
        assert f"broken at event {events[0].pk}" in err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(member):
    import threading

    from django.db import connections

    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(10):
                with transaction.atomic():
                    audit.record(actor_for(member), action="read", data="person", basis="involvement")
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    checked, broken = verify_chain()
    assert (checked, broken) == (40, None)


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a client-set first hop is not believed
        (2, "198.51.100.1, 203.0.113.9", "198.51.100.1"),
        (1, "not-an-address", None),
    ],
)
def test_client_ip_behind_trusted_proxies(rf, settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert audit.client_ip(request) == expected
