"""The leaderboard site in a real headless browser (Debian's chromium, driven by Playwright, no
browser download): the overview renders and sorts by click and by keyboard, the search and filters
narrow the rows, every metric has a tooltip and a glossary entry, partial runs stand apart, a
number opens its questions, the map draws with the network off, a 390 px wide screen scrolls no
page sideways, Tab reaches every control, and hostile names show as text and run nothing.
Screenshots are left in ``build/screenshots/``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from leaderboard_site_helpers import MENA, Watched, chromium, drawn_countries, write_results
from lm_eval_files import read_samples
from playwright.sync_api import sync_playwright

from opinionbench import families
from opinionbench.leaderboard import world_map
from opinionbench.leaderboard.site.command import build_site

pytestmark = pytest.mark.slow  # the site is built from a real run of the bundled model

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
NARROW = 390  # px: a phone
# Full runs: econ values are distinct so ascending and descending orders are unique.
MODELS = {"org/alpha": -3.0, "org/beta-10": 4.5, "org/beta-9": 0.25, HOSTILE: -7.75, SCRIPT: 1.5}
CONTROLS = "a[href], button, input, select, summary"


@pytest.fixture(scope="module")
def site(tmp_path_factory, real_run, rescoring_env) -> Path:
    root = tmp_path_factory.mktemp("browser_site")
    for stamp, (model, econ) in enumerate(MODELS.items()):
        pct = {"econ": (econ, 0.5), "soc": (-econ / 2, 0.25), "uniform_econ": (0.3, 0.1)}
        tasks = {"pct_logprob": pct}
        if stamp % 2 == 0:
            tasks["mena_values_logprob"] = {**MENA, "js_similarity": (0.4 + stamp / 100, 0.05)}
        write_results(root / "out", f"org/m{stamp}", tasks, stamp=f"2026-01-0{stamp + 1}T00-00-00", display_name=model)
    with rescoring_env():
        return build_site([root / "out", real_run.parent], root / "site")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def index(browser, site):
    watched = Watched(browser, (site / "index.html").as_uri())
    yield watched
    watched.close()


def real_model(real_run: Path) -> str:
    from opinionbench.lm_eval_outputs import find_runs

    return find_runs(real_run)[0].model


def column(table, index: int, attribute: str | None) -> list:
    """The body cells of column ``index``: their ``attribute`` (as floats) or their text."""
    cells = table.locator(f"tbody tr > td:nth-child({index + 1})")
    if attribute:
        return [float(v) for v in cells.evaluate_all(f"cs => cs.map(c => c.getAttribute('{attribute}'))")]
    return cells.evaluate_all("cs => cs.map(c => c.firstChild ? c.firstChild.textContent.trim() : '')")


def headers(table) -> list[str]:
    return [h.strip() for h in table.locator("thead tr:last-child th button").all_inner_texts()]


def visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "tr[data-model]",
        "rs => rs.filter(r => r.offsetParent !== null).map(r => ({model: r.dataset.model, "
        "family: r.dataset.family, run: r.dataset.run, search: r.dataset.search}))",
    )


def test_the_overview_renders_and_sorts_by_click_and_by_keyboard(index, capsys):
    page = index.page
    assert page.title() == "OpinionBench leaderboard"
    full = page.locator("#overview [data-runs=full] table")
    assert headers(full) == ["model", *families.get("mena_values").headline, *families.get("pct").headline]
    econ = headers(full).index("econ")
    assert sorted(column(full, econ, "data-value")) == sorted(MODELS.values())
    header = full.locator("thead tr:last-child th").nth(econ)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert column(full, econ, "data-value") == sorted(MODELS.values())
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert column(full, econ, "data-value") == sorted(MODELS.values(), reverse=True)
    assert dict(zip(column(full, 0, None), column(full, econ, "data-value"))) == MODELS  # rows move whole
    # The keyboard: a header is a button; Enter and Space sort.
    soc = headers(full).index("soc")
    button = full.locator("thead tr:last-child th").nth(soc).locator("button")
    button.focus()
    page.keyboard.press("Enter")
    assert column(full, soc, "data-value") == sorted(-v / 2 for v in MODELS.values())
    page.keyboard.press("Space")
    assert column(full, soc, "data-value") == sorted((-v / 2 for v in MODELS.values()), reverse=True)
    assert header.get_attribute("aria-sort") is None
    model = full.locator("thead tr:last-child th").nth(0)
    model.locator("button").click()
    # The script's natural order: beta-9 before beta-10 (numbers in names compare as numbers).
    assert column(full, 0, None) == [HOSTILE, SCRIPT, "org/alpha", "org/beta-9", "org/beta-10"]
    index.assert_clean()
    with capsys.disabled():
        print(f"\nscreenshots: {index.screenshot('index.png')}, {index.screenshot('family-table.png', '#family-pct')}")


def test_search_and_filters_narrow_the_rows(browser, site, real_run):
    watched = Watched(browser, (site / "index.html").as_uri())
    try:
        page = watched.page
        every = visible_rows(page)
        assert page.locator("form#filters output").inner_text() == f"{len(every)} rows shown"
        page.fill("form#filters [name=text]", "alpha")
        shown = visible_rows(page)
        assert shown == [row for row in every if "alpha" in row["search"]] and shown
        assert page.locator("form#filters output").inner_text() == f"{len(shown)} rows shown"
        page.fill("form#filters [name=text]", "")
        page.select_option("form#filters [name=family]", "wahl_o_mat")
        shown = visible_rows(page)
        assert shown == [row for row in every if "wahl_o_mat" in row["family"].split()] and shown
        assert {row["model"] for row in shown} == {real_model(real_run)}
        assert not page.locator("#family-pct").is_visible() and page.locator("#family-wahl_o_mat").is_visible()
        assert not page.locator("#overview th[data-family-column=pct]").first.is_visible()
        page.select_option("form#filters [name=family]", "")
        page.select_option("form#filters [name=run]", "partial")
        shown = visible_rows(page)
        assert shown == [row for row in every if row["run"] == "partial"] and shown
        assert not page.locator("#overview [data-runs=full]").is_visible()
        watched.assert_clean()
    finally:
        watched.close()


def test_every_metric_header_has_a_tooltip_and_the_glossary_lists_it(index):
    page = index.page
    metrics = page.eval_on_selector_all(
        "table.sortable thead th abbr", "as => as.map(a => [a.textContent, a.getAttribute('title')])"
    )
    assert metrics and all(title and len(title) > 20 for _, title in metrics)
    glossary = page.locator("#glossary")
    assert glossary.is_visible()
    listed = set(glossary.locator("dt code").all_inner_texts())
    assert {metric for metric, _ in metrics} <= listed
    text = glossary.inner_text()
    for metric, title in metrics:
        assert title.split(" Range ")[0] in text, metric  # the same words, readable without hovering


def test_partial_runs_stand_apart_from_the_ranked_full_runs(index, real_run):
    page = index.page
    full = page.locator("#overview [data-runs=full] tbody tr")
    partial = page.locator("#overview [data-runs=partial] tbody tr")
    assert set(full.evaluate_all("rs => rs.map(r => r.dataset.run)")) == {"full"}
    assert set(partial.evaluate_all("rs => rs.map(r => r.dataset.run)")) == {"partial"}
    assert set(full.evaluate_all("rs => rs.map(r => r.dataset.model)")) == set(MODELS)
    assert partial.evaluate_all("rs => rs.map(r => r.dataset.model)") == [real_model(real_run)]
    assert page.locator("#overview h3.partial").is_visible()
    assert "partial run: 5 of" in partial.first.inner_text()


def test_a_number_opens_its_questions(browser, site, real_run, capsys):
    watched = Watched(browser, (site / "index.html").as_uri())
    try:
        page = watched.page
        link = page.locator("#overview [data-runs=partial] td[data-value] a").first
        link.click()
        page.wait_for_load_state("load")
        task = page.title().split(" · ")[1]
        assert page.title() == f"{real_model(real_run)} · {task}"
        logged = read_samples(real_run, task)
        assert page.locator("article.question").count() == len(logged)
        first = page.locator("article.question h3").first.inner_text()
        doc = logged[0]["doc"]
        assert (
            first
            == f"{logged[0]['doc_id'] + 1}. {doc.get('prompt_question') or doc.get('question') or doc['statement']}"
        )
        watched.assert_clean()
        with capsys.disabled():
            print(f"\nscreenshot: {watched.screenshot('questions.png')}")
    finally:
        watched.close()


def test_the_map_draws_with_the_network_off(browser, site, capsys):
    [path] = (site / "questions").glob("*-mena_values_logprob-partial-*.html")
    watched = Watched(browser, path.as_uri(), offline=True)
    try:
        page = watched.page
        watched.assert_clean()
        assert {url.split(":")[0] for url in watched.requests} == {"file"}
        drawn = drawn_countries(page)
        countries = page.locator("#countries table tbody tr td:first-child").all_inner_texts()
        assert {c["name"] for c in drawn} == set(world_map.place(countries).drawn.values()) and drawn
        assert all(c["width"] > 0 and c["height"] > 0 for c in drawn)
        with capsys.disabled():
            print(f"\nscreenshot: {watched.screenshot('map.png', 'figure.world-map')}")
    finally:
        watched.close()


def test_a_phone_wide_screen_scrolls_no_page_sideways(browser, site, capsys):
    pages = [site / "index.html", *sorted((site / "models").iterdir())[:1], *sorted((site / "questions").iterdir())]
    for path in pages:
        watched = Watched(browser, path.as_uri(), width=NARROW)
        try:
            width = watched.page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW, path.name
            watched.assert_clean()
            if path.name == "index.html":
                with capsys.disabled():
                    print(f"\nscreenshot: {watched.screenshot('narrow.png')}")
        finally:
            watched.close()


def test_tab_reaches_every_control(browser, site):
    for path in (site / "index.html", next((site / "questions").glob("*-mena_values_logprob-*.html"))):
        watched = Watched(browser, path.as_uri())
        try:
            page = watched.page
            count = page.evaluate(
                f"() => {{ const cs = [...document.querySelectorAll('{CONTROLS}')]; "
                "cs.forEach((c, i) => c.setAttribute('data-control', i)); return cs.length; }"
            )
            reached = set()
            for _ in range(count + 2):
                page.keyboard.press("Tab")
                reached.add(page.evaluate("() => document.activeElement.getAttribute('data-control')"))
            assert reached - {None} == {str(i) for i in range(count)}, path.name
        finally:
            watched.close()


def test_hostile_names_are_visible_text_and_run_nothing(index, browser, site, capsys):
    page = index.page
    for name in (HOSTILE, SCRIPT):
        cell = page.locator("#overview td a", has_text=name).first
        assert cell.is_visible() and cell.inner_text() == name
    assert page.locator("img").count() == 0  # the <img ...> name made no element
    assert page.locator("script").count() == 1  # only the site's script
    index.assert_clean()
    href = page.locator("#overview td a", has_text=HOSTILE).first.get_attribute("href")
    watched = Watched(browser, (site / href).as_uri())
    try:
        assert watched.page.title() == HOSTILE and watched.page.locator("h1").inner_text() == HOSTILE
        assert watched.page.locator("img").count() == 0
        watched.assert_clean()
    finally:
        watched.close()


def test_a_model_page_shows_its_runs_and_compass_and_links_back(browser, site, real_run, capsys):
    model = real_model(real_run)
    [path] = [p for p in (site / "models").iterdir() if model in (p.read_text(encoding="utf-8")[:3000])]
    watched = Watched(browser, path.as_uri())
    try:
        page = watched.page
        assert page.title() == model and page.locator("#overview").count() == 0
        runs = page.locator("#runs table tbody tr")
        tasks = json.loads(real_run.read_text(encoding="utf-8"))["results"]
        assert sorted(runs.locator("td:first-child").all_inner_texts()) == sorted(tasks)
        assert page.locator("svg circle.compass-point").count() >= 1
        assert not any(name in page.locator("body").inner_text() for name in MODELS)
        page.locator("#runs a", has_text="questions").first.click()
        page.wait_for_load_state("load")
        assert page.locator("article.question").count() >= 1
        page.go_back()
        with capsys.disabled():
            print(f"\nscreenshot: {watched.screenshot('model.png')}")
        page.locator("nav.links a", has_text="leaderboard").first.click()
        page.wait_for_load_state("load")
        assert page.title() == "OpinionBench leaderboard"
        watched.assert_clean()
    finally:
        watched.close()
