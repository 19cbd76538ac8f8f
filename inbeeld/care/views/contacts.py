"""Web pages for contacts (issue 3)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
