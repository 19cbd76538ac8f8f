"""Transfer of lead through the web pages and the write functions: lifecycle, refusals, who sees the note."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inbeeld.chain.transfers import actions
from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.chain.transfers.tests.helpers import NOTE, actor_for, events, propose
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Involvement
from inbeeld.testing import factories as f

State = LeadTransfer.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def org_c(network):
    return f.OrganisationFactory(network=network, name="Derde Test C")


@pytest.fixture
def coordinator(network):
    municipality = f.OrganisationFactory(network=network, name="Gemeente Test", kind="municipality")
    return f.MembershipFactory(organisation=municipality, role=Role.COORDINATOR)


def _refused(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return sorted(error.value.message_dict)


def test_full_lifecycle_on_the_web(login, member, outsider, org_a, org_b, person):
    client = login(member)
    page = client.get(reverse("people:detail", args=[person.pk]))
    assert b'id="propose-transfer"' in page.content
    assert client.get(reverse("chain:transfer_propose", args=[person.pk])).status_code == 200
    response = client.post(
        reverse("chain:transfer_propose", args=[person.pk]),
        {"to_organisation": org_b.pk, "handover_note": NOTE},
    )
    assert response.status_code == 302
    transfer = LeadTransfer.objects.get(person=person)
    assert (transfer.state, transfer.from_organisation, transfer.to_organisation) == (
        State.PROPOSED,
        org_a,
        org_b,
    )
    assert transfer.proposed_by == member.user

    client = login(outsider)  # B: not involved, yet reads the proposal and its note
    inbox = client.get(reverse("chain:transfers"))
    assert inbox.status_code == 200
    assert NOTE.encode() in inbox.content and person.roepnaam.encode() in inbox.content
    read = events(person, "lead_transfer.list", organisation_id_snapshot=org_b.pk)
    assert [e.basis for e in read] == [AuditEvent.Basis.TRANSFER]
    assert client.get(reverse("chain:transfer_detail", args=[transfer.pk])).status_code == 200
    response = client.post(
        reverse("chain:transfer_accept", args=[transfer.pk]), {"to_key_worker": outsider.user.pk}
    )
    assert response.status_code == 302

    person.refresh_from_db()
    transfer.refresh_from_db()
    assert (person.lead_organisation, person.key_worker) == (org_b, outsider.user)
    assert (transfer.state, transfer.to_key_worker, transfer.decided_by) == (
        State.ACCEPTED,
        outsider.user,
        outsider.user,
    )
    assert Involvement.objects.current().filter(person=person, organisation=org_b).exists()
    assert (
        Involvement.objects.current().filter(person=person, organisation=org_a).exists()
    )  # A stays involved
    written = events(person, "lead_transfer", action=AuditEvent.Action.CREATE)
    assert [e.organisation_id_snapshot for e in written] == [org_a.pk]
    decided = events(person, "lead_transfer", action=AuditEvent.Action.UPDATE)
    assert [(e.organisation_id_snapshot, e.detail["state"]) for e in decided] == [(org_b.pk, State.ACCEPTED)]
    assert [e.organisation_id_snapshot for e in events(person, "person.lead", action="update")] == [org_b.pk]
    assert [e.organisation_id_snapshot for e in events(person, "involvement", action="create")] == [org_b.pk]
    # Now B leads: B's person page offers a new transfer, A's caseworker no longer may propose.
    assert b'id="propose-transfer"' in client.get(reverse("people:detail", args=[person.pk])).content
    assert login(member).get(reverse("chain:transfer_propose", args=[person.pk])).status_code == 403


def test_decline_needs_a_reason(login, member, outsider, org_b, person):
    transfer = propose(member, person, org_b)
    client = login(outsider)
    url = reverse("chain:transfer_decline", args=[transfer.pk])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 422
    assert b'id="id_reason_error"' in refused.content
    transfer.refresh_from_db()
    assert transfer.state == State.PROPOSED
    assert client.post(url, {"reason": "Geen plek in ons team (testreden)."}).status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decline_reason) == (State.DECLINED, "Geen plek in ons team (testreden).")
    person.refresh_from_db()
    assert person.lead_organisation_id == member.organisation_id
    proposer_view = login(member).get(reverse("chain:transfer_detail", args=[transfer.pk]))
    assert b'id="decline-reason"' in proposer_view.content


def test_withdraw_then_nothing_can_be_decided(login, member, outsider, org_a, org_b, person):
    transfer = propose(member, person, org_b)
    assert login(member).post(reverse("chain:transfer_withdraw", args=[transfer.pk])).status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == State.WITHDRAWN
    client = login(outsider)
    late = client.post(
        reverse("chain:transfer_accept", args=[transfer.pk]), {"to_key_worker": outsider.user.pk}
    )
    assert late.status_code == 422
    assert b'id="state_error"' in late.content
    person.refresh_from_db()
    assert person.lead_organisation == org_a
    assert not Involvement.objects.filter(person=person, organisation=org_b).exists()
    # Withdrawn: a new proposal may follow.
    assert propose(member, person, org_b).is_open


def test_refusals_name_the_field(member, outsider, org_a, org_b, person, network):
    other_network_org = f.OrganisationFactory()
    for to in (org_a, other_network_org, None):
        with pytest.raises(ValidationError) as error:
            propose(member, person, to)  # type: ignore[arg-type]
        assert _refused(error) == ["to_organisation"]
    with pytest.raises(ValidationError) as error:
        propose(member, person, org_b, note="")
    assert _refused(error) == ["handover_note"]

    transfer = propose(member, person, org_b)
    with pytest.raises(ValidationError) as error:
        propose(member, person, org_b)
    assert _refused(error) == ["to_organisation"]  # one open transfer per person

    seen = actions.transfer_for(outsider, transfer.pk)
    b_outreach = f.MembershipFactory(organisation=org_b, role=Role.OUTREACH)
    for key_worker in (member.user, b_outreach.user, None):
        with pytest.raises(ValidationError) as error:
            actions.accept(seen, actor=actor_for(outsider), to_key_worker=key_worker)
        assert _refused(error) == ["to_key_worker"]
    with pytest.raises(ValidationError) as error:
        actions.decline(seen, actor=actor_for(outsider), reason="")
    assert _refused(error) == ["reason"]

    actions.accept(seen, actor=actor_for(outsider), to_key_worker=outsider.user)
    closed = actions.transfer_for(outsider, transfer.pk)
    for write in (
        lambda: actions.accept(closed, actor=actor_for(outsider), to_key_worker=outsider.user),
        lambda: actions.decline(closed, actor=actor_for(outsider), reason="te laat"),
    ):
        with pytest.raises(ValidationError) as error:
            write()
        assert _refused(error) == ["state"]
    with pytest.raises(ValidationError) as error:
        actions.withdraw(actions.transfer_for(member, transfer.pk), actor=actor_for(member))
    assert _refused(error) == ["state"]
    assert LeadTransfer.objects.get(pk=transfer.pk).state == State.ACCEPTED


def test_web_refusals_rerender_with_422_and_store_nothing(login, member, org_a, person):
    client = login(member)
    url = reverse("chain:transfer_propose", args=[person.pk])
    for data, field in (
        ({"to_organisation": org_a.pk, "handover_note": NOTE}, "to_organisation"),  # the current lead
        ({"to_organisation": f.OrganisationFactory().pk, "handover_note": NOTE}, "to_organisation"),
        (
            {"to_organisation": f.OrganisationFactory(network=org_a.network).pk, "handover_note": ""},
            "handover_note",
        ),
    ):
        response = client.post(url, data)
        assert response.status_code == 422
        assert f'id="id_{field}_error"'.encode() in response.content
    assert not LeadTransfer.objects.exists()


def test_who_may_act(login, member, outsider, readonly_member, coordinator, org_b, org_c, person):
    transfer = propose(member, person, org_b)
    accept = reverse("chain:transfer_accept", args=[transfer.pk])
    assert login(member).post(accept, {"to_key_worker": member.user.pk}).status_code == 403  # the sender
    assert login(coordinator).post(accept, {"to_key_worker": outsider.user.pk}).status_code == 403
    assert login(outsider).post(reverse("chain:transfer_withdraw", args=[transfer.pk])).status_code == 403
    for nobody in (
        readonly_member,
        f.MembershipFactory(organisation=org_c),
        f.MembershipFactory(organisation=member.organisation, role=Role.PRIVACY_OFFICER),
    ):
        client = login(nobody)
        assert client.get(reverse("chain:transfer_detail", args=[transfer.pk])).status_code == 404
        assert client.post(accept, {"to_key_worker": outsider.user.pk}).status_code == 404
    assert login(readonly_member).get(reverse("chain:transfers")).status_code == 404
    # An involved organisation that does not lead may not propose; the coordinator acts for the network.
    involved_c = f.MembershipFactory(organisation=org_c)
    Involvement.objects.create(person=person, organisation=org_c, started_on="2020-01-01")
    with pytest.raises(PermissionDenied):
        actions.proposer_for(involved_c, person.pk)
    actions.withdraw(actions.transfer_for(coordinator, transfer.pk), actor=actor_for(coordinator))
    by_coordinator = propose(coordinator, person, org_c)
    assert by_coordinator.from_organisation_id == member.organisation_id


def test_the_note_is_for_the_two_organisations_only(
    login, member, outsider, coordinator, org_b, org_c, person
):
    transfer = propose(member, person, org_b)
    for sender_or_receiver, page in (
        (member, reverse("people:detail", args=[person.pk])),
        (member, reverse("chain:transfers")),
        (outsider, reverse("chain:transfers")),
        (outsider, reverse("chain:transfer_detail", args=[transfer.pk])),
    ):
        assert NOTE.encode() in login(sender_or_receiver).get(page).content, page
    assert events(person, "lead_transfer.section", organisation_id_snapshot=member.organisation_id)

    client = login(coordinator)
    for page in (
        reverse("people:detail", args=[person.pk]),
        reverse("radar:dashboard"),
        reverse("chain:transfers"),
        reverse("chain:transfer_detail", args=[transfer.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert NOTE.encode() not in response.content, page
    assert b'id="open-transfer"' in client.get(reverse("people:detail", args=[person.pk])).content

    third = login(f.MembershipFactory(organisation=org_c))
    listed = third.get(reverse("chain:transfers"))
    assert listed.status_code == 200
    assert NOTE.encode() not in listed.content and person.roepnaam.encode() not in listed.content
    assert third.get(reverse("chain:transfer_detail", args=[transfer.pk])).status_code == 404
