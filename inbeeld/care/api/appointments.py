"""API operations for appointments (issue 3)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["appointments"])
