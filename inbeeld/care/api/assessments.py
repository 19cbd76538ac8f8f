"""API operations for assessments (issue 3)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["assessments"])
