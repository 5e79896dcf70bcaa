"""Pictures of instrument results (matplotlib figures, saved as PNG), as the family declarations
ask for them: a compass with every model's position (PCT), split bars of the axes (8values,
SapplyValues), and the agreement with every party (Wahl-O-Mat).

Each ``*_figure`` function returns the figure (so its data can be inspected); :func:`save`
writes and closes it. Figure sizes are fixed (see ``SIZES``, inches at ``DPI``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from opinionbench.tasks.common.instruments import Compass

from .instrument_report import ANSWER, EXPECTED, UNIFORM, InstrumentReport, scoring_key

DPI = 100
SIZES = {"compass": (8, 9), "axes": (9, 6), "parties": (9, 9)}
_POLE_COLOURS = ("#4c78a8", "#f58518")
_BASELINE_COLOUR = "#555555"


@dataclass(frozen=True)
class CompassPoint:
    """A position on a compass: the unrounded scores of its ``x`` and ``y`` axes under one scoring
    (:data:`ANSWER`, :data:`EXPECTED` or the :data:`UNIFORM` baseline), with their 95 % intervals
    (``None`` without one)."""

    label: str
    scoring: str
    x: float
    y: float
    x_interval: tuple[float, float] | None = None
    y_interval: tuple[float, float] | None = None

    def row(self, picture: Compass) -> dict:
        """The point as a table row, its coordinates and intervals under their axes' names."""
        row = {"label": self.label, "scoring": self.scoring}
        for axis, value, interval in ((picture.x, self.x, self.x_interval), (picture.y, self.y, self.y_interval)):
            low, high = interval or (math.nan, math.nan)
            row |= {axis: value, f"{axis}_ci_low": low, f"{axis}_ci_high": high}
        return row


def compass_points(reports: list[tuple[str, InstrumentReport]]) -> list[CompassPoint]:
    """The positions of every report among ``(run label, report)`` whose family's picture is a
    compass (reports of one family), each labelled by model and task (and run, where the same model
    and task appear in more than one run), at the answers, in expectation and, once per task and
    position, of the uniform answer."""
    named = [(f"{report.scores.model} {report.scores.task}{_partial(report)}", run, report) for run, report in reports]
    named = [entry for entry in named if isinstance(getattr(entry[2].family.instrument, "picture", None), Compass)]
    repeated = Counter(name for name, _, _ in named)
    points = []
    for name, run, report in named:
        picture = report.family.instrument.picture
        label = name if repeated[name] == 1 else f"{name} ({run})"
        for scoring, result in report.scorings().items():
            uniform = f"{UNIFORM} answer, {report.scores.task}{_partial(report)}"
            point = CompassPoint(
                label=uniform if scoring == UNIFORM else label,
                scoring=scoring,
                x=result[picture.x],
                y=result[picture.y],
                x_interval=_interval(report, scoring, picture.x),
                y_interval=_interval(report, scoring, picture.y),
            )
            if point not in points:
                points.append(point)
    return points


def _interval(report: InstrumentReport, scoring: str, axis: str) -> tuple[float, float] | None:
    found = report.scores.estimates.get(scoring_key(scoring, axis))
    return None if found is None else (found.ci_low, found.ci_high)


def _partial(report: InstrumentReport) -> str:
    return " (partial run)" if report.scores.partial else ""


def compass_figure(picture: Compass, points: list[CompassPoint], *, title: str):
    """A compass (``picture``: the Political Compass's economic left-right against
    libertarian-authoritarian), both axes -10 to 10, with one marker per point: filled at the
    answers, hollow in expectation, a grey cross for the uniform answer, each with its 95 %
    intervals as error bars. Each point's marker is its own scatter collection, labelled
    ``"<label> (<scoring>)"``."""
    import matplotlib.pyplot as plt

    figure, axes = compass_axes(picture)
    colours = plt.get_cmap("tab10")
    labels = list(dict.fromkeys(point.label for point in points if point.scoring != UNIFORM))
    for point in points:
        colour = _BASELINE_COLOUR if point.scoring == UNIFORM else colours(labels.index(point.label) % 10)
        error_bars(axes, point, colour)
        axes.scatter(
            [point.x],
            [point.y],
            s=90,
            marker="X" if point.scoring == UNIFORM else "o",
            facecolors="none" if point.scoring == EXPECTED else [colour],
            edgecolors=[colour],
            linewidths=2,
            zorder=3,
            label=f"{point.label} ({point.scoring})",
        )
        axes.annotate(
            point.label if point.scoring != EXPECTED else f"{point.label}, {EXPECTED}",
            (point.x, point.y),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=7,
        )
    axes.set_title(
        f"{title}\nfilled: at the answers; hollow: expected over the options; cross: uniform answer; "
        "bars: 95% intervals",
        fontsize=9,
    )
    if points:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), fontsize=7, ncol=2, frameon=False)
    figure.tight_layout()
    return figure


def compass_axes(picture: Compass):
    """An empty compass: the figure and its axes, -10 to 10 both ways, the quadrants coloured and named."""
    from matplotlib.patches import Rectangle

    figure, axes = figure_of("compass")
    for name, corner, colour in picture.quadrants:
        axes.add_patch(Rectangle(corner, 10, 10, facecolor=colour, alpha=0.45, edgecolor="none", zorder=0))
        axes.text(corner[0] + 5, corner[1] + (9.4 if corner[1] == 0 else 0.6), name, ha="center", va="center")
    axes.set_xticks(range(-10, 11, 2))
    axes.set_yticks(range(-10, 11, 2))
    axes.grid(color="white", linewidth=0.6)
    axes.axhline(0, color="black", linewidth=1)
    axes.axvline(0, color="black", linewidth=1)
    axes.set_xlim(-10, 10)
    axes.set_ylim(-10, 10)
    axes.set_aspect("equal")
    axes.set_xlabel(picture.x_label)
    axes.set_ylabel(picture.y_label)
    return figure, axes


def error_bars(axes, point: CompassPoint, colour) -> None:
    """The point's intervals as thin error bars (none where the point has no interval)."""
    for name, value, interval in (("xerr", point.x, point.x_interval), ("yerr", point.y, point.y_interval)):
        if interval and all(map(math.isfinite, interval)):
            extent = [[max(value - interval[0], 0.0)], [max(interval[1] - value, 0.0)]]
            axes.errorbar(
                [point.x], [point.y], fmt="none", ecolor=colour, elinewidth=1, capsize=3, zorder=2, **{name: extent}
            )


def split_axes_figure(report: InstrumentReport, *, title: str):
    """8values or SapplyValues: one split bar per axis and scoring (the uniform answer's last), the
    left pole's share on the left, with the displayed score (and the 8values axis label and
    ideology); the 95 % interval of the split as a black error bar."""
    picture = report.family.instrument.picture
    poles, left_share = picture.poles, picture.left_share
    figure, axes = figure_of("axes")
    bars = [(axis, scoring, result) for axis in poles for scoring, result in report.scorings().items()]
    for row, (axis, scoring, result) in enumerate(bars):
        share = left_share(result[axis])
        axes.barh(row, share, color=_POLE_COLOURS[0], height=0.6, alpha=0.55 if scoring == UNIFORM else 1)
        axes.barh(
            row, 100 - share, left=share, color=_POLE_COLOURS[1], height=0.6, alpha=0.55 if scoring == UNIFORM else 1
        )
        interval = _interval(report, scoring, axis)
        if interval and all(map(math.isfinite, interval)):
            low, high = sorted(map(left_share, interval))
            axes.errorbar(
                [share],
                [row],
                xerr=[[max(share - low, 0.0)], [max(high - share, 0.0)]],
                fmt="none",
                ecolor="black",
                elinewidth=1,
                capsize=3,
            )
        axes.text(1, row, f"{poles[axis][0]} {share:.1f}%", va="center", color="white", fontsize=8)
        axes.text(99, row, f"{100 - share:.1f}% {poles[axis][1]}", va="center", ha="right", color="white", fontsize=8)
        label = result.get("labels", {}).get(axis)
        caption = f"{axis} {result['displayed'][axis]}" + (f" ({label})" if label else "")
        axes.text(50, row - 0.42, f"{caption} — {scoring}", ha="center", va="center", fontsize=8)
    axes.set_yticks([])
    axes.set_xlim(0, 100)
    axes.set_ylim(len(bars) - 0.4, -0.8)
    axes.set_xlabel("share of the pole (%); bars: 95% intervals; faint: uniform answer")
    ideologies = [
        f"{scoring}: {result['ideology']}" for scoring, result in report.results.items() if "ideology" in result
    ]
    axes.set_title(title + (f"\nclosest ideology — {'; '.join(ideologies)}" if ideologies else ""), fontsize=10)
    figure.tight_layout()
    return figure


def party_figure(report: InstrumentReport, *, title: str):
    """Wahl-O-Mat: agreement with every party at the answers with its 95 % interval, sorted (the
    closest party at the top, highlighted); the expected agreement and the uniform answer's as
    markers."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure, axes = figure_of("parties")
    shown = [row for row in report.rows() if not math.isnan(row["agreement"])]
    positions = list(range(len(shown)))
    closest = {scoring: result["closest_party"] for scoring, result in report.results.items()}
    colours = [_POLE_COLOURS[1] if row["party"] == closest[ANSWER] else _POLE_COLOURS[0] for row in shown]
    agreement = [row["agreement"] for row in shown]
    errors = [
        [max(row["agreement"] - row["agreement_ci_low"], 0.0) for row in shown],
        [max(row["agreement_ci_high"] - row["agreement"], 0.0) for row in shown],
    ]
    axes.barh(positions, agreement, color=colours, height=0.7, xerr=errors, error_kw={"elinewidth": 0.8, "capsize": 2})
    legend = [
        Patch(color=_POLE_COLOURS[0], label=f"{ANSWER} (95% interval)"),
        Patch(color=_POLE_COLOURS[1], label="closest party"),
    ]
    for scoring, marker, colour in ((EXPECTED, "D", "black"), (UNIFORM, "|", "#d62728")):
        column = scoring_key(scoring, "agreement")
        if shown and column in shown[0]:
            axes.scatter(
                [row[column] for row in shown],
                positions,
                marker=marker,
                color=colour,
                s=160 if marker == "|" else 18,
                linewidths=2,
                zorder=3,
            )
            legend.append(
                Line2D(
                    [],
                    [],
                    marker=marker,
                    color=colour,
                    linestyle="none",
                    label=f"{scoring} answer" if scoring == UNIFORM else scoring,
                )
            )
    axes.legend(handles=legend, loc="lower right", fontsize=8)
    axes.set_yticks(positions, [row["party"] for row in shown], fontsize=7)
    axes.set_ylim(max(len(shown), 1) - 0.5, -0.5)
    axes.set_xlim(0, 100)
    axes.set_xlabel("agreement (%)")
    heading = "; ".join(f"{scoring}: {party or 'no thesis answered'}" for scoring, party in closest.items())
    axes.set_title(f"{title}\nclosest party — {heading}", fontsize=10)
    figure.tight_layout()
    return figure


def save(figure, path: Path) -> None:
    """Write ``figure`` as PNG at ``DPI`` and close it."""
    import matplotlib.pyplot as plt

    figure.savefig(path, dpi=DPI)
    plt.close(figure)


def figure_of(kind: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=SIZES[kind])
