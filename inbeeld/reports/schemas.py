"""API shapes of the protected figures: the same tables the dashboard and the CSV show."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema


class IndicatorOut(Schema):
    code: str
    title: str
    definition: str
    kind: Literal["counts", "groups"]


class ColumnOut(Schema):
    key: str
    label: str


class FigureRowOut(Schema):
    key: str
    label: str
    values: dict[str, float | None]


class FiguresOut(Schema):
    """One indicator for one organisation (or the network): null is a suppressed figure."""

    code: str
    title: str
    definition: str
    organisation: str
    granularity: str
    first_year: int
    last_year: int
    data_date: datetime.date
    threshold: int
    min_group: int
    columns: list[ColumnOut]
    rows: list[FigureRowOut]
