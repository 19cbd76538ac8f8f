"""Placeholder: filled in by the transition pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
