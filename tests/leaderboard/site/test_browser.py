"""The leaderboard site in a real headless browser (Debian's chromium, driven by Playwright, no
browser download): the pages render, a header click sorts the table both ways, the compass is
drawn, nothing logs an error, a hostile model name shows as text and opens no dialog.
Screenshots of the index and a model page are left in ``build/screenshots/``."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from opinionbench.leaderboard.site.command import build_site

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "build" / "screenshots"
HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"

# The results files are made as tests/leaderboard/site/test_site.py makes them (its helpers, loaded by
# path: the tests are not a package).
_spec = importlib.util.spec_from_file_location("_site_tests", Path(__file__).with_name("test_site.py"))
_site_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_site_tests)
write_results = _site_tests.write_results

# econ values are distinct so ascending and descending orders are unique.
MODELS = {
    "org/alpha": -3.0,
    "org/beta-10": 4.5,
    "org/beta-9": 0.25,
    HOSTILE: -7.75,
    SCRIPT: 1.5,
}


def chromium() -> str:
    """Debian's chromium (the README's test command installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("no chromium on PATH: the README's test command installs Debian's chromium (apt-get)")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser_site")
    for stamp, (model, econ) in enumerate(MODELS.items()):
        pct = {"econ": (econ, 0.5), "soc": (-econ / 2, 0.25)}  # (value, standard error)
        pct["uniform_econ"] = (0.3, 0.1)
        tasks = {"pct_logprob": pct}
        if stamp % 2 == 0:
            tasks["mena_values_logprob"] = {"js_similarity": (0.4 + stamp / 100, 0.05)}
        write_results(root / "out", model, tasks, stamp=f"2026-01-0{stamp + 1}T00-00-00")
    return build_site([root / "out"], root / "site")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), headless=True)
        yield launched
        launched.close()


class Watched:
    """A page with its console errors, page errors and dialogs recorded."""

    def __init__(self, browser, url: str):
        self.errors, self.dialogs = [], []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(url, wait_until="load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.errors == [] and self.dialogs == []

    def images_loaded(self) -> None:
        """Every <img> loaded (none is expected: the compass is inline SVG) and the compass drawn."""
        broken = self.page.eval_on_selector_all("img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0))")
        assert broken == []
        svg = self.page.locator("svg[role=img]")
        assert svg.count() == 1 and svg.is_visible()
        box = svg.bounding_box()
        assert box["width"] > 100 and box["height"] > 100
        assert self.page.locator("svg circle.compass-point").count() >= 1
        # The legend names each point's model as text, in the colour of its points.
        legend = self.page.locator("ul.legend li")
        colours = set(
            self.page.eval_on_selector_all("svg circle.compass-point", "cs => cs.map(c => c.getAttribute('stroke'))")
        )
        swatches = set(legend.locator("span").evaluate_all("ss => ss.map(s => s.style.color)"))
        assert legend.count() == len(colours) and len(swatches) == len(colours)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path


def column(table, index: int, attribute: str | None) -> list:
    """The body cells of column ``index``: their ``attribute`` (as floats) or their text."""
    cells = table.locator(f"tbody tr > td:nth-child({index + 1})")
    if attribute:
        return [float(v) for v in cells.evaluate_all(f"cs => cs.map(c => c.getAttribute('{attribute}'))")]
    return cells.evaluate_all("cs => cs.map(c => c.textContent.trim())")


def headers(table) -> list[str]:
    return [h.strip() for h in table.locator("thead th").all_inner_texts()]


@pytest.fixture(scope="module")
def index(browser, site):
    watched = Watched(browser, (site / "index.html").as_uri())
    yield watched
    watched.page.close()


def test_index_renders_with_its_tables_compass_and_no_errors(index, capsys):
    page = index.page
    assert page.title() == "OpinionBench leaderboard"
    assert page.locator("h1").inner_text() == "OpinionBench leaderboard"
    tables = page.locator("table.sortable")
    assert tables.count() == 2  # MENAValues and PCT
    for i in range(tables.count()):
        assert tables.nth(i).is_visible() and tables.nth(i).locator("tbody tr").count() >= 1
    pct = page.locator("table.sortable", has=page.locator("td", has_text="pct_logprob"))
    assert pct.locator("tbody tr").count() == len(MODELS)
    legend = [text.split(" pct_logprob")[0].lstrip("● ") for text in page.locator("ul.legend li").all_inner_texts()]
    assert sorted(legend) == sorted(MODELS)  # hostile names included, as text
    # Every header is aligned as its column (text left, numbers right).
    aligned = "t => [...t.rows[0].cells].map((h, i) => [getComputedStyle(h).textAlign, getComputedStyle(t.rows[1].cells[i]).textAlign])"
    for i in range(tables.count()):
        assert all(head == cell for head, cell in tables.nth(i).evaluate(aligned))
    index.images_loaded()
    index.assert_clean()
    with capsys.disabled():
        print(f"\nscreenshot: {index.screenshot('index.png')}")


def test_a_header_click_sorts_the_rows_both_ways(index):
    page = index.page
    pct = page.locator("table.sortable", has=page.locator("td", has_text="pct_logprob"))
    econ = headers(pct).index("econ")
    before = column(pct, econ, "data-value")
    assert sorted(before) == sorted(MODELS.values())
    header = pct.locator("thead th").nth(econ)
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert column(pct, econ, "data-value") == sorted(before)
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert column(pct, econ, "data-value") == sorted(before, reverse=True)
    # Each row moves whole: the model cell follows its number.
    by_model = dict(zip(column(pct, 0, None), column(pct, econ, "data-value")))
    assert by_model == MODELS

    model = pct.locator("thead th").nth(0)
    model.click()
    assert model.get_attribute("aria-sort") == "ascending" and header.get_attribute("aria-sort") is None
    names = column(pct, 0, None)
    # The script's natural order: beta-9 before beta-10 (numbers in names compare as numbers).
    assert names == [HOSTILE, SCRIPT, "org/alpha", "org/beta-9", "org/beta-10"]
    model.click()
    assert column(pct, 0, None) == names[::-1]
    index.assert_clean()


def test_hostile_names_are_visible_text_and_run_nothing(index, browser, site, capsys):
    page = index.page
    for name in (HOSTILE, SCRIPT):
        cell = page.locator("table.sortable td a", has_text=name).first
        assert cell.is_visible() and cell.inner_text() == name
    assert page.locator("img").count() == 0  # the <img ...> name made no element
    assert page.locator("script").count() == 1  # only the sort script
    index.assert_clean()
    # Its own page: the name is the title and heading, as text.
    href = page.locator("table.sortable td a", has_text=HOSTILE).first.get_attribute("href")
    watched = Watched(browser, (site / "index.html").parent.joinpath(href).as_uri())
    try:
        assert watched.page.title() == HOSTILE
        assert watched.page.locator("h1").inner_text() == HOSTILE
        assert watched.page.locator("img").count() == 0
        watched.assert_clean()
        with capsys.disabled():
            print(f"\nscreenshot: {watched.screenshot('model-hostile-name.png')}")
    finally:
        watched.page.close()


def test_a_model_page_renders_sorts_and_links_back(browser, site, capsys):
    href = next(p for p in (site / "models").iterdir() if p.name.startswith("org_alpha"))
    watched = Watched(browser, href.as_uri())
    try:
        page = watched.page
        assert page.title() == "org/alpha" and page.locator("h1").inner_text() == "org/alpha"
        tables = page.locator("table.sortable")
        assert tables.count() == 2 and all(tables.nth(i).is_visible() for i in range(2))
        watched.images_loaded()
        with capsys.disabled():
            print(f"\nscreenshot: {watched.screenshot('model.png')}")
        pct = page.locator("table.sortable", has=page.locator("td", has_text="pct_logprob"))
        soc = headers(pct).index("soc")
        pct.locator("thead th").nth(soc).click()
        assert column(pct, soc, "data-value") == [1.5]
        page.locator("a", has_text="leaderboard").first.click()
        page.wait_for_load_state("load")
        assert page.title() == "OpinionBench leaderboard"
        watched.assert_clean()
    finally:
        page.close()
