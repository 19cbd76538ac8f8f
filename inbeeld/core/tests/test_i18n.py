"""Dutch is the default language and its catalogue is complete; English is one click away.

The catalogue checks read the committed ``django.po`` and ``django.mo`` directly: no entry may be
untranslated or fuzzy, every placeholder must survive translation, and the compiled ``.mo`` must say
exactly what the ``.po`` says (so a forgotten ``compilemessages`` fails here, not in front of a user).
When gettext is installed, the source is also re-scanned to catch strings nobody extracted yet.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
PO = BASE_DIR / "inbeeld" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ("inbeeld", "e2e", "bench")
NOT_SOURCE = ("__pycache__", "locale", "static", "*.pyc")
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    plural: str | None = None
    context: str | None = None
    strs: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def label(self) -> str:
        return repr(self.msgid[:70])


def read_po(path: Path) -> list[Entry]:
    """A small reader for the subset of the PO format that makemessages writes."""
    entries: list[Entry] = []
    current = Entry()
    target: str | int | None = None  # which part a continuation line belongs to
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if not line:
            if target is not None:
                entries.append(current)
            current, target = Entry(), None
        elif line.startswith("#,"):
            current.fuzzy = current.fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        else:
            keyword, _, rest = line.partition(" ") if not line.startswith('"') else ("", "", line)
            text = ast.literal_eval(rest)
            if keyword == "msgctxt":
                current.context, target = text, "context"
            elif keyword == "msgid":
                current.msgid, target = text, "msgid"
            elif keyword == "msgid_plural":
                current.plural, target = text, "plural"
            elif keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                current.strs[index], target = text, index
            elif isinstance(target, int):
                current.strs[target] += text
            elif target is not None:
                setattr(current, target, (getattr(current, target) or "") + text)
    return [e for e in entries if e.msgid and not e.obsolete]


def problems(entries: list[Entry]) -> list[str]:
    found = []
    for entry in entries:
        if entry.fuzzy:
            found.append(f"fuzzy: {entry.label}")
        if not entry.strs or not all(entry.strs.values()):
            found.append(f"untranslated: {entry.label}")
            continue
        wanted = sorted(PLACEHOLDER.findall(entry.plural or entry.msgid))
        for text in entry.strs.values():
            if entry.plural is None and sorted(PLACEHOLDER.findall(text)) != wanted:
                found.append(f"placeholders differ: {entry.label}")
    return found


def test_dutch_catalogue_has_no_untranslated_or_fuzzy_entry() -> None:
    entries = read_po(PO)
    assert len(entries) > 100, "the catalogue looks empty"
    assert not problems(entries), "\n".join(problems(entries))


def test_compiled_catalogue_matches_the_po() -> None:
    assert MO.exists(), "run: manage.py compilemessages --ignore=.venv"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(PO):
        key = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.plural is None:
            got = compiled._catalog.get(key)  # type: ignore[attr-defined]
            if got != entry.strs[0]:
                stale.append(entry.label)
        else:
            for index, text in entry.strs.items():
                if compiled._catalog.get((key, index)) != text:  # type: ignore[attr-defined]
                    stale.append(entry.label)
    assert not stale, "django.mo is out of date; run compilemessages. Differs: " + ", ".join(stale[:10])


@pytest.mark.skipif(not shutil.which("xgettext") or not shutil.which("msgmerge"), reason="needs gettext")
def test_every_string_in_the_source_is_in_the_catalogue(tmp_path, monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    # Extract again from a copy of the source into a copy of the catalogue: makemessages writes into
    # any "locale" folder it meets, and this test must never touch the committed one.
    source = tmp_path / "src"
    for name in SOURCE_DIRS:
        if (BASE_DIR / name).is_dir():
            shutil.copytree(BASE_DIR / name, source / name, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    catalogue = tmp_path / "locale" / "nl" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    shutil.copy(PO, catalogue / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["nl"], ignore_patterns=["locale"], verbosity=0)
    fresh = read_po(catalogue / "django.po")
    committed = {(e.context, e.msgid) for e in read_po(PO)}
    new = sorted(e.label for e in fresh if (e.context, e.msgid) not in committed)
    assert not new, "Strings missing from django.po (run makemessages and translate them): " + ", ".join(new)
    assert not problems(fresh), "\n".join(problems(fresh))


def test_pages_are_dutch_by_default_and_switch_to_english(client, login, member, person) -> None:  # type: ignore[no-untyped-def]
    client = login(member)
    page = client.get(reverse("people:list")).content.decode()
    assert '<html lang="nl">' in page and "Personen" in page
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("people:list")})
    assert response.status_code == 302
    page = client.get(reverse("people:list")).content.decode()
    assert '<html lang="en">' in page and ">Persons<" in page
    assert "Personen" not in page


def test_login_page_is_dutch(client, db) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("account_login")).content.decode()
    assert "Inloggen" in page and "Wachtwoord vergeten?" in page
