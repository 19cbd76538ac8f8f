"""An attacker who knows everything a protected cube shows and how its figures add up.

Written apart from ``reports.disclosure`` on purpose: it rebuilds every figure from the raw base counts
(organisation, category, month) by the data contract in ``reports.cube`` alone, then, for each hidden
figure, asks a linear program for the least and the most it can be given every shown figure (as an
equation on the unknown base counts, which are only known to be non-negative). It shares no code with
the protection it tests, so a mistake in one is not repeated in the other.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]

from inbeeld.reports.cube import NETWORK, TOTAL, CountCube, OrgKey, Period, ProtectedCounts, Scope

Base = tuple[OrgKey, str, datetime.date]
Shown = tuple[OrgKey, str, Period]


@dataclass(frozen=True)
class Range:
    low: float
    high: float


def base_cells(cube: CountCube, scope: Scope, year: int) -> list[Base]:
    """The unknowns of one year: per organisation (and the network, when it is not their sum), per
    category, per month of the scope."""
    orgs: list[OrgKey] = list(scope.organisation_ids)
    if not cube.org_additive:
        orgs.insert(0, NETWORK)
    months = [month for month in scope.months() if month.year == year]
    return [(org, category.key, month) for org in orgs for category in cube.categories for month in months]


def members(cube: CountCube, scope: Scope, key: Shown) -> set[Base]:
    """The base counts whose sum a shown figure is."""
    org, category, period = key
    orgs: list[OrgKey] = list(scope.organisation_ids) if cube.org_additive and org == NETWORK else [org]
    categories = [c.key for c in cube.categories] if category == TOTAL else [category]
    in_scope = [month for month in period.months() if scope.start <= month <= scope.end]
    months = in_scope if cube.flow else in_scope[-1:]
    return {(o, c, m) for o in orgs for c in categories for m in months}


def true_value(cube: CountCube, scope: Scope, key: Shown) -> int:
    return sum(cube.counts.get(cell, 0) for cell in members(cube, scope, key))


def attack(cube: CountCube, scope: Scope, protected: ProtectedCounts) -> dict[Shown, Range]:
    """The least and most every hidden figure can be, given all shown figures of its year."""
    found: dict[Shown, Range] = {}
    for year in scope.years():
        cells = base_cells(cube, scope, year)
        index = {cell: i for i, cell in enumerate(cells)}
        rows, sums, hidden = [], [], {}
        for key, value in protected.values.items():
            if key[2].start.year != year:
                continue
            row = np.zeros(len(cells))
            for cell in members(cube, scope, key):
                row[index[cell]] = 1.0
            if value is None:
                hidden[key] = row
            else:
                rows.append(row)
                sums.append(value)
        solved: dict[bytes, Range] = {}
        for key, row in hidden.items():
            if row.tobytes() not in solved:
                solved[row.tobytes()] = Range(_solve(row, rows, sums), -_solve(-row, rows, sums))
            found[key] = solved[row.tobytes()]
    return found


def _solve(objective: np.ndarray, rows: list[np.ndarray], sums: list[int]) -> float:
    result = linprog(
        objective,
        A_eq=np.array(rows) if rows else None,
        b_eq=np.array(sums, dtype=float) if rows else None,
        bounds=(0, None),
        method="highs",
    )
    if result.status == 3:  # unbounded: nothing shown limits it
        return -np.inf
    assert result.status == 0, result.message
    return float(result.fun)
