"""The planner in REAL headless Chromium against a live loopback server, network cut: exact
Jinan cells, the form changes the URL, no console error, no outgoing request, screenshots in
tests/artifacts/plan/. Then Chromium's own --print-to-pdf of the printable 任务分工表: every
measure and agency is in the PDF's text, the header row repeats on every page, the screen-only
line is not printed.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.settings import get_settings
from tests.api.conftest import make_app
from tests.api.test_plan_page import AGENCIES, DOC, MEASURES, NUMERALS, 人社, 发改, 教育
from tests.live_server import serving
from tests.paths import ROOT

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts" / "plan"
FONT = "Noto Sans CJK SC"  # the first family of site.css (Debian: fonts-noto-cjk)
pytestmark = pytest.mark.browser


def need_chromium() -> None:
    if not CHROMIUM.exists():
        if get_settings().ci:
            pytest.fail("chromium is missing (apt-get install chromium)")
        pytest.skip("chromium is missing (apt-get install chromium)")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    client, store = make_app(tmp_path_factory.mktemp("plan-browser"))
    with serving(client.app) as base:
        yield base
    store.close()


def open_page(browser: Any, service: str, path: str) -> tuple[Any, dict[str, list[str]]]:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    log: dict[str, list[str]] = {"outside": [], "errors": []}

    def route(r: Any) -> None:
        if r.request.url.startswith(service + "/"):
            r.continue_()
        else:
            log["outside"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type in ("error", "warning") and log["errors"].append(m.text))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.goto(service + path)
    page.wait_for_load_state("load")
    return page, log


def texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_text_contents()]


def test_planner_in_chromium(service: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"},  # to nowhere
            args=["--no-sandbox"],
        )
        page, log = open_page(browser, service, f"/plan?document={DOC}")
        assert page.locator("#slot-count").text_content() == "19"
        assert page.locator("#lower-bound").text_content() == "19"
        assert page.locator("#table-meetings tbody.slot").count() == 19
        first = texts(page, "#table-workload tbody tr:nth-child(1) td")
        assert first[:6] == [人社, "19", "0", "0", "16", "3"]
        assert texts(page, "#table-workload tbody tr td:first-child")[1:3] == [发改, 教育]
        chart = page.locator("figure.chart svg").bounding_box()
        assert chart is not None and chart["width"] > 400 and chart["height"] > 200
        # the chart's labels are drawn (text, not boxes or paths)
        assert 人社 in texts(page, "figure.chart svg text")
        page.screenshot(path=str(ARTIFACTS / "plan-jinan.png"), full_page=True)

        # the form is the URL: choose chapter 2 and press Show
        page.select_option("#chapter", "2")
        page.click(".plan-form button[type=submit]")
        page.wait_for_url(re.compile(r"/plan\?document=jinan-2025-5&chapter=2$"))
        refs = texts(page, "#table-meetings tbody td:first-of-type a")
        assert refs == [f"{DOC}#{n}" for n in (5, 6, 7, 8)]
        page.screenshot(path=str(ARTIFACTS / "plan-jinan-chapter-2.png"), full_page=True)

        # the printable page, as it looks on screen
        page.click("a.print >> nth=0")
        page.wait_for_url(re.compile(r"/plan/print\?"))
        assert page.locator("table").count() == 1
        page.screenshot(path=str(ARTIFACTS / "plan-print-chapter-2.png"), full_page=True)
        browser.close()
    print(f"screenshots in {ARTIFACTS}")
    assert log["outside"] == [] and log["errors"] == []


def pdf_text(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


@functools.cache
def first_code_points() -> dict[str, str]:
    """Each character of the page font by the first code point that font maps to its glyph.
    Chromium's PDF names a glyph that way, so 人 comes out as the Kangxi radical ⼈ (U+2F08)
    and 民 as ⺠ (U+2EA0); the test compares both sides through this map."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(FONT, fallback_to_default=False)
    faces = (ft2font.FT2Font(path, face_index=i) for i in range(10))
    face = next(f for f in faces if f.family_name == FONT)
    charmap = face.get_charmap()
    first: dict[int, int] = {}
    for code, glyph in sorted(charmap.items()):
        first.setdefault(glyph, code)
    return {chr(code): chr(first[glyph]) for code, glyph in charmap.items()}


def squeeze(text: str) -> str:
    """Text without white space (a cell's wrapped lines join again), each character as the
    PDF names it."""
    same = first_code_points()
    return "".join(same.get(c, c) for c in re.sub(r"\s+", "", text))


def test_printable_assignment_table_prints_everything(service: str, tmp_path: Path) -> None:
    pdf = tmp_path / "jinan-assignments.pdf"
    done = subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
            "--proxy-server=http://127.0.0.1:9",  # loopback bypasses it: the rest is cut
            f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", f"{service}/plan/print?document={DOC}&table=assignments",
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / pdf.name)
    pages = pdf_text(pdf)
    print(f"{len(pages)} pages; PDF in {ARTIFACTS / pdf.name}")
    whole = squeeze("".join(pages))
    for number, (title, _agencies) in MEASURES.items():
        assert squeeze(f"（{NUMERALS[number - 1]}）{title}") in whole, number
    for agency in AGENCIES:
        assert squeeze(agency) in whole, agency
    assert len(pages) >= 2
    for text in pages:  # the header row repeats on every page
        assert squeeze("序号重点任务Measure负责单位") in squeeze(text)
    assert squeeze("返回协调规划") not in whole and "Ctrl+P" not in whole  # screen only
