"""The persona tasks of an instrument on the site (Wright et al., "LLM Tropes", 2024), apart from
its ordinary rows: their lm-eval numbers labelled as the base case averaged over templates, and
per entry with a samples log (:class:`~opinionbench.leaderboard.report.persona_report.PersonaReport`)
the compass (or, for split axes, a dot per axis) with one point per persona value, the base case
a star, its templates faint; the per-persona table with the spread over templates; and per model
the open-vs-closed TVD per persona value."""

from __future__ import annotations

import math

from opinionbench.tasks.common.instruments import Compass
from opinionbench.tasks.common.persona_conditions import OpenClosedReport, reports_personas

from ..report.persona_report import BASE_LABEL, PersonaReport
from .compass import SIZE, compass_frame, x_of, y_of
from .html import Number, esc, table
from .ingest import Entry
from .samples import SampleResults

CAPTION = (
    "Persona tasks (Wright et al., LLM Tropes, 2024): not plain runs of the instrument. Their axes are the "
    f"{BASE_LABEL} averaged over its templates; persona_shift the mean distance of the persona values from it; "
    "persona_variance_share the persona's share of the positions' variance"
)
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
_AXIS_ROW = 46  # pixels per axis of the split-axes chart


def is_persona_entry(entry: Entry, samples: SampleResults) -> bool:
    """Whether the entry is a persona task: by its samples log, or by its lm-eval numbers without one."""
    return entry in samples.personas or reports_personas(entry.metrics())


def persona_results(entry: Entry, report: PersonaReport) -> str:
    """The entry's picture and its per-persona table."""
    title = f"{entry.task} ({entry.model}): one point per persona value; ★ {BASE_LABEL}; faint: each template"
    picture = report.family.instrument.picture
    svg = _compass(report, picture) if isinstance(picture, Compass) else _split_axes(report, picture)
    return f'<figure class="personas"><figcaption>{esc(title)}</figcaption>{svg}</figure>' + _persona_table(report)


def open_closed_table(report: OpenClosedReport) -> str:
    """The model's open-vs-closed TVD per persona value, with the statements it averages and the rates beside it."""
    headers = ["closed task", "open task", "persona", "TVD", "statements", "closed invalid", "closed refusal"]
    headers.append("open none")
    rows = [
        [
            row["closed_task"],
            row["open_task"],
            _persona_label(row),
            Number(row["tvd"]),
            row["n_statements"],
            Number(row["closed_invalid_rate"]),
            Number(row["closed_refusal_rate"]),
            Number(row["open_none_rate"]),
        ]
        for row in report.rows()
    ]
    caption = f"Open-vs-closed TVD per persona value ({report.model}; 0: the same answer sides, 1: none shared)"
    return table(headers, rows, caption=caption)


def _persona_table(report: PersonaReport) -> str:
    axes = report.axes
    headers = ["persona", "templates", *axes, "shift distance", *(f"{axis} SD over templates" for axis in axes)]
    headers.append("answered")
    answered = {row["persona"]: row["answered_rate"] for row in report.status_rows()}
    rows = []
    for row in report.persona_rows():
        cells = [_persona_label(row), row["templates"]]
        cells += [_number(row, column) for column in (*axes, "shift_distance")]
        cells += [Number(row[f"{axis}_sd"]) for axis in axes]
        rows.append([*cells, Number(answered[row["persona"]])])
    return table(headers, rows, caption=f"{report.scores.task}: per persona value (mean over its templates)")


def _compass(report: PersonaReport, picture: Compass) -> str:
    marks = []
    for index, row in enumerate(report.persona_rows()):
        colour = _COLOURS[index % len(_COLOURS)]
        positions = report.template_positions(row["persona"])
        for x, y in zip(positions[picture.x], positions[picture.y]):
            marks.append(
                f'<circle class="persona-template" cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="3" fill="{colour}" '
                f'fill-opacity="0.35"><title>{esc(row["label"])}, one template</title></circle>'
            )
        text = f"{row['label']}: " + ", ".join(_value_text(row, axis) for axis in (picture.x, picture.y))
        marks.append(_mark(x_of(row[picture.x]), y_of(row[picture.y]), colour, row, text))
    return compass_frame(picture, "".join(marks), f"{report.scores.task}: persona values") + _legend(report)


def _split_axes(report: PersonaReport, picture) -> str:
    """Per axis a line from its left pole (0 %) to its right pole (100 % on the right), one mark per persona value."""
    width, left = SIZE + 160, 80
    marks = []
    for place, axis in enumerate(report.axes):
        y = 24 + place * _AXIS_ROW
        low, high = picture.poles[axis]
        marks.append(
            f'<line x1="{left}" y1="{y}" x2="{left + SIZE}" y2="{y}" stroke="#333"/>'
            f'<text x="{left - 4}" y="{y + 4}" text-anchor="end" font-size="11">{esc(low)}</text>'
            f'<text x="{left + SIZE + 4}" y="{y + 4}" font-size="11">{esc(high)}</text>'
            f'<text x="{left + SIZE / 2}" y="{y - 10}" text-anchor="middle" font-size="11">{esc(axis)}</text>'
        )
        for index, row in enumerate(report.persona_rows()):
            colour = _COLOURS[index % len(_COLOURS)]
            for value in report.template_positions(row["persona"])[axis]:
                x = left + (100 - picture.left_share(float(value))) / 100 * SIZE
                marks.append(
                    f'<circle class="persona-template" cx="{x:.1f}" cy="{y}" r="3" fill="{colour}" fill-opacity="0.35"/>'
                )
            x = left + (100 - picture.left_share(row[axis])) / 100 * SIZE
            marks.append(_mark(x, y, colour, row, f"{row['label']}: {_value_text(row, axis)}"))
    height = 24 + len(report.axes) * _AXIS_ROW
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{esc(report.scores.task)}: persona values per axis">{"".join(marks)}</svg>'
    ) + _legend(report)


def _mark(x: float, y: float, colour: str, row: dict, text: str) -> str:
    """A persona value's mark: a star for the base case, else a dot (``data-persona`` its id)."""
    attributes = f'class="persona-point" data-persona="{esc(row["persona"])}" fill="{colour}" stroke="#000"'
    title = f"<title>{esc(text)}</title>"
    if row["base_case"]:
        points = " ".join(
            f"{x + radius * math.sin(math.pi * k / 5):.1f},{y - radius * math.cos(math.pi * k / 5):.1f}"
            for k in range(10)
            for radius in ((9 if k % 2 == 0 else 4),)
        )
        return f'<polygon {attributes} data-base-case="true" points="{points}">{title}</polygon>'
    return f'<circle {attributes} cx="{x:.1f}" cy="{y:.1f}" r="6">{title}</circle>'


def _legend(report: PersonaReport) -> str:
    items = "".join(
        f'<li><span style="color:{_COLOURS[index % len(_COLOURS)]}">{"&#9733;" if row["base_case"] else "&#9679;"}'
        f"</span> {esc(row['label'])}</li>"
        for index, row in enumerate(report.persona_rows())
    )
    return f'<ul class="legend">{items}</ul>'


def _persona_label(row: dict) -> str:
    return f"★ {row['label']}" if row["base_case"] else row["label"]


def _number(row: dict, column: str):
    value = row.get(column)
    return None if value is None else Number(value, row[f"{column}_ci_low"], row[f"{column}_ci_high"])


def _value_text(row: dict, axis: str) -> str:
    low, high = row[f"{axis}_ci_low"], row[f"{axis}_ci_high"]
    interval = f" [{low:.2f}, {high:.2f}]" if math.isfinite(low) and math.isfinite(high) else ""
    return f"{axis} {row[axis]:.2f}{interval}"
