"""Placeholder: filled in by the mdo pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
