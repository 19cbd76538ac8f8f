"""The partner services directory as Open Referral HSDS 3.0 JSON: it validates against the copied schemas,
holds what it should, keeps its ids across exports, and the validator does refuse a broken document."""

from __future__ import annotations

import copy
import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from inbeeld.chain import hsds
from inbeeld.chain.demo import load_services
from inbeeld.chain.models import Service
from inbeeld.chain.tests.helpers import service
from inbeeld.core.demo import load_network
from inbeeld.core.models import Network
from inbeeld.testing import factories as f


def _services(document: dict) -> list[dict]:
    return [s for organization in document["contents"] for s in organization["services"]]


def test_the_schemas_are_in_the_project_with_their_licence():
    names = {path.name for path in hsds.SCHEMA_DIR.iterdir()}
    assert {"organization.json", "service.json", "location.json", "LICENSE-NOTE.txt", "README.md"} <= names
    assert "shared" not in str(hsds.SCHEMA_DIR)
    assert "Share-Alike" in (hsds.SCHEMA_DIR / "LICENSE-NOTE.txt").read_text()


@pytest.mark.django_db
def test_the_demo_directory_validates_and_holds_what_it_should():
    demo = load_network()
    load_services(demo)
    document = hsds.export_network(demo.network)
    assert hsds.validate(document) == []
    services = _services(document)
    assert len(services) == Service.objects.in_network(demo.network).count() >= 11
    assert document["total_items"] == len(document["contents"]) >= 8
    for item in [document["contents"][0], *services]:
        assert uuid.UUID(item["id"]).version == 5
    sti = next(s for s in services if s["name"] == "Soa-test en vaccinatie")
    assert {lang["code"] for lang in sti["languages"]} >= {"nl", "ro", "bg"}
    assert next(lang["name"] for lang in sti["languages"] if lang["code"] == "ro") == "Romanian"
    assert sti["phones"][0]["number"] == "050 000 5500"
    assert sti["attributes"][0]["taxonomy_term"]["code"] == "sti_clinic"
    location = sti["service_at_locations"][0]["location"]
    assert location["addresses"][0] | {"id": None, "location_id": None} == {
        "id": None,
        "location_id": None,
        "address_1": "Kwartierplein 2",
        "city": "Hunzestad",
        "state_province": "",
        "postal_code": "9702 LM",
        "country": "NL",
        "address_type": "physical",
    }
    days = {(s["byday"], s["opens_at"], s["closes_at"]) for s in location["schedules"]}
    assert days == {("MO,WE", "09:00", "12:00"), ("TH", "13:00", "19:00")}
    # A second load changes nothing, and the ids are the same in the next export.
    assert load_services(demo) == {}
    assert hsds.export_network(demo.network) == document


@pytest.mark.django_db
def test_an_address_without_postcode_and_an_inactive_service(org_a):
    made = service(org_a, status=Service.Status.INACTIVE, url="https://hulp.example.test/")
    location = made.locations.get()
    location.address = "Ankerkade (industrieterrein), Hunzestad"
    location.save()
    document = hsds.export_network(org_a.network)
    assert hsds.validate(document) == []
    exported = _services(document)[0]
    assert exported["status"] == "inactive"
    assert exported["url"] == "https://hulp.example.test/"
    address = exported["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"], address["city"]) == (
        "Ankerkade (industrieterrein)",
        "",
        "Hunzestad",
    )


@pytest.mark.django_db
def test_another_networks_services_are_not_in_the_export(org_a):
    service(org_a)
    other = f.OrganisationFactory(network=f.NetworkFactory(), name="Elders")
    service(other, name="Elders hulp")
    names = [s["name"] for s in _services(hsds.export_network(org_a.network))]
    assert names == ["Schuldhulp"]
    assert hsds.export_network(f.NetworkFactory())["empty"] is True


@pytest.mark.django_db
def test_the_export_takes_a_fixed_number_of_queries(org_a, org_b, django_assert_max_num_queries):
    for index in range(6):
        service(org_a if index % 2 else org_b, name=f"Dienst {index}")
    with django_assert_max_num_queries(5):
        document = hsds.export_network(org_a.network)
    assert len(_services(document)) == 6


@pytest.mark.django_db
def test_the_validator_refuses_a_broken_document(org_a):
    service(org_a)
    good = hsds.export_network(org_a.network)
    broken_id = copy.deepcopy(good)
    broken_id["contents"][0]["services"][0]["id"] = "not-a-uuid"
    no_status = copy.deepcopy(good)
    del no_status["contents"][0]["services"][0]["status"]
    bad_status = copy.deepcopy(good)
    bad_status["contents"][0]["services"][0]["status"] = "open"
    no_city = copy.deepcopy(good)
    del no_city["contents"][0]["services"][0]["service_at_locations"][0]["location"]["addresses"][0]["city"]
    bad_phone = copy.deepcopy(good)
    bad_phone["contents"][0]["services"][0]["phones"][0]["number"] = 501234567
    no_name = copy.deepcopy(good)
    del no_name["contents"][0]["name"]
    for broken, where in (
        (broken_id, "contents/0/services/0/id"),
        (no_status, "contents/0/services/0"),
        (bad_status, "contents/0/services/0/status"),
        (no_city, "contents/0/services/0/service_at_locations/0/location/addresses/0"),
        (bad_phone, "contents/0/services/0/phones/0/number"),
        (no_name, "contents/0"),
    ):
        problems = hsds.validate(broken)
        assert problems and problems[0].startswith(where + ":"), (where, problems)
    assert hsds.validate({"contents": []})


@pytest.mark.django_db
def test_the_web_and_api_exports_are_the_same_document(login, member, org_a):
    service(org_a)
    client = login(member)
    web = client.get(reverse("chain:services_hsds"), {"download": "1"})
    assert web.status_code == 200
    assert "attachment" in web["Content-Disposition"]
    api = client.get("/api/v1/services/hsds")
    assert api.status_code == 200
    assert web.json() == api.json() == hsds.export_network(org_a.network)


@pytest.mark.django_db
def test_the_command_writes_and_validates(tmp_path, org_a):
    service(org_a)
    target = tmp_path / "hsds.json"
    call_command(
        "export_hsds", network=org_a.network.slug, validate=True, output=str(target), stderr=io.StringIO()
    )
    assert hsds.validate(json.loads(target.read_text())) == []
    out = io.StringIO()
    call_command("export_hsds", stdout=out)  # one network: no --network needed
    assert json.loads(out.getvalue())["total_items"] == 1
    f.NetworkFactory()
    with pytest.raises(CommandError):
        call_command("export_hsds", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("export_hsds", network="no-such-network", stdout=io.StringIO())
    assert Network.objects.count() == 2


@pytest.mark.django_db
def test_the_command_fails_on_an_invalid_export(monkeypatch, org_a):
    service(org_a)
    monkeypatch.setattr(hsds, "hsds_id", lambda kind, *keys: f"{kind}-{keys}")
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("export_hsds", validate=True, stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert "is not a 'uuid'" in err.getvalue()
