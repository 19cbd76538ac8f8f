"""Placeholder: filled in by the signals pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
