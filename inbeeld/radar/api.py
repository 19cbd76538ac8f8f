"""Placeholder: the radar API (list, signals, rules)."""

from ninja import Router

router = Router(tags=["radar"])
