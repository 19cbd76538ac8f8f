"""Disclosure control: the one gate every figure passes before an analyst sees it.

The rule in plain words. A count from 1 up to one below the network's threshold (5 unless its report
settings say otherwise) is never shown; zero is shown. Hiding a small count is not enough when it can
be worked out from what is shown (a total minus the other categories, a quarter minus its months, the
network minus the other organisations), so more cells are hidden: enough that every hidden small count
could, as far as anyone can calculate from all that is shown, just as well be the threshold or more,
and no hidden cells that a shown total adds up to a small number together. Cells hidden to protect
another are the smallest that will do; a total (the network, all categories, the year) only when
nothing else will. Each calendar year is protected as a whole (all months, quarters, organisations and
categories) and on its own, so however figures are asked for and combined, they tell no more than the
whole protected year. When persons may be counted by several organisations, an organisation's figure
a small count short of the network's is hidden too, as the difference would single out those few.

A mean or a percentage is shown only over a group of at least the minimum group size (10), and a
percentage only if neither the persons it counts nor the others are a small count. An organisation's
mean and percentages are hidden when the network's group has fewer than that many persons more.

How the extra cells are chosen: each small count gets a *witness*, a box of hidden cells that can move
together (some up, some down) without changing any shown figure and without any count going below zero,
far enough for the small count to reach the threshold. Along each axis (organisations, categories,
time) the box holds the cell and either a sibling (another organisation, month of the quarter, quarter
of the year: one goes up, the other down) or the margins above it (all go up). The cheapest working box
is taken; boxes already hidden cost nothing. The tests set an independent linear-programming attacker
on every hidden cell.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext_lazy as _

from inbeeld.reports.cube import (
    GRANULARITIES,
    NETWORK,
    TOTAL,
    Category,
    CountCube,
    Group,
    GroupCube,
    OrgKey,
    Period,
    Policy,
    ProtectedCounts,
    ProtectedGroups,
    Scope,
    ShownGroup,
    periods,
)

if TYPE_CHECKING:
    from inbeeld.core.models import Network

# Hiding a margin (the network, the total, the year) costs this many times more than an inner cell:
# those are the figures analysts need most.
_MARGIN_WEIGHT = 4
# A headline category (``CountCube.headline``, e.g. the street zone among the statuses) costs this many
# times more again: another cell, even the total, is hidden in its place when one will do.
_HEADLINE_WEIGHT = 25
# When the best move per axis makes no working box, boxes from this many best per axis are tried.
_SHORTLIST = 3


def policy_for(network: Network) -> Policy:
    """The network's disclosure settings (its ``ReportSettings``, or the defaults)."""
    from inbeeld.reports.models import ReportSettings  # the models import the core app; keep this pure

    found = ReportSettings.for_network(network)
    return Policy(threshold=found.suppression_threshold, min_group=found.min_group)


def _small(value: int, policy: Policy) -> bool:
    return 0 < value < policy.threshold


def protect_value(value: int, policy: Policy) -> int | None:
    """A lone count that no other shown figure adds up with (a street count)."""
    if value < 0:
        raise ValueError(f"a count cannot be negative: {value}")
    return None if _small(value, policy) else value


def protect_share(numerator: int | None, denominator: int | None, policy: Policy) -> float | None:
    """``numerator`` of ``denominator`` as a percentage with one decimal, or None if it may not be shown."""
    if numerator is None or denominator is None or denominator < policy.min_group:
        return None
    if _small(numerator, policy) or _small(denominator - numerator, policy):
        return None
    return round(100 * numerator / denominator, 1)


class _Axis:
    """One axis of a year block; ``parent[p]`` sums ``p`` with its siblings (-1: none). Parents come
    after their children, so aggregating in index order is bottom-up."""

    def __init__(self, parent: list[int]) -> None:
        self.size = len(parent)
        self.children: list[list[int]] = [[] for _ in parent]
        for position, up in enumerate(parent):
            if up >= 0:
                self.children[up].append(position)
        self.inner = [p for p in range(self.size) if self.children[p]]
        self.margin = [parent[p] < 0 and bool(self.children[p]) for p in range(self.size)]
        self.paths: list[list[int]] = []
        for position in range(self.size):
            path = [position]
            while parent[path[-1]] >= 0:
                path.append(parent[path[-1]])
            self.paths.append(path)
        self.leaves = [p for p in range(self.size) if not self.children[p]]
        # Extra cost of hiding a position (a report's headline category), set where the axis is made.
        self.extra = [0] * self.size
        self.under = [[a for a in self.leaves if p in self.paths[a]] for p in range(self.size)]

    def moves(self, position: int, stride: int) -> list[_Move]:
        """Every way to raise ``position`` without changing a shown sum on this axis: a leaf under it
        with every margin above, or a leaf under it against a leaf elsewhere in the same tree."""
        paths, under = self.paths, self.under[position]
        found = []
        for a in under:
            for b in self.leaves:
                if b in under or paths[a][-1] != paths[b][-1]:
                    continue
                top = next(x for x in paths[a] if x in paths[b])
                side_a, side_b = paths[a][: paths[a].index(top)], paths[b][: paths[b].index(top)]
                support = tuple((x * stride, 1) for x in side_a) + tuple((x * stride, -1) for x in side_b)
                pair = (side_a[-1] * stride, side_b[-1] * stride, top * stride)
                found.append(_Move(((a * stride, 1), (b * stride, -1)), support, pair))
        found.sort(key=lambda move: len(move.support))  # on equal cost, the move that hides fewer cells
        found += [_Move(((a * stride, 1),), tuple((x * stride, 1) for x in paths[a]), None) for a in under]
        return found


class _Move(NamedTuple):
    """A shift along one axis, in cell offsets: the base ``leaves`` that change and their direction
    (+1/-1), every position whose sum changes (``support``) and, for a sibling move, the two children
    of the common parent that change and that parent (whose sum of hidden children must not be small)."""

    leaves: tuple[tuple[int, int], ...]
    support: tuple[tuple[int, int], ...]
    pair: tuple[int, int, int] | None


@functools.cache
def _list_axis(size: int, additive: bool, headline: tuple[int, ...] = ()) -> _Axis:
    """Organisations or categories: the margin (last) sums the others when additive and there are two
    or more; a single one *is* its margin. ``headline`` positions cost more to hide."""
    axis = (
        _Axis([size] * size + [-1]) if additive and size >= 2 else _Axis([-1] * (size if not additive else 1))
    )
    for position in headline:
        axis.extra[position] = _HEADLINE_WEIGHT
    return axis


@functools.cache
def _time_axis(flow: bool, months: int) -> tuple[_Axis, dict[tuple[str, int], int]]:
    """Months, then quarters and the year; and where each (granularity, first month) is. A stock's
    quarter and year are its last month; a flow's quarter with one month (or year with one quarter)
    is that same cell."""
    parent = [-1] * months
    where = {("month", m + 1): m for m in range(months)}
    tops = []
    for first in range(0, months, 3):
        inside = list(range(first, min(first + 3, months)))
        top = inside[-1]
        if flow and len(inside) > 1:
            top = len(parent)
            parent.append(-1)
            for m in inside:
                parent[m] = top
        where[("quarter", first + 1)] = top
        tops.append(top)
    year = months - 1
    if flow:
        year = tops[0]
        if len(tops) > 1:
            year = len(parent)
            parent.append(-1)
            for top in tops:
                parent[top] = year
    where[("year", 1)] = year
    return _Axis(parent), where


class _Shape:
    """The flat layout of a year block's cells over (organisation, category, time)."""

    def __init__(self, axes: tuple[_Axis, _Axis, _Axis]) -> None:
        self.axes = axes
        self.strides = (axes[1].size * axes[2].size, axes[2].size, 1)
        self.size = axes[0].size * self.strides[0]
        m = [
            [
                _MARGIN_WEIGHT * int(margin) + extra
                for margin, extra in zip(axis.margin, axis.extra, strict=True)
            ]
            for axis in axes
        ]
        self.weight = [1 + mo + mc + mt for mo in m[0] for mc in m[1] for mt in m[2]]
        inner = [[int(bool(children)) for children in axis.children] for axis in axes]
        self.level = [io + ic + it for io in inner[0] for ic in inner[1] for it in inner[2]]
        self._moves: dict[tuple[int, int], list[_Move]] = {}

    def coordinates(self, cell: int) -> tuple[int, int, int]:
        return cell // self.strides[0], cell // self.strides[1] % self.axes[1].size, cell % self.axes[2].size

    def moves(self, k: int, position: int) -> list[_Move]:
        if (k, position) not in self._moves:
            self._moves[(k, position)] = self.axes[k].moves(position, self.strides[k])
        return self._moves[(k, position)]


_shape = functools.cache(_Shape)


class _Box(NamedTuple):
    corners: dict[int, int]  # cell → sign
    low: dict[int, int]  # sign → the smallest base cell of that sign (how far the box can move)


class _Block:
    """One calendar year of one indicator."""

    def __init__(
        self, orgs: _Axis, cats: _Axis, time: _Axis, where: dict[tuple[str, int], int], policy: Policy
    ):
        self.shape, self.where, self.threshold = _shape((orgs, cats, time)), where, policy.threshold
        self.values = [0] * self.shape.size
        self.hidden = bytearray(self.shape.size)
        self.boxes: dict[int, list[_Box]] = {}

    def aggregate(self) -> None:
        """Fill every margin, one axis after the other (time, categories, organisations)."""
        values, size = self.values, self.shape.size
        for k in (2, 1, 0):
            axis, stride = self.shape.axes[k], self.shape.strides[k]
            span = stride * axis.size
            for p in axis.inner:
                parts = axis.children[p]
                if stride == 1:
                    values[p::span] = list(map(sum, zip(*[values[c::span] for c in parts], strict=True)))
                    continue
                for outer in range(0, size, span):
                    runs = [values[outer + c * stride : outer + (c + 1) * stride] for c in parts]
                    values[outer + p * stride : outer + (p + 1) * stride] = list(
                        map(sum, zip(*runs, strict=True))
                    )

    def nested(self) -> list[tuple[int, int]]:
        """Organisation cells (not small themselves) within a small count of the network's (last)."""
        stride, threshold = self.shape.strides[0], self.threshold
        network = self.values[self.shape.size - stride :]
        found = []
        for cell, value in enumerate(self.values[: self.shape.size - stride]):
            gap = network[cell % stride] - value
            if value >= threshold and 0 < gap < threshold:
                found.append((cell, threshold - gap))
        return found

    def protect(self, nested: list[tuple[int, int]]) -> None:
        """Hide the small cells and give each its witness box; ``nested``: (cell, how far it must be
        able to go down) for organisation figures within a small count of the network's."""
        threshold = self.threshold
        needs = [(cell, 1, threshold - v) for cell, v in enumerate(self.values) if 0 < v < threshold]
        needs += [(cell, -1, down) for cell, down in nested]
        for cell, _direction, _need in needs:
            self.hidden[cell] = 1
        # Cells without sums below them first: their boxes often already cover the sums above them.
        for cell, direction, need in sorted(needs, key=lambda n: (self.shape.level[n[0]], n[2], n[0])):
            if self._covered(cell, direction, need):
                continue
            found = self._search(cell, direction, need)
            if found is None:
                # No box lets this (large) organisation figure go down far enough: it can still move up.
                found = self._search(cell, 1, 1)
            assert found is not None  # a leaf under the cell with every margin above always moves up
            for corner in found.corners:
                self.hidden[corner] = 1
                self.boxes.setdefault(corner, []).append(found)

    def _covered(self, cell: int, direction: int, need: int) -> bool:
        for box in self.boxes.get(cell, ()):
            if box.low.get(-direction * box.corners[cell], need) >= need:
                return True
        return False

    def _search(self, cell: int, direction: int, need: int) -> _Box | None:
        """The cheapest working box around ``cell``, trying the best move of each axis (on the cell's
        own line) first, then the few best (with the cheapest margin move, which always works upwards)
        in order of rank, then all."""
        coordinates, strides = self.shape.coordinates(cell), self.shape.strides
        ranked = [
            self._rank(
                cell - coordinates[k] * strides[k], self.shape.moves(k, coordinates[k]), direction, need
            )
            for k in range(3)
        ]
        short = [
            [*r[:_SHORTLIST], *(m for m in r[_SHORTLIST:] if m.pair is None)][: _SHORTLIST + 1]
            for r in ranked
        ]
        for options in (short, ranked):
            combos = sorted(itertools.product(*(range(len(r)) for r in options)), key=sum)
            for _rank, group in itertools.groupby(combos, key=sum):
                boxes = [
                    self._box(options[0][i], options[1][j], options[2][m], direction, need)
                    for i, j, m in group
                ]
                best = min((box for box in boxes if box), key=lambda box: box[0], default=None)
                if best:
                    return best[1]
        return None

    def _rank(self, base: int, moves: list[_Move], direction: int, need: int) -> list[_Move]:
        """Moves by what they hide on the cell's own line, those that fail there last."""
        if len(moves) == 1:
            return moves
        values, hidden, weight, threshold = self.values, self.hidden, self.shape.weight, self.threshold
        order = []
        for i, (leaves, support, pair) in enumerate(moves):
            # The leaf that goes down: a sibling move's other leaf when raising, else the cell's own.
            falls = leaves[-1][0] if direction > 0 else leaves[0][0]
            if (direction < 0 or pair is not None) and values[base + falls] < need:
                order.append((1, 0, i))
                continue
            if pair is not None:
                a, b, top = pair
                if 0 < values[base + a] + values[base + b] < threshold and not hidden[base + top]:
                    order.append((1, 0, i))
                    continue
            cost = 0
            for x, _sign in support:
                if not hidden[base + x]:
                    cost += (values[base + x] + 1) * weight[base + x]
            order.append((0, cost, i))
        order.sort()
        return [moves[i] for _fails, _cost, i in order]

    def _box(self, mo: _Move, mc: _Move, mt: _Move, direction: int, need: int) -> tuple[int, _Box] | None:
        """The box's cost and record if moving it by ``need`` (``direction`` at the target) keeps every
        base cell non-negative and no hidden pair under a shown parent sums to a small count."""
        values, hidden, threshold = self.values, self.hidden, self.threshold
        low: dict[int, int] = {}
        for o, s1 in mo.leaves:
            for c, s2 in mc.leaves:
                for t, s3 in mt.leaves:
                    sign, value = s1 * s2 * s3, values[o + c + t]
                    if sign == -direction and value < need:
                        return None
                    low[sign] = min(low.get(sign, value), value)
        moves = (mo, mc, mt)
        for k, move in enumerate(moves):
            if move.pair is None:
                continue
            a, b, top = move.pair
            first, second = (moves[j].support for j in range(3) if j != k)
            for x, _s in first:
                for y, _s2 in second:
                    if 0 < values[x + y + a] + values[x + y + b] < threshold and not hidden[x + y + top]:
                        return None
        corners = {
            o + c + t: s1 * s2 * s3 for o, s1 in mo.support for c, s2 in mc.support for t, s3 in mt.support
        }
        weight = self.shape.weight
        cost = sum([(values[cell] + 1) * weight[cell] for cell in corners if not hidden[cell]])
        return cost, _Box(corners, low)


def protect_counts(cube: CountCube, scope: Scope, policy: Policy) -> ProtectedCounts:
    """Every organisation key, category (and total) and period of ``scope``, with what may be shown.
    Raises ValueError for a key the cube may not have (an unknown organisation or category, the
    network of an organisation-additive cube, a negative count)."""
    org_keys: list[OrgKey] = [NETWORK, *scope.organisation_ids]
    orgs = _list_axis(len(scope.organisation_ids) + (not cube.org_additive), cube.org_additive)
    org_at: dict[OrgKey, int] = {org: i for i, org in enumerate(scope.organisation_ids)}
    org_in = dict(org_at) if cube.org_additive else {**org_at, NETWORK: orgs.size - 1}
    org_at[NETWORK] = orgs.size - 1
    cat_in = {category.key: i for i, category in enumerate(cube.categories)}
    headline = tuple(sorted(cat_in[key] for key in cube.headline))
    cats = _list_axis(len(cube.categories), cube.category_additive, headline)
    categories, cat_at = list(cube.categories), dict(cat_in)
    if cube.category_additive:
        categories.append(Category(TOTAL, _("Total")))
        cat_at[TOTAL] = cats.size - 1
    months = list(scope.months())
    blocks = {
        year: _Block(orgs, cats, *_time_axis(cube.flow, sum(m.year == year for m in months)), policy)
        for year in scope.years()
    }
    # Counts outside the scope's months are not shown; keys outside it are a mistake, not a zero.
    month_in = {m: (blocks[m.year].values, *blocks[m.year].shape.strides[:2], m.month - 1) for m in months}
    for (org, key, month), amount in cube.counts.items():
        o, c, place = org_in.get(org), cat_in.get(key), month_in.get(month)
        if o is None or c is None or amount < 0:
            raise ValueError(f"{cube.indicator}: cannot protect {amount} at {(org, key, month)}")
        if place is not None:
            cells, so, sc, t = place
            cells[o * so + c * sc + t] += amount
    values: list[int] = []
    hidden, spots = bytearray(), {}
    for year, block in blocks.items():
        block.aggregate()
        block.protect(block.nested() if not cube.org_additive else [])
        so, sc, _one = block.shape.strides
        spots.update({(g, m, year): (len(values) + t, so, sc) for (g, m), t in block.where.items()})
        values += block.values
        hidden += block.hidden
    keys = [period for granularity in GRANULARITIES for period in periods(scope, granularity)]
    where = [spots[(period.granularity, period.start.month, period.start.year)] for period in keys]
    cells = [
        p + org_at[o] * so + cat_at[c.key] * sc for o in org_keys for c in categories for p, so, sc in where
    ]
    shown = dict(
        zip(
            itertools.product(org_keys, [c.key for c in categories], keys),
            [None if hidden[cell] else values[cell] for cell in cells],
            strict=True,
        )
    )
    return ProtectedCounts(cube.indicator, cube.flow, categories, org_keys, shown)


def protect_groups(cube: GroupCube, scope: Scope, policy: Policy) -> ProtectedGroups:
    """Each organisation key, category and year of ``scope``: size, mean and shares where allowed."""
    org_keys: list[OrgKey] = [NETWORK, *scope.organisation_ids]
    values: dict[tuple[OrgKey, str, int], ShownGroup] = {}
    for year in scope.years():
        for category in cube.categories:
            whole = cube.groups.get((NETWORK, category.key, year)) or Group()
            for org in org_keys:
                group = cube.groups.get((org, category.key, year)) or Group()
                gap = whole.n - group.n if org != NETWORK else 0
                show_n = not _small(group.n, policy) and not _small(gap, policy)
                show_mean = show_n and group.n >= policy.min_group and not 0 < gap < policy.min_group
                shares: dict[str, float | None] = {}
                for label in cube.share_labels:
                    numerator = group.shares.get(label.key, 0)
                    # The persons outside the organisation are a group too, with their share by difference.
                    outside = whole.shares.get(label.key, 0) - numerator if org != NETWORK else 0
                    few = _small(outside, policy) or _small(gap - outside, policy)
                    shares[label.key] = (
                        protect_share(numerator, group.n, policy) if show_mean and not few else None
                    )
                mean = group.mean if show_mean else None
                values[(org, category.key, year)] = ShownGroup(group.n if show_n else None, mean, shares)
    return ProtectedGroups(
        cube.indicator, list(cube.categories), cube.unit, list(cube.share_labels), org_keys, values
    )


def protect_year_rows(
    cube: CountCube, scope: Scope, policy: Policy, totals: ProtectedCounts
) -> ProtectedCounts:
    """A second breakdown (``Indicator.breakdown_of``) of the events ``totals`` counts: per year, for the
    whole network, all its categories or none. A year is shown only when ``totals`` shows that year's
    network total (so nothing here narrows what ``totals`` hides) and none of its categories is a small
    number (so no category can be worked out as the total minus the others). Months, quarters and single
    organisations are never shown: their sums would let a hidden year be worked out."""
    categories = list(cube.categories)
    if cube.category_additive:
        categories.append(Category(TOTAL, _("Total")))
    org_keys: list[OrgKey] = [NETWORK, *scope.organisation_ids]
    all_periods = [p for granularity in GRANULARITIES for p in periods(scope, granularity)]
    values: dict[tuple[OrgKey, str, Period], int | None] = {
        (org, c.key, p): None for org in org_keys for c in categories for p in all_periods
    }
    by_year: dict[tuple[int, str], int] = {}
    for (org, category, month), count in cube.counts.items():
        if count < 0:
            raise ValueError(f"Negative count in {cube.indicator}")
        if cube.org_additive or org == NETWORK:
            by_year[(month.year, category)] = by_year.get((month.year, category), 0) + count
    for year in scope.years():
        period = Period(datetime.date(year, 1, 1), "year")
        counts = {c.key: by_year.get((year, c.key), 0) for c in cube.categories}
        total = totals.value(NETWORK, TOTAL, period)
        if total is None or total != sum(counts.values()):
            continue
        if any(0 < count < policy.threshold for count in counts.values()):
            continue
        for key, count in counts.items():
            values[(NETWORK, key, period)] = count
        if cube.category_additive:
            values[(NETWORK, TOTAL, period)] = total
    return ProtectedCounts(cube.indicator, cube.flow, categories, org_keys, values)
