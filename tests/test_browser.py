"""The HTML report in a real headless Chromium: it renders, and nothing in it runs.

``report.html`` is made by ``run_report.py`` from ``script_payloads.csv``, whose
ticket ids, customers, subjects, descriptions and agents carry script, event
handler, ``javascript:`` link, broken-table (``</td></tr></table>``), SVG
(``<svg onload=...>``), Markdown-link and style/iframe payloads. Debian's
Chromium opens it from a ``file://`` URL with JavaScript enabled (so a payload
that slipped through would run) and the test holds:

- no request but the file itself (``data:`` images are not network), no dialog,
  no page error, no console error (a script blocked by the CSP logs one);
- every chart image decoded (``naturalWidth > 0``), at least six of them;
- the expected headings, tables whose rows all have the header's cell count, and
  the payloads shown as plain text;
- a full-page screenshot saved under the test's ``tmp_path``.

The bundled sample's report is opened at 1440 and 390 px: no sideways page
scroll, nine SVG chart images each with a title and a caption, chart text at
least 11 px tall at 390 px, nothing fetched, no console error; printed to PDF it
takes at most five A4 pages.

Playwright drives ``/usr/bin/chromium`` (its own browser download does not work
here). Without it the test is skipped locally, but fails when ``CI`` is set: the
CI image must install the ``chromium`` package.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Sandbox

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HEADINGS = [
    "Support ticket report",
    "Act today",
    "Headline figures",
    "Key findings",
    "Recommendations",
    "Overdue open tickets",
    "Ticket volume",
    "Priorities and service targets",
    "Backlog and agent workload",
    "Customers to watch",
    "What customers write about",
    "Data quality",
    "Weather at the support office",
    "About this report",
]

#: Runs in the page: what a stakeholder's browser made of the document.
INSPECT = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    title: document.title,
    images: [...document.images].map(i => ({
      complete: i.complete, width: i.naturalWidth, height: i.naturalHeight,
      alt: i.alt, scheme: i.src.split(':')[0]})),
    headings: [...document.querySelectorAll('h1, h2')].map(
      h => h.textContent.replace('\u00b6', '').trim()),
    active: document.querySelectorAll(
      'script, iframe, object, embed, svg, form, base, link[href], meta[http-equiv=refresh]'
    ).length,
    handlers: all.filter(e => [...e.attributes].some(
      a => a.name.startsWith('on'))).map(e => e.tagName),
    jsLinks: all.filter(e => [...e.attributes].some(
      a => /^\\s*javascript:/i.test(a.value))).map(e => e.tagName),
    injected: [...document.querySelectorAll('h1')].filter(
      h => h.textContent.includes('INJECTED')).length,
    tables: [...document.querySelectorAll('table')].map(t => ({
      header: t.tHead ? t.tHead.rows[0].cells.length : null,
      rows: [...t.tBodies].flatMap(b => [...b.rows]).map(r => r.cells.length)})),
    text: document.body.innerText,
    csp: (document.querySelector('meta[http-equiv="Content-Security-Policy"]')
          || {}).content,
  };
}"""


def chromium_or_skip() -> None:
    """Skip without Chromium, except in CI, where its absence is a failure."""
    if CHROMIUM.is_file():
        return
    if os.environ.get("CI"):
        pytest.fail(
            f"CI is set but {CHROMIUM} is missing: install Debian's chromium "
            "package (apt-get install -y chromium); the browser test must run in CI"
        )
    pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")


def test_report_is_inert_and_complete_in_chromium(
    payload_report: dict[str, Any], tmp_path: Path
) -> None:
    """Hostile tickets: the report renders fully and nothing in it runs or loads."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    result = payload_report["result"]
    assert result.returncode == 0, result.stderr[-2000:]
    url = (payload_report["out"] / "report.html").as_uri()
    requests: list[str] = []
    dialogs: list[str] = []
    page_errors: list[str] = []
    console_errors: list[str] = []
    screenshot = tmp_path / "report.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on(
                "dialog",
                lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()),
            )
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.on(
                "console",
                lambda message: (
                    console_errors.append(message.text)
                    if message.type == "error"
                    else None
                ),
            )
            page.goto(url, wait_until="load")
            page.wait_for_timeout(500)  # time for a deferred payload to fire
            seen = page.evaluate(INSPECT)
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()

    assert [u for u in requests if not u.startswith("data:")] == [url]
    assert dialogs == [] and page_errors == [] and console_errors == []
    assert seen["csp"] == (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
    )
    assert seen["title"] == "Support ticket report — as of 2024-03-20"
    assert seen["active"] == 0 and seen["handlers"] == [] and seen["jsLinks"] == []
    assert seen["injected"] == 0
    assert seen["headings"] == HEADINGS
    images = seen["images"]
    assert len(images) >= 9
    for image in images:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
        assert image["scheme"] == "data" and image["alt"], image
    tables = seen["tables"]
    assert len(tables) >= 5
    for table in tables:
        assert table["rows"] and set(table["rows"]) == {table["header"]}, table
    text = seen["text"]
    for payload in (
        "<script>alert('xss-script')</script>",
        "<img src=x onerror=alert('xss-img')>",
        "<svg onload=alert('xss-svg')>",
        "</td></tr></table><h1>INJECTED-HEADING</h1>",
        "<a href=\"javascript:alert('xss-link')\">click me</a>",
    ):
        assert payload in text, payload
    assert screenshot.stat().st_size > 50_000


# --- the sample's report at two widths and on paper ----------------------------

ROOT = Path(__file__).resolve().parents[1]
#: Smallest chart text allowed on a phone, in CSS pixels.
MIN_CHART_TEXT_PX = 11.0
#: Most A4 pages the sample's report may print on.
MAX_PAGES = 5

#: Runs in the page: the layout and each chart as drawn. A chart is an <img> of
#: an SVG data: URI; its SVG is decoded and parsed to read its <title> and the
#: font size of every <text>, scaled by the drawn width over the viewBox width.
LAYOUT = """() => {
  const root = document.documentElement;
  const charts = [...document.querySelectorAll('figure.ta-chart img')].map(img => {
    const svg = new DOMParser().parseFromString(
      atob(img.src.split(',')[1]), 'image/svg+xml').documentElement;
    const scale = img.getBoundingClientRect().width
      / parseFloat(svg.getAttribute('viewBox').split(' ')[2]);
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(
      (t.getAttribute('style') || '').match(/font-size: ([\\d.]+)px/)[1]));
    const box = img.getBoundingClientRect();
    return {
      type: img.src.slice(0, 26), root: svg.tagName,
      title: (svg.querySelector('title') || {}).textContent || '',
      alt: img.alt, minPx: Math.min(...sizes) * scale, texts: sizes.length,
      right: box.right, caption: (img.nextElementSibling || {}).textContent || ''};
  });
  return {
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    widest: Math.max(...[...document.querySelectorAll('main *')].filter(
      e => !e.closest('.ta-scroll')).map(e => e.getBoundingClientRect().right)),
    charts,
  };
}"""


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``run_report.py`` on the bundled sample, run once; returns report.html."""
    box = Sandbox(tmp_path_factory.mktemp("sample-home"))
    out = box.home / "out"
    result = box.report(
        "--input", str(ROOT / "data" / "tickets_sample.csv"), "--output-dir", str(out)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return out / "report.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_sample_report_fits_the_screen_with_readable_svg_charts(
    sample_report: Path, browser: Any, width: int, tmp_path: Path
) -> None:
    """No sideways page scroll; nine SVG charts with titles; 11 px text at 390 px.

    Nothing is fetched but the file, and the console stays clean.
    """
    url = sample_report.as_uri()
    requests: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.goto(url, wait_until="load")
    seen = page.evaluate(LAYOUT)
    page.screenshot(path=str(tmp_path / f"sample-{width}.png"), full_page=True)
    page.close()

    assert [u for u in requests if not u.startswith("data:")] == [url]
    assert errors == []
    assert seen["scrollWidth"] <= seen["clientWidth"] == width
    assert seen["widest"] <= width
    charts = seen["charts"]
    assert len(charts) == 9
    for chart in charts:
        assert chart["type"] == "data:image/svg+xml;base64,", chart
        assert chart["root"] == "svg" and chart["title"] == chart["alt"] != "", chart
        assert chart["caption"] and chart["texts"] > 5, chart
        assert chart["right"] <= width, chart
    smallest = min(chart["minPx"] for chart in charts)
    if width == 390:
        assert smallest >= MIN_CHART_TEXT_PX, smallest
    else:  # two charts side by side: text about the body's size
        assert 13.0 <= smallest <= 17.0, smallest


def test_sample_report_prints_on_at_most_5_a4_pages(
    sample_report: Path, browser: Any, tmp_path: Path
) -> None:
    """Print to PDF with the report's own page size (A4): five pages at most."""
    page = browser.new_page()
    page.goto(sample_report.as_uri(), wait_until="load")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.close()
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    sizes = {
        tuple(round(float(n)) for n in box)
        for box in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    }
    assert 1 <= pages <= MAX_PAGES, pages
    assert sizes == {(595, 842)}, sizes  # A4 in points
