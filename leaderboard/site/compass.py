"""A compass family's positions of every model as inline SVG (the Political Compass: the PCT tasks'
``econ``/``soc``, filled, at the answers, and ``econ_expected``/``soc_expected``, hollow, from
lm-eval's table), drawn as the family declaration's :class:`~opinionbench.tasks.common.instruments.Compass`."""

from __future__ import annotations

import math

from opinionbench.families import Family

from .html import esc
from .ingest import Entry

SIZE = 440  # pixels of the square plot; the compass spans -10..10 on both axes
MARGIN = 20
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def compass_svg(family: Family, entries: list[Entry]) -> str | None:
    """The SVG of every entry of ``family`` (whose picture is a compass) with coordinates and a
    legend naming each colour's model and task, or ``None`` when there is none."""
    picture = family.instrument.picture
    points, legend = [], []
    for index, entry in enumerate(e for e in entries if e.family == family):
        metrics = entry.metrics()
        colour = _COLOURS[index % len(_COLOURS)]
        kind = " (partial run)" if entry.partial else ""
        legend.append(
            f'<li><span style="color:{colour}">&#9679;</span> {esc(entry.model)} '
            f"<small>{esc(entry.task)}{kind}</small></li>"
        )
        for suffix, filled in (("", True), ("_expected", False)):
            x, y = (metrics.get(f"{axis}{suffix}", {}).get("value", math.nan) for axis in (picture.x, picture.y))
            if math.isfinite(x) and math.isfinite(y):
                scoring = "answers" if filled else "expected"
                label = f"{entry.model} {entry.task}{kind} ({scoring}): {picture.x} {x:.2f}, {picture.y} {y:.2f}"
                points.append(_point(x, y, colour, filled, label))
    if not points:
        return None
    return compass_frame(picture, "".join(points), f"{family.title} of every model") + (
        f'<ul class="legend">{"".join(legend)}</ul>'
    )


def compass_frame(picture, marks: str, label: str) -> str:
    """The SVG of the compass ``picture`` (quadrants, axes, poles) with ``marks`` (SVG) drawn on it."""
    quadrants = "".join(
        f'<rect x="{x_of(x0)}" y="{y_of(y0 + 10)}" width="{SIZE / 2}" height="{SIZE / 2}" fill="{colour}" '
        f'fill-opacity="0.35"><title>{esc(name)}</title></rect>'
        for name, (x0, y0), colour in picture.quadrants
    )
    full = SIZE + 2 * MARGIN
    (left, right), (bottom, top) = picture.x_poles, picture.y_poles
    axes = (
        f'<line x1="{x_of(-10)}" y1="{y_of(0)}" x2="{x_of(10)}" y2="{y_of(0)}" stroke="#333"/>'
        f'<line x1="{x_of(0)}" y1="{y_of(-10)}" x2="{x_of(0)}" y2="{y_of(10)}" stroke="#333"/>'
        f'<text x="{full / 2}" y="14" text-anchor="middle" font-size="12">{esc(top)}</text>'
        f'<text x="{full / 2}" y="{full - 4}" text-anchor="middle" font-size="12">{esc(bottom)}</text>'
        f'<text x="2" y="{full / 2 - 4}" font-size="12">{esc(left)}</text>'
        f'<text x="{full - 2}" y="{full / 2 - 4}" text-anchor="end" font-size="12">{esc(right)}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{full}" height="{full}" viewBox="0 0 {full} {full}" '
        f'role="img" aria-label="{esc(label)}">{quadrants}{axes}{marks}</svg>'
    )


def _point(x: float, y: float, colour: str, filled: bool, label: str) -> str:
    fill = colour if filled else "none"
    return (
        f'<circle class="compass-point" cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="5" fill="{fill}" '
        f'stroke="{colour}" stroke-width="2"><title>{esc(label)}</title></circle>'
    )


def x_of(x: float) -> float:
    return MARGIN + (x + 10) / 20 * SIZE


def y_of(y: float) -> float:
    return MARGIN + (10 - y) / 20 * SIZE
