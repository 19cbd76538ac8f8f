"""The printable care plan: a real PDF, in Dutch or English, with the goals, actions and a signature block.

Its text is read back from the PDF itself: no PDF library is installed (pypdf, pdftotext), so
``pdf_text`` decompresses the streams and maps the glyphs back through each font's ToUnicode map.
"""

from __future__ import annotations

import re
import zlib

import pytest
from django.urls import reverse

from inbeeld.care.models import Domain
from inbeeld.care.tests.grid_plans import plan_draft, save_as
from inbeeld.core.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- reading text back from a PDF ---------------------------------------------------------------


def _objects(data: bytes) -> dict[int, bytes]:
    """Every object of the PDF by number, streams decompressed, object streams unpacked."""
    objects: dict[int, bytes] = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        body = match[2]
        stream = re.search(rb"stream\r?\n(.*)endstream", body, re.S)
        if stream is None:
            objects[int(match[1])] = body
            continue
        head = body[: stream.start()]
        content = zlib.decompress(stream[1]) if b"FlateDecode" in head else stream[1]
        if b"/ObjStm" not in head:
            objects[int(match[1])] = head + b"stream\n" + content
            continue
        first = int(re.search(rb"/First (\d+)", head)[1])  # type: ignore[index]
        numbers = [int(n) for n in content[:first].split()]
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        ends = [offset for _, offset in pairs[1:]] + [len(content) - first]
        for (number, offset), end in zip(pairs, ends, strict=True):
            objects[number] = content[first + offset : first + end]
    return objects


def _to_unicode(cmap: bytes) -> dict[int, str]:
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[code] = chr(int(dst, 16) + offset)
    return out


def pdf_text(data: bytes) -> str:
    """The text shown on the pages, words separated by single spaces."""
    objects = _objects(data)
    fonts = {}
    for number, body in objects.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if ref:
            fonts[number] = _to_unicode(objects[int(ref[1])])
    by_name = {
        name: fonts[int(number)]
        for body in objects.values()
        for name, number in re.findall(rb"/([^\s/<>\[\]()]+)\s+(\d+) 0 R", body)
        if int(number) in fonts
    }
    shown: list[str] = []
    for body in objects.values():
        if b"stream" not in body or b"BT" not in body:
            continue
        cmap: dict[int, str] = {}
        for op in re.finditer(rb"/([^\s/]+) [\d.]+ Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj", body, re.S):
            if op[1] is not None:
                cmap = by_name.get(op[1], {})
                continue
            hexes = re.findall(rb"<([0-9a-fA-F]*)>", op[2]) if op[2] is not None else [op[3]]
            shown.append(
                "".join(cmap.get(int(h[k : k + 4], 16), "") for h in hexes for k in range(0, len(h), 4))
            )
    return " ".join(" ".join(shown).split())


# --- the PDF --------------------------------------------------------------------------------------


@pytest.fixture
def planned(member, person):
    person.key_worker = member.user
    person.legal_name = "Wettelijke Achternaam"
    person.save()
    draft = plan_draft("Een eigen kamer vinden", "Schulden op een rij")
    draft.goals[0].domain_id = Domain.objects.get(code="huisvesting").pk
    save_as(member, person, draft)
    return person


def _pdf(client, person) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(reverse("care:plan_pdf", kwargs={"pk": person.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert str(person.pk) in response["Content-Disposition"]
    assert person.roepnaam not in response["Content-Disposition"]
    content = b"".join(response) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    return content


def test_the_pdf_is_dutch_by_default_and_holds_the_plan(login, member, planned):
    content = _pdf(login(member), planned)
    text = pdf_text(content)
    for expected in (
        "Een eigen kamer vinden",
        "Schulden op een rij",
        "Stap voor: Een eigen kamer vinden",
        "Ik wil rust en een eigen plek.",
        planned.roepnaam,
        "Huisvesting",
        "Regievoerder",  # the signature block, in Dutch
        str(member.user),
    ):
        assert expected in text, expected
    assert b"/Lang (nl)" in b"".join(_objects(content).values())
    assert "Wettelijke Achternaam" not in text  # roepnaam only


def test_the_pdf_follows_the_chosen_language(login, member, planned):
    client = login(member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = _pdf(client, planned)
    text = pdf_text(content)
    assert "Key worker" in text and "Housing" in text and "Signatures" in text
    assert "Een eigen kamer vinden" in text and "Schulden op een rij" in text
    assert b"/Lang (en)" in b"".join(_objects(content).values())


def test_the_pdf_is_audited_as_an_export(login, member, planned):
    client = login(member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _pdf(client, planned)
    event = AuditEvent.objects.filter(data="care_plan.pdf").get()
    assert (event.action, event.person_id_snapshot) == (AuditEvent.Action.EXPORT, planned.pk)
    assert event.detail["version"] == 1 and event.detail["language"] == "en"


def test_markup_in_the_plan_is_printed_as_text_and_fetches_nothing(login, member, person):
    text = '<img src="http://169.254.169.254/latest"> <b>vet</b>'
    save_as(member, person, plan_draft(text))
    printed = pdf_text(_pdf(login(member), person))
    assert '<img src="http://169.254.169.254/latest">' in printed and "<b>vet</b>" in printed


def test_no_plan_no_pdf(login, member, person):
    assert login(member).get(reverse("care:plan_pdf", kwargs={"pk": person.pk})).status_code == 404
    assert not AuditEvent.objects.filter(data="care_plan.pdf").exists()
