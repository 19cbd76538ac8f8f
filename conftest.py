"""Suite-wide fixtures: a network with two organisations and the standing users of every role."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations

from inbeeld.core.audit import trigger_drop_sql, trigger_install_sql
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

_original_flush = BaseDatabaseOperations.execute_sql_flush


def _flush_with_audit_guard_lifted(self, sql_list):  # type: ignore[no-untyped-def]
    # Transactional tests empty every table between tests; the append-only guard is lifted for
    # exactly that and put back in the same transaction.
    vendor = self.connection.vendor
    _original_flush(self, [*trigger_drop_sql(vendor), *sql_list, *trigger_install_sql(vendor)])
    # Data that migrations load (the ZRM instrument) is part of every fresh database: put it back.
    from inbeeld.care.instruments import install
    from inbeeld.care.models import Domain, Instrument

    install(Instrument, Domain)


BaseDatabaseOperations.execute_sql_flush = _flush_with_audit_guard_lifted  # type: ignore[method-assign]


@pytest.fixture
def network(db):
    return f.NetworkFactory()


@pytest.fixture
def org_a(network):
    return f.OrganisationFactory(network=network, name="Stichting Test A", kind="care_provider")


@pytest.fixture
def org_b(network):
    return f.OrganisationFactory(network=network, name="Kliniek Test B", kind="clinic")


@pytest.fixture
def member(org_a):
    """A caseworker of organisation A: reads and edits the files of A's persons."""
    return f.MembershipFactory(organisation=org_a, role=Role.CASEWORKER)


@pytest.fixture
def readonly_member(org_a):
    """An outreach worker of organisation A: sees the radar core of A's persons, edits no file."""
    return f.MembershipFactory(organisation=org_a, role=Role.OUTREACH)


@pytest.fixture
def outsider(org_b):
    """A caseworker of organisation B, which is not involved with A's persons."""
    return f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)


@pytest.fixture
def person(org_a, member):
    return f.PersonFactory(network=org_a.network, involved=[org_a], lead_organisation=org_a)


@pytest.fixture
def login(client):
    """Log a membership's user in, acting for that membership."""

    def _login(membership):
        if not membership.user.authenticator_set.exists():
            f.with_totp(membership.user)
        client.force_login(membership.user)
        session = client.session
        session["inbeeld_membership_id"] = membership.pk
        session.save()
        return client

    return _login


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    return [f"database vendor: {connection.vendor}"]
