"""Two receiving caseworkers answer the same referral at once (accept, decline): exactly one step runs."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from inbeeld.chain.referrals import actions
from inbeeld.chain.referrals.models import Referral
from inbeeld.chain.referrals.tests.helpers import actor_for, consent_for, refer, service_of
from inbeeld.core.audit import verify_chain
from inbeeld.testing import factories as f

State = Referral.State


@pytest.mark.django_db(transaction=True)
def test_racing_accept_and_decline_execute_once(member, outsider, org_b, person):
    referral = refer(member, person, service_of(org_b), consent_for(person, org_b))
    deciders = [(outsider, State.ACCEPTED), (f.MembershipFactory(organisation=org_b), State.DECLINED)]
    seen = [actions.referral_for(m, referral.pk) for m, _ in deciders]
    barrier = threading.Barrier(len(deciders))
    done: list[str] = []
    refused: list[list[str]] = []
    errors: list[BaseException] = []

    def step(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            membership, to = deciders[index]
            actions.transition(seen[index], actor=actor_for(membership), to=to, reason="Vol (verzonnen)")
            done.append(to)
        except ValidationError as error:
            refused.append(sorted(error.message_dict))
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step, args=(i,)) for i in range(len(deciders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(done) == 1 and refused == [["state"]]
    referral.refresh_from_db()
    assert referral.state == done[0]
    assert list(referral.events.values_list("state", flat=True)) == [State.DRAFT, State.SENT, done[0]]
    assert verify_chain()[1] is None
