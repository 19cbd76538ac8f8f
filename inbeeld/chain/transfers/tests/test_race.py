"""Two receiving caseworkers accept the same transfer at once: exactly one acceptance is executed."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from inbeeld.chain.transfers import actions
from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.chain.transfers.tests.helpers import actor_for, events, propose
from inbeeld.core.audit import verify_chain
from inbeeld.people.models import Involvement
from inbeeld.testing import factories as f


@pytest.mark.django_db(transaction=True)
def test_two_racing_accepts_execute_once(member, outsider, org_b, person):
    transfer = propose(member, person, org_b)
    second = f.MembershipFactory(organisation=org_b)
    deciders = [outsider, second]
    seen = [actions.transfer_for(m, transfer.pk) for m in deciders]
    barrier = threading.Barrier(len(deciders))
    accepted: list[int] = []
    refused: list[list[str]] = []
    errors: list[BaseException] = []

    def accept(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            membership = deciders[index]
            actions.accept(seen[index], actor=actor_for(membership), to_key_worker=membership.user)
            accepted.append(index)
        except ValidationError as error:
            refused.append(sorted(error.message_dict))
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(len(deciders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(accepted) == 1 and refused == [["state"]]
    winner = deciders[accepted[0]]
    transfer.refresh_from_db()
    person.refresh_from_db()
    assert (transfer.state, transfer.to_key_worker) == (LeadTransfer.State.ACCEPTED, winner.user)
    assert (person.lead_organisation, person.key_worker) == (org_b, winner.user)
    assert Involvement.objects.filter(person=person, organisation=org_b).count() == 1
    assert len(events(person, "person.lead")) == 1
    assert verify_chain()[1] is None
