"""The instruments shipped with Inbeeld, as data. Only domain and level names: no indicator texts.

The Zelfredzaamheid-Matrix's indicator texts are the GGD's copyright and are not shipped; a network
may add its own domain descriptions in the admin, or whole instruments (such as the English
Self-Sufficiency Matrix) without code.
"""

from __future__ import annotations

from typing import Any

ZRM_2017: dict[str, Any] = {
    "code": "zrm-2017",
    "name": "Zelfredzaamheid-Matrix 2017",
    "levels": [
        {"value": 1, "label": "Acute problematiek", "label_en": "Acute problems"},
        {"value": 2, "label": "Niet zelfredzaam", "label_en": "Not self-sufficient"},
        {"value": 3, "label": "Beperkt zelfredzaam", "label_en": "Barely self-sufficient"},
        {"value": 4, "label": "Voldoende zelfredzaam", "label_en": "Adequately self-sufficient"},
        {"value": 5, "label": "Volledig zelfredzaam", "label_en": "Fully self-sufficient"},
    ],
    "domains": [
        ("financien", "Financiën", "Finances"),
        ("werk-opleiding", "Werk & opleiding", "Work & education"),
        ("tijdsbesteding", "Tijdsbesteding", "Time use"),
        ("huisvesting", "Huisvesting", "Housing"),
        ("huiselijke-relaties", "Huiselijke relaties", "Domestic relations"),
        ("geestelijke-gezondheid", "Geestelijke gezondheid", "Mental health"),
        ("lichamelijke-gezondheid", "Lichamelijke gezondheid", "Physical health"),
        ("middelengebruik", "Middelengebruik", "Substance use"),
        ("basale-adl", "Basale ADL", "Basic activities of daily living"),
        ("instrumentele-adl", "Instrumentele ADL", "Instrumental activities of daily living"),
        ("sociaal-netwerk", "Sociaal netwerk", "Social network"),
        ("maatschappelijke-participatie", "Maatschappelijke participatie", "Community participation"),
        ("justitie", "Justitie", "Justice"),
    ],
}


def install(instrument_model: Any, domain_model: Any, definition: dict[str, Any] = ZRM_2017) -> None:
    """Create or update a global instrument from its definition (idempotent)."""
    instrument, _ = instrument_model.objects.update_or_create(
        network=None,
        code=definition["code"],
        defaults={"name": definition["name"], "levels": definition["levels"]},
    )
    for position, (code, name, name_en) in enumerate(definition["domains"], start=1):
        domain_model.objects.update_or_create(
            instrument=instrument,
            code=code,
            defaults={"name": name, "name_en": name_en, "position": position},
        )
