"""Web pages for appointments (issue 3)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
