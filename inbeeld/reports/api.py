"""The reports API: protected indicators and the street counts."""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from ninja import Router

router = Router(tags=["reports"])
