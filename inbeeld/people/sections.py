"""Sections other apps add to the person page (care plans, contacts, …) without people knowing them.

An app registers a section at start-up (its AppConfig.ready); the person page renders every section
whose ``render`` returns HTML for this viewer. ``render`` receives the ``PersonAccess`` the page was
opened with, so each section asks the access policy what this viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString

from inbeeld.core.access import PersonAccess


@dataclass(frozen=True)
class Section:
    key: str
    order: int  # lower comes first
    render: Callable[[HttpRequest, PersonAccess], SafeString | str | None]


_registry: dict[str, Section] = {}


def register(section: Section) -> None:
    _registry[section.key] = section


def render_for(request: HttpRequest, person_access: PersonAccess) -> list[SafeString]:
    out: list[SafeString] = []
    for section in sorted(_registry.values(), key=lambda s: (s.order, s.key)):
        html = section.render(request, person_access)
        if html:
            out.append(SafeString(html))
    return out


def registered() -> list[str]:
    return sorted(_registry)
