"""Pictures of a persona task (PNG): on a compass (PCT) one point per persona value, the base case a
star, its templates' positions as small faint points of the same colour; for split-axes
instruments (8values, SapplyValues) one panel per axis with a dot and interval per persona value.

Each persona value's marker is its own scatter collection labelled by the value (``base case``,
``age: 18``), its templates' collection ``"<label> templates"``.
"""

from __future__ import annotations

import math

from .instrument_plots import CompassPoint, compass_axes, error_bars
from .persona_report import BASE_LABEL, PersonaReport
from .plots import _pyplot

TEMPLATE_ALPHA = 0.35
_MARKERS = {True: ("*", 320), False: ("o", 90)}  # base case or not: marker and size


def persona_compass_figure(report: PersonaReport, *, title: str):
    """The compass of ``report``'s persona values (its family's picture is a compass)."""
    picture = report.family.instrument.picture
    colours = _pyplot().get_cmap("tab10")
    figure, axes = compass_axes(picture)
    handles = []
    for index, row in enumerate(report.persona_rows()):
        colour = colours(index % 10)
        templates = report.template_positions(row["persona"])
        axes.scatter(
            templates[picture.x],
            templates[picture.y],
            s=22,
            color=[colour],
            alpha=TEMPLATE_ALPHA,
            zorder=2,
            label=f"{row['label']} templates",
        )
        point = CompassPoint(
            row["label"], "persona", row[picture.x], row[picture.y], _pair(row, picture.x), _pair(row, picture.y)
        )
        error_bars(axes, point, colour)
        marker, size = _MARKERS[row["base_case"]]
        handle = axes.scatter(
            [point.x],
            [point.y],
            s=size,
            marker=marker,
            color=[colour],
            edgecolors="black",
            linewidths=1,
            zorder=4,
            label=row["label"],
        )
        handles.append(handle)
        axes.annotate(row["label"], (point.x, point.y), xytext=(7, 7), textcoords="offset points", fontsize=8)
    axes.set_title(f"{title}\n{_legend_note(report)}", fontsize=9)
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), fontsize=7, ncol=3, frameon=False)
    figure.tight_layout()
    return figure


def persona_axes_figure(report: PersonaReport, *, title: str):
    """One panel per axis: per persona value (the base case on top, a star) the left pole's share
    (%) of its position with its 95 % interval, its templates' positions as faint points."""
    plt = _pyplot()
    picture = report.family.instrument.picture
    rows = report.persona_rows()
    colours = plt.get_cmap("tab10")
    figure, panels = plt.subplots(
        len(report.axes), 1, figsize=(9, 1.2 + len(report.axes) * (0.9 + 0.35 * len(rows))), squeeze=False
    )
    for axis, panel in zip(report.axes, panels[:, 0]):
        left, right = picture.poles[axis]
        for place, row in enumerate(rows):
            colour = colours(place % 10)
            shares = [picture.left_share(float(value)) for value in report.template_positions(row["persona"])[axis]]
            panel.scatter(shares, [place] * len(shares), s=22, color=[colour], alpha=TEMPLATE_ALPHA, zorder=2)
            share = picture.left_share(row[axis])
            interval = _pair(row, axis)
            if interval and all(map(math.isfinite, interval)):
                low, high = sorted(map(picture.left_share, interval))
                panel.errorbar(
                    [share], [place], xerr=[[max(share - low, 0)], [max(high - share, 0)]], fmt="none", ecolor=colour
                )
            marker, size = _MARKERS[row["base_case"]]
            panel.scatter([share], [place], s=size, marker=marker, color=[colour], edgecolors="black", zorder=4)
        panel.set_yticks(range(len(rows)), [row["label"] for row in rows], fontsize=8)
        panel.set_ylim(len(rows) - 0.5, -0.5)
        panel.set_xlim(0, 100)
        panel.axvline(50, color="grey", linewidth=0.8, linestyle="--")
        panel.set_title(f"{axis}: share of {left} (%), {right} on the right", fontsize=9)
    figure.suptitle(f"{title}\n{_legend_note(report)}", fontsize=9)
    figure.tight_layout()
    return figure


def _pair(row: dict, column: str) -> tuple[float, float] | None:
    low, high = row[f"{column}_ci_low"], row[f"{column}_ci_high"]
    return None if math.isnan(low) or math.isnan(high) else (low, high)


def _legend_note(report: PersonaReport) -> str:
    bars = "95% intervals" if any(report.has_interval(p) for p in report.personas) else "no intervals (one template)"
    return f"star: {BASE_LABEL}; large: mean over templates; faint: each template; bars: {bars}"
