"""The hostile values every write form and endpoint is tried with (see the test_bad_input_* modules)."""

from __future__ import annotations

from typing import Any

LONG = "x" * 10_000
HTML = "<script>alert(1)</script>"
MISSING = object()  # drop the field from the submission


def with_change(valid: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """A valid submission with one field replaced by ``value`` (or left out for ``MISSING``)."""
    data = dict(valid)
    if value is MISSING:
        data.pop(field, None)
    else:
        data[field] = value
    return data
