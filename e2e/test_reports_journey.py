"""The municipality's analyst in the browser: the figures dashboard, another period, the PDF and the CSV.

With the demo network loaded, the analyst logs in (no person data, so no second factor) and lands on
the figures. The charts are drawn; she picks 2017–2019 per month, sees the street-zone column of the
"in view" table reach March 2019, and downloads the council report (PDF) and the figures (CSV). Selectors
use ids, names and data attributes: the journey holds in any language.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from inbeeld.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_analyst_changes_the_period_and_downloads_the_report(live_server, page: Page) -> None:
    call_command("load_demo", force=True, verbosity=0)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", f"analyst@{DEMO_EMAIL_DOMAIN}")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reports/$"))
    expect(page.locator("canvas[data-report-chart=street_zone]")).to_be_visible()

    page.select_option("#id_first_year", "2017")
    page.select_option("#id_last_year", "2019")
    page.select_option("#id_granularity", "month")
    page.locator("#report-filter button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"first_year=2017.*last_year=2019.*granularity=month"))
    march = page.locator('table[data-indicator=in_view] tr[data-row="2019-03"] td[data-column=street_zone]')
    expect(march).to_have_count(1)
    expect(page.locator("canvas[data-report-chart=in_view]")).to_be_visible()

    with page.expect_download() as pdf_download:
        page.locator("#download-pdf").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith("2017-2019.pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    with page.expect_download() as csv_download:
        page.locator("#download-csv").click()
    with open(csv_download.value.path(), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    in_view_march = [r for r in rows if r[0] == "in_view" and r[3] == "2019-03" and r[5] == "street_zone"]
    assert len(in_view_march) == 1
    assert int(in_view_march[0][7]) == pytest.approx(6, abs=3)
    counted = [r for r in rows if r[0] == "street_counts" and r[3].startswith("2017-")]
    assert len(counted) == 12
