"""The partner services directory on the web: who reads and edits, filters, input rules, locking."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inbeeld.chain import actions_services as actions
from inbeeld.chain.models import Category, Service
from inbeeld.chain.tests.helpers import office, service
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Budgetcoaching",
    "category": Category.DEBT_HELP,
    "languages": "nl, EN, ro",
    "phone": "050 000 2222",
}


def _form(made: Service, **changes: object) -> dict[str, object]:
    return {"name": made.name, "category": made.category, "version": made.version, **changes}


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (Role.CASEWORKER, True, False),
        (Role.HOST, True, False),
        (Role.SHELTER_COORDINATOR, True, False),
        (Role.COORDINATOR, True, False),
        (Role.ADMIN, True, True),
        (Role.OUTREACH, False, False),
        (Role.VOLUNTEER, False, False),
        (Role.ANALYST, False, False),
        (Role.PRIVACY_OFFICER, False, False),
    ],
)
def test_who_may_edit_services(org_a, org_b, role, own, other):
    membership = f.MembershipFactory(organisation=org_a, role=role)
    assert actions.may_edit_services(membership, org_a) is own
    assert actions.may_edit_services(membership, org_b) is other
    elsewhere = f.OrganisationFactory(network=f.NetworkFactory(), name="Elders")
    assert actions.may_edit_services(membership, elsewhere) is False
    membership.ended_on = membership.started_on
    assert actions.may_edit_services(membership, org_a) is False


def test_every_role_reads_the_directory_but_not_another_networks(login, org_a, org_b):
    mine = service(org_a)
    theirs = service(f.OrganisationFactory(network=f.NetworkFactory(), name="Elders"), name="Elders hulp")
    client = login(f.MembershipFactory(organisation=org_b, role=Role.VOLUNTEER))
    listed = client.get(reverse("chain:services"))
    assert listed.status_code == 200
    assert [s.pk for s in listed.context["services"]] == [mine.pk]
    assert client.get(reverse("chain:service_detail", args=[mine.pk])).status_code == 200
    for name in ("chain:service_detail", "chain:service_edit"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("chain:service_status", args=[theirs.pk]), {"status": "inactive"}).status_code
        == 404
    )
    # Reading is fine; changing is not.
    assert client.get(reverse("chain:service_edit", args=[mine.pk])).status_code == 403
    assert client.get(reverse("chain:service_new")).status_code == 403


def test_the_filters(login, member, org_a, org_b):
    debt = service(org_a, languages=["nl"], description="Hulp bij schulden en budget")
    sti = service(org_b, name="Soa-spreekuur", category=Category.STI_CLINIC, languages=["ro", "bg"])
    gone = service(org_b, name="Oud spreekuur", status=Service.Status.INACTIVE)
    client = login(member)

    def shown(**params: object) -> list[int]:
        response = client.get(reverse("chain:services"), params)
        assert response.status_code == 200
        return [s.pk for s in response.context["services"]]

    assert shown() == [debt.pk, sti.pk]
    assert shown(category=Category.STI_CLINIC) == [sti.pk]
    assert shown(language="RO") == [sti.pk]
    assert shown(organisation=org_a.pk) == [debt.pk]
    assert shown(q="budget") == [debt.pk]
    assert shown(q="Kliniek soa") == [sti.pk]  # words match name, description or organisation
    assert shown(inactive="on") == [gone.pk, debt.pk, sti.pk]
    assert shown(organisation="not-a-number", category=Category.STI_CLINIC) == [sti.pk]
    page = client.get(reverse("chain:services"), {"category": Category.STI_CLINIC}).content.decode()
    assert f'data-service="{sti.pk}"' in page and f'data-service="{debt.pk}"' not in page


def test_a_caseworker_adds_a_service_for_their_own_organisation(login, member, org_a):
    location = office(org_a)
    client = login(member)
    assert client.get(reverse("chain:service_new")).status_code == 200
    response = client.post(reverse("chain:service_new"), {**FORM, "locations": [location.pk]})
    assert response.status_code == 302
    made = Service.objects.get(name="Budgetcoaching")
    assert response["Location"] == reverse("chain:service_detail", args=[made.pk])
    assert (made.organisation, made.languages, made.status, made.version) == (
        org_a,
        ["nl", "en", "ro"],
        "active",
        1,
    )
    assert list(made.locations.all()) == [location]
    detail = client.get(response["Location"]).content.decode()
    assert 'data-language="ro"' in detail and 'id="service-edit"' in detail


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"category": "sauna"}, "category"),
        ({"languages": "nl, xx"}, "languages"),
        ({"languages": "dutch"}, "languages"),
        ({"email": "nobody-at-example"}, "email"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"phone": "call me"}, "phone"),
        ({"organisation": "999999"}, "organisation"),
    ],
)
def test_bad_input_is_refused_naming_the_field(login, member, changes, field):
    response = login(member).post(reverse("chain:service_new"), {**FORM, **changes})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Service.objects.exists()


def test_locations_and_names_are_checked_against_the_organisation(login, member, org_a, org_b):
    service(org_a)
    client = login(member)
    response = client.post(reverse("chain:service_new"), {**FORM, "locations": [office(org_b).pk]})
    assert response.status_code == 422 and "locations" in response.context["form"].errors
    response = client.post(reverse("chain:service_new"), {**FORM, "name": "schuldhulp"})
    assert response.status_code == 422 and "name" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        actions.clean_locations([office(org_b).pk], org_a)
    assert "locations" in refused.value.message_dict


def test_the_admin_adds_for_another_organisation_and_a_caseworker_may_not(login, member, org_a, org_b):
    admin = f.MembershipFactory(organisation=org_a, role=Role.ADMIN, user__is_staff=True)
    response = login(admin).post(reverse("chain:service_new"), {**FORM, "organisation": org_b.pk})
    assert response.status_code == 302
    assert Service.objects.get().organisation == org_b
    response = login(member).post(
        reverse("chain:service_new"), {**FORM, "name": "Ander", "organisation": org_b.pk}
    )
    assert response.status_code == 422 and "organisation" in response.context["form"].errors


def test_editing_saves_and_a_stale_form_is_a_conflict_never_an_overwrite(login, member, org_a):
    made = service(org_a)
    colleague = f.MembershipFactory(organisation=org_a, role=Role.HOST)
    url = reverse("chain:service_edit", args=[made.pk])
    page = login(member).get(url)
    assert page.status_code == 200 and page.context["form"]["version"].value() == 1
    # A colleague saves first.
    response = login(colleague).post(url, _form(made, fees="€ 5 per gesprek", version=1))
    assert response.status_code == 302
    # The first editor's form still says version 1: nothing of theirs is written.
    response = login(member).post(url, _form(made, fees="Gratis", description="Nieuw", version=1))
    assert response.status_code == 409
    made.refresh_from_db()
    assert (made.fees, made.description, made.version) == ("€ 5 per gesprek", "", 2)
    rows = {row["stored"]: row["yours"] for row in response.context["conflict"]}
    assert rows["€ 5 per gesprek"] == "Gratis"
    assert response.context["form"]["version"].value() == "2"
    # Saving the re-shown form is a deliberate overwrite.
    response = login(member).post(url, _form(made, fees="Gratis", version=2))
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.fees, made.version) == ("Gratis", 3)


def test_editing_refuses_bad_input_and_other_roles(login, member, readonly_member, outsider, org_a):
    made = service(org_a)
    url = reverse("chain:service_edit", args=[made.pk])
    response = login(member).post(url, _form(made, languages="nl, zz"))
    assert response.status_code == 422 and "languages" in response.context["form"].errors
    response = login(member).post(url, {"name": made.name, "category": made.category, "fees": "x"})
    assert response.status_code == 422 and "version" in response.context["form"].errors
    assert login(readonly_member).post(url, _form(made, fees="x")).status_code == 403
    assert login(outsider).post(url, _form(made, fees="x")).status_code == 403
    made.refresh_from_db()
    assert (made.fees, made.version) == ("", 1)


def test_deactivating_and_reactivating(login, member, outsider, org_a):
    made = service(org_a)
    url = reverse("chain:service_status", args=[made.pk])
    assert login(outsider).post(url, {"status": "inactive", "version": 1}).status_code == 403
    client = login(member)
    assert client.post(url, {"status": "inactive", "version": 1}).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.version) == ("inactive", 2)
    assert made.pk not in [s.pk for s in client.get(reverse("chain:services")).context["services"]]
    # A stale button changes nothing.
    client.post(url, {"status": "active", "version": 1})
    made.refresh_from_db()
    assert made.status == "inactive"
    client.post(url, {"status": "active", "version": "two"})
    made.refresh_from_db()
    assert made.status == "inactive"
    client.post(url, {"status": "active", "version": 2})
    made.refresh_from_db()
    assert (made.status, made.version) == ("active", 3)
    client.post(url, {"status": "closed", "version": 3})
    made.refresh_from_db()
    assert (made.status, made.version) == ("active", 3)


def test_languages_are_iso_639_1_codes():
    assert actions.clean_languages([" NL", "en", "nl", ""]) == ["nl", "en"]
    for bad in (["xx"], ["nld"], "nl", [3], ["n"]):
        with pytest.raises(ValidationError) as refused:
            actions.clean_languages(bad)
        assert "languages" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.clean_languages(sorted(actions.ISO_639_1)[: actions.LANGUAGES_MAX + 1])
