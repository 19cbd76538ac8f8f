"""A small partner services directory for the chain's tests: organisation A with an office and one service."""

from __future__ import annotations

import datetime
from typing import Any

from inbeeld.chain.models import Category, Service
from inbeeld.core.models import Location, OpeningHours, Organisation


def office(
    organisation: Organisation, name: str = "Kantoor", address: str = "Teststraat 1, 9711 AB Teststad"
) -> Location:
    location, made = Location.objects.get_or_create(
        organisation=organisation, name=name, defaults={"kind": Location.Kind.OFFICE, "address": address}
    )
    if made:
        for weekday in (0, 1, 2):
            OpeningHours.objects.create(
                location=location, weekday=weekday, opens_at=datetime.time(9), closes_at=datetime.time(17)
            )
        OpeningHours.objects.create(
            location=location, weekday=4, opens_at=datetime.time(13), closes_at=datetime.time(16, 30)
        )
    return location


def service(organisation: Organisation, name: str = "Schuldhulp", **values: Any) -> Service:
    found = Service.objects.filter(organisation=organisation, name=name).first()
    if found is not None:
        return found
    made = Service.objects.create(
        organisation=organisation,
        name=name,
        category=values.pop("category", Category.DEBT_HELP),
        languages=values.pop("languages", ["nl", "en"]),
        phone=values.pop("phone", "050 000 1234"),
        email=values.pop("email", "hulp@example.test"),
        **values,
    )
    made.locations.set([office(organisation)])
    return made
