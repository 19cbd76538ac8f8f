"""API operations for contacts (issue 3)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["contacts"])
