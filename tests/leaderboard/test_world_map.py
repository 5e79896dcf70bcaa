"""The world map (``opinionbench.leaderboard.world_map``): every country of the real sources is drawn
or listed as not drawn, never dropped; the geometry from the installed Natural Earth package is
simplified and in its frame; the report's per-country page draws it in a real headless browser
with the network off."""

from __future__ import annotations

import html
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import sync_playwright

from opinionbench.leaderboard import world_map
from opinionbench.leaderboard.report.plots import interactive_page

# The browser helpers of the site's tests (the tests are not a package).
sys.path.insert(0, str(Path(__file__).parent / "site"))
import leaderboard_site_helpers as helpers

_RING = re.compile(r"M(-?\d+) (-?\d+)(?:m(-?\d+) (-?\d+))?l([-\d ]+)z")


def _groups(build) -> list[str]:
    return sorted({group for dataset in build.configs.values() for row in dataset["groups"] for group in row})


def test_every_mena_values_country_is_drawn(mena_build):
    countries = _groups(mena_build)
    placement = world_map.place(countries)
    assert sorted(placement.drawn.values()) == countries and len(countries) == 16
    assert placement.unmatched == [] and placement.shared == {} and placement.note is None


def test_every_global_opinions_group_is_drawn_or_listed(global_opinions_build):
    groups = _groups(global_opinions_build)
    placement = world_map.place(groups)
    listed = set(placement.drawn.values()) | set(placement.unmatched) | set(placement.shared)
    assert listed == set(groups)  # nothing dropped
    # A group of another sample of a country shares that country's shape; the note names it.
    dataset = next(iter(global_opinions_build.configs.values()))  # the default config
    others = {
        group
        for row_groups, types in zip(dataset["groups"], dataset["sample_types"])
        for group, kind in zip(row_groups, types)
        if kind != "national"
    }
    assert placement.shared == {group: group.split(" (")[0] for group in others} and others
    # Northern Ireland is a region of the United Kingdom, no admin-0 country of Natural Earth.
    assert placement.unmatched == ["Northern Ireland"]
    for name in [*placement.unmatched, *placement.shared]:
        assert name in placement.note


def test_each_country_is_found_by_its_own_name_and_the_survey_spellings():
    for country in world_map.geometry().countries:
        assert world_map.country_code(country.name) == country.code
    for spelling, code in world_map.ALIASES.items():
        assert world_map.country_code(spelling) == code
    assert world_map.country_code("Côte d’Ivoire") == world_map.country_code("cote d'ivoire") == "CIV"
    assert world_map.country_code("Hong Kong SAR") == "HKG"


def _points(path: str) -> np.ndarray:
    """Every absolute point of an SVG path written by the map: ``M x y [m dx dy] l dx dy ... z`` rings."""
    rings = []
    for x, y, mx, my, steps in _RING.findall(path):
        start = [int(x) + int(mx or 0), int(y) + int(my or 0)]
        rings.append(np.cumsum(np.vstack([start, np.array(steps.split(), dtype=int).reshape(-1, 2)]), axis=0))
    assert "".join(f"M{m}" for m in path.split("M")[1:]) == path and len(rings) == path.count("M")
    return np.vstack(rings)


def test_the_geometry_is_simplified_and_in_its_frame():
    assert world_map.shapefile_path().is_file()  # shipped by the installed package
    world = world_map.geometry()
    assert 200 < len(world.countries) < 260
    assert sum(len(country.path) for country in world.countries) < 150_000  # the page stays small
    centres = {}
    for country in world.countries:
        points = _points(country.path)
        assert points[:, 0].min() >= -3 and points[:, 0].max() <= world_map.WIDTH + 3
        assert points[:, 1].min() >= -3 and points[:, 1].max() <= world.height + 3
        centres[country.code] = points.mean(axis=0)
    # Where things are: France west of Germany, Australia south of Indonesia, Japan east of China.
    assert centres["FRA"][0] < centres["DEU"][0]
    assert centres["AUS"][1] > centres["IDN"][1]  # SVG y grows downwards
    assert centres["JPN"][0] > centres["CHN"][0]


def test_the_choropleth_colours_by_value_and_escapes_every_name():
    hostile = "<img src=x onerror=alert(1)>"
    drawn = world_map.choropleth({"Egypt": 0.2, "Iran": 0.8, "Jordan": math.nan, hostile: 0.5}, label="js <x>")
    fills = dict(re.findall(r'fill="(#[0-9a-f]{6})" data-name="([^"]+)"', drawn.svg))
    by_name = {name: fill for fill, name in fills.items()}
    assert by_name["Egypt"] == world_map.VIRIDIS[0] and by_name["Iran"] == world_map.VIRIDIS[-1]
    assert by_name["Jordan"] == world_map.NO_DATA
    assert world_map.colour(0.5, 0.2, 0.8) == world_map.VIRIDIS[4]  # the middle of the scale
    assert drawn.placement.unmatched == [hostile]
    page = drawn.html()
    assert hostile not in page and html.escape(hostile) in page and "js &lt;x&gt;" in page


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=helpers.chromium(), headless=True)
        yield launched
        launched.close()


def test_the_report_page_draws_the_map_with_the_network_off(mena_build, browser, tmp_path, capsys):
    countries = [*_groups(mena_build), "Atlantis"]
    rows = [
        {
            "rank": rank,
            "country": country,
            "n_items": 10,
            "js_similarity": value,
            "js_similarity_ci_low": value - 0.05,
            "js_similarity_ci_high": value + 0.05,
            "uniform_js_similarity": 0.6,
        }
        for rank, (country, value) in enumerate(zip(countries, np.linspace(0.9, 0.5, len(countries))), start=1)
    ]
    page_file = tmp_path / "countries.html"
    interactive_page(rows, page_file, title="MENAValues", metric="js_similarity", summary_lines=["a line"])
    watched = helpers.Watched(browser, page_file.as_uri(), offline=True)
    try:
        watched.page.wait_for_timeout(300)
        watched.assert_clean()
        assert {url.split(":")[0] for url in watched.requests} == {"file"}
        drawn = helpers.drawn_countries(watched.page)
        assert {country["name"] for country in drawn} == set(countries) - {"Atlantis"}
        assert all(country["width"] > 0 and country["height"] > 0 for country in drawn)
        note = watched.page.locator("figcaption.map-note")
        assert note.is_visible() and "Atlantis" in note.inner_text()
        assert watched.page.locator(".plotly .bars, .plotly .barlayer").count() >= 1  # plotly's chart, inline
        with capsys.disabled():
            print(f"\nscreenshot: {watched.screenshot('report-map.png', 'figure.world-map')}")
    finally:
        watched.close()
