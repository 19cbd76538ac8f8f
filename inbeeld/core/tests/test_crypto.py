"""Encrypted fields: no plaintext in the database, key rotation, the phone blind index."""

from __future__ import annotations

import datetime
import tempfile
import uuid
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from inbeeld.core import crypto
from inbeeld.core.fields import encrypted_fields
from inbeeld.people.models import Consent, Involvement, NetworkTie, Person, StatusChange
from inbeeld.testing import factories as f


def _canary() -> str:
    return f"CANARY{uuid.uuid4().hex}"


def _fill_every_encrypted_field(org, user) -> list[str]:  # type: ignore[no-untyped-def]
    """Write a distinct canary into every encrypted column there is; return the canaries."""
    canaries: list[str] = []

    def c() -> str:
        canaries.append(_canary())
        return canaries[-1]

    person = Person.objects.create(
        network=org.network,
        roepnaam="Canarypersoon",
        legal_name=c(),
        phone="06" + c(),
        address=c(),
        date_of_birth=datetime.date(1987, 6, 5),
    )
    StatusChange.objects.create(
        person=person, to_status="unknown", effective_on=datetime.date.today(), note=c()
    )
    Involvement.objects.create(
        person=person, organisation=org, started_on=datetime.date(2020, 1, 1), reason=c(), end_reason=c()
    )
    Consent.objects.create(
        person=person,
        recipient=org,
        purpose="care_coordination",
        data_categories=["care_plan"],
        how_given="written",
        valid_from=datetime.date(2020, 1, 1),
        note=c(),
        withdrawal_note=c(),
        recorded_by=user,
        recorded_by_organisation=org,
    )
    NetworkTie.objects.create(
        person=person,
        kind="risk_contact",
        quality="risk",
        name=c(),
        frequency="weekly",
        note=c(),
        organisation=org,
        recorded_by=user,
    )
    _fill_care(person, org, user, c)
    _fill_radar(person, org, user, c)
    _fill_huiskamer(person, org, user, c)
    _fill_shelter(person, org, user, c)
    _fill_chain(person, org, user, c)
    totp_secret = f.with_totp(user)
    canaries.append(totp_secret)
    canaries.append("1987-06-05")
    return canaries


def _fill_huiskamer(person, org, user, c) -> None:  # type: ignore[no-untyped-def]
    from inbeeld.core.models import Location
    from inbeeld.huiskamer.models import Visit

    location = Location.objects.create(organisation=org, name="Huiskamer", kind=Location.Kind.HUISKAMER)
    Visit.objects.create(location=location, person=person, organisation=org, recorded_by=user, note=c())


def _fill_shelter(person, org, user, c) -> None:  # type: ignore[no-untyped-def]
    from inbeeld.core.models import Location
    from inbeeld.shelter import models as shelter

    site = Location.objects.create(organisation=org, name="Opvang", kind=Location.Kind.SHELTER)
    bed = shelter.Bed.objects.create(room=shelter.Room.objects.create(location=site, name="1"), label="A")
    rules = shelter.HouseRules.objects.create(location=site, version=1, text="Regels", published_by=user)
    stay = shelter.Stay.objects.create(
        person=person,
        location=site,
        bed=bed,
        organisation=org,
        house_rules=rules,
        house_rules_accepted_at=timezone.now(),
        checked_in_by=user,
        note=c(),
    )
    shelter.WaitlistEntry.objects.create(
        location=site,
        person=person,
        requested_by_organisation=org,
        organisation=org,
        added_by=user,
        note=c(),
        closed_at=timezone.now(),
        outcome="placed",
        stay=stay,
    )
    shelter.HouseLogEntry.objects.create(location=site, person=person, text=c(), author=user)


def _fill_referral(person, org, receiving, user, c) -> None:  # type: ignore[no-untyped-def]
    from inbeeld.chain.models import Service
    from inbeeld.chain.referrals.models import Referral
    from inbeeld.people.models import Consent

    service = Service.objects.create(organisation=receiving, name="Canary-dienst", category="addiction_care")
    consent = Consent.objects.get(person=person)  # the one _fill_every_encrypted_field recorded
    Referral.objects.create(
        person=person,
        from_organisation=org,
        referred_by=user,
        service=service,
        to_organisation=receiving,
        reason=c(),
        consent=consent,
        handover_note=c(),
        decline_reason=c(),
    )


def _fill_chain(person, org, user, c) -> None:  # type: ignore[no-untyped-def]
    from inbeeld.chain.emergency.models import EmergencyAccess
    from inbeeld.chain.episodes.models import Episode
    from inbeeld.chain.transfers.models import LeadTransfer
    from inbeeld.core.models import Organisation

    receiving = Organisation.objects.create(network=org.network, name="Canary-ontvanger")
    LeadTransfer.objects.create(
        person=person,
        from_organisation=org,
        to_organisation=receiving,
        handover_note=c(),
        decline_reason=c(),
        state="declined",
        proposed_by=user,
    )
    _fill_referral(person, org, receiving, user, c)

    Episode.objects.create(
        person=person,
        kind="clinic",
        started_on=datetime.date(2020, 1, 1),
        source="own_record",
        note=c(),
        organisation=org,
        recorded_by=user,
    )
    now = timezone.now()
    EmergencyAccess.objects.create(
        user=user,
        membership=user.memberships.first(),
        person=person,
        reason=c(),
        granted_at=now,
        expires_at=EmergencyAccess.expiry_for(now),
        reviewed_by=user,
        reviewed_at=now,
        justified=False,
        review_note=c(),
    )


def _fill_radar(person, org, user, c) -> None:  # type: ignore[no-untyped-def]
    from inbeeld.radar.models import ExitRoute, KeyDate, Signal

    key_date = KeyDate.objects.create(network=org.network, name="Sluiting", date=datetime.date(2030, 1, 1))
    ExitRoute.objects.create(
        person=person, key_date=key_date, route="other", note=c(), organisation=org, recorded_by=user
    )
    Signal.objects.create(
        network=org.network,
        person=person,
        rule="not_seen",
        anchor="canary",
        severity=1,
        opened_on=datetime.date(2030, 1, 1),
        state="resolved",
        outcome="other",
        outcome_note=c(),
    )


def _fill_care(person, org, user, c) -> None:  # type: ignore[no-untyped-def]
    from inbeeld.care import models as care

    zrm = care.Instrument.objects.get(code="zrm-2017")
    assessment = care.Assessment.objects.create(
        person=person,
        instrument=zrm,
        organisation=org,
        assessed_on=datetime.date(2020, 1, 1),
        assessed_by=user,
        note=c(),
    )
    care.Score.objects.create(assessment=assessment, domain=zrm.domains.all()[0], value=3, note=c())
    plan = care.CarePlan.objects.create(person=person, organisation=org, created_by=user, current_number=1)
    version = care.PlanVersion.objects.create(plan=plan, number=1, saved_by=user, own_words=c())
    goal = care.Goal.objects.create(version=version, position=1, description=c())
    care.PlanAction.objects.create(goal=goal, position=1, who="network_member", who_name=c(), what=c())
    care.Evaluation.objects.create(
        plan=plan,
        version=version,
        evaluated_on=datetime.date(2020, 6, 1),
        went_well=c(),
        changed=c(),
        recorded_by=user,
        organisation=org,
    )
    now = timezone.now()
    contact = care.Contact.objects.create(
        person=person, organisation=org, recorded_by=user, channel="phone", kind="help", note=c()
    )
    appointment = care.Appointment.objects.create(
        person=person,
        organisation=org,
        worker=user,
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
        purpose=c(),
        created_by=user,
    )
    care.Intake.objects.create(
        organisation=org,
        person=person,
        started_by=user,
        draft=c(),
        first_contact=contact,
        first_assessment=appointment,
    )


def test_every_encrypted_column_is_covered_by_the_canary():
    # If a new encrypted column appears, the canary writer above must fill it too.
    covered = {
        "people.Person": {"legal_name", "phone", "address", "date_of_birth"},
        "people.StatusChange": {"note"},
        "people.Involvement": {"reason", "end_reason"},
        "people.Consent": {"note", "withdrawal_note"},
        "people.NetworkTie": {"name", "note"},
        "care.Assessment": {"note"},
        "care.Score": {"note"},
        "care.PlanVersion": {"own_words"},
        "care.Goal": {"description"},
        "care.PlanAction": {"who_name", "what"},
        "care.Evaluation": {"went_well", "changed"},
        "care.Contact": {"note"},
        "care.Appointment": {"purpose"},
        "care.Intake": {"draft"},
        "radar.Signal": {"outcome_note"},
        "radar.ExitRoute": {"note"},
        "huiskamer.Visit": {"note"},
        "shelter.Stay": {"note"},
        "shelter.WaitlistEntry": {"note"},
        "shelter.HouseLogEntry": {"text"},
        "chain_episodes.Episode": {"note"},
        "chain_emergency.EmergencyAccess": {"reason", "review_note"},
        "chain_transfers.LeadTransfer": {"handover_note", "decline_reason"},
        "chain_referrals.Referral": {"reason", "handover_note", "decline_reason"},
    }
    found = {model._meta.label: set(names) for model, names in encrypted_fields()}
    assert found == covered


def _database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "copy.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(copy)])
            return copy.read_bytes()
    # PostgreSQL: a dump of every table's rows.
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:  # type: ignore[attr-defined]
                chunks.extend(bytes(block) for block in copy)
    return b"".join(chunks)


@pytest.mark.django_db(transaction=True)
def test_canary_never_reaches_the_database_in_plaintext(org_a, member):
    canaries = _fill_every_encrypted_field(org_a, member.user)
    raw = _database_bytes()
    assert b"Canarypersoon" in raw  # the dump does hold the rows: roepnaam is not encrypted
    for canary in canaries:
        assert canary.encode() not in raw, f"plaintext {canary[:12]}… found in the database"
    # and the application still reads them back
    person = Person.objects.get(roepnaam="Canarypersoon")
    assert person.legal_name == canaries[0]
    assert person.date_of_birth == datetime.date(1987, 6, 5)


@pytest.mark.django_db
def test_key_rotation_round_trip(org_a, member, settings):
    old_key = settings.FIELD_KEYS[0]
    canaries = _fill_every_encrypted_field(org_a, member.user)
    old_prefix = crypto.keyring().newest_prefix
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_KEYS=[new_key, old_key]):
        out = StringIO()
        call_command("rotate_field_keys", "--no-progress", "--batch-size", "2", stdout=out)
        assert "Re-encrypted 37 values" in out.getvalue()  # 36 field values + 1 TOTP secret
        with connection.cursor() as cursor:
            cursor.execute("SELECT legal_name, phone FROM people_person")
            for value in cursor.fetchone():
                assert value.startswith(crypto.keyring().newest_prefix)
                assert not value.startswith(old_prefix)
        # a second run finds nothing left to do (resumable: it only touches stale values)
        out = StringIO()
        call_command("rotate_field_keys", "--no-progress", stdout=out)
        assert "Re-encrypted 0 values" in out.getvalue()
    # with only the new key, everything still decrypts
    with override_settings(FIELD_KEYS=[new_key]):
        person = Person.objects.get(roepnaam="Canarypersoon")
        assert person.legal_name == canaries[0]
        assert Consent.objects.get().withdrawal_note == canaries[7]
        secret = Authenticator.objects.get(user=member.user).data["secret"]
        assert crypto.decrypt(secret) == canaries[-2]


@pytest.mark.django_db
def test_a_value_under_an_unknown_key_fails_loudly(org_a, member):
    _fill_every_encrypted_field(org_a, member.user)
    with (
        override_settings(FIELD_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(Exception, match="not in"),
    ):
        Person.objects.get(roepnaam="Canarypersoon")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("06-1234 5678", "31612345678"),
        ("+31 6 12345678", "31612345678"),
        ("0031612345678", "31612345678"),
        ("(06) 12345678", "31612345678"),
        ("+40 712 345 678", "40712345678"),
    ],
)
def test_phone_numbers_normalise_to_one_form(raw, normalised):
    assert crypto.normalise_phone(raw) == normalised


def test_blind_index_matches_equal_numbers_and_hides_them(settings):
    assert crypto.phone_index("06-1234 5678") == crypto.phone_index("+31612345678")
    assert crypto.phone_index("06-1234 5678") != crypto.phone_index("06-1234 5679")
    assert "612345678" not in crypto.phone_index("06-1234 5678")
    before = crypto.phone_index("06-1234 5678")
    settings.BLIND_INDEX_KEY = "another key"
    assert crypto.phone_index("06-1234 5678") != before


@pytest.mark.django_db
def test_rebuilding_the_blind_index_after_a_key_change(network, settings):
    person = Person.objects.create(network=network, roepnaam="Telefoon", phone="06-0000 0123")
    Person.objects.filter(pk=person.pk).update(phone_index=crypto.phone_index("06-0000 0123"))
    settings.BLIND_INDEX_KEY = "a new blind index key"
    assert not Person.objects.search("0600000123").exists()  # the old index no longer matches
    out = StringIO()
    call_command("rebuild_blind_index", stdout=out)
    assert "of 1 persons" in out.getvalue()
    assert list(Person.objects.search("+31 6 0000 0123")) == [person]
