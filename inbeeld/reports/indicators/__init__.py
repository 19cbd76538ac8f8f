"""The indicators the reports compute (issue 7, part 2): raw figures only, for ``reports.disclosure``.

``ALL`` is every indicator in the council report's order. Each module owns one area: persons
(in view, intakes, exits), care (plans, goals, self-sufficiency), activity (huiskamer, referrals,
admissions, radar signals), shelter (occupancy, stays, residents' networks) and street counts.
"""

from __future__ import annotations

from inbeeld.reports.cube import Indicator
from inbeeld.reports.indicators import activity, care, persons, shelter, street

_ORDER = [
    "in_view",
    "street_counts",
    "intakes",
    "exits_and_returns",
    "plans",
    "goals_achieved",
    "zrm_change",
    "huiskamer_visits",
    "huiskamer_questions",
    "shelter_occupancy",
    "shelter_stays",
    "resident_network",
    "referrals_by_service",
    "referrals_by_outcome",
    "clinic_admissions",
    "signals",
    "signals_in_time",
]
# Indicators of group statistics (means and shares per year) rather than counts.
GROUP_CODES = frozenset({"zrm_change", "shelter_stays", "resident_network"})


def _collect() -> list[Indicator]:
    by_code = {i.code: i for module in (persons, care, activity, shelter, street) for i in module.INDICATORS}
    missing = set(_ORDER) - set(by_code)
    if missing:
        raise RuntimeError(f"Indicators without a definition: {sorted(missing)}")
    return [by_code[code] for code in _ORDER]


ALL: list[Indicator] = _collect()
