"""Tables of the report: CSV files of full-precision rows, and :class:`Table`, the compact table
a reader pastes (each number as ``value [low, high]``, its 95 % interval; counts as whole numbers),
written as Markdown and, through pandas, as LaTeX.

Numbers show 4 decimals in a column (or row) whose values all lie within [-1, 1], 3 when they lie
within (-10, 10), else 2: a similarity reads ``0.6652 [0.5492, 0.7860]``, a KL divergence or a
compass coordinate ``1.290 [1.240, 1.340]``, an NVAS or a party agreement ``74.20 [58.27, 88.12]``.
"""

from __future__ import annotations

import csv
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from opinionbench.lm_eval_outputs import COUNT_SUFFIX

from .rescoring import RescoredTask

INTERVAL = ("ci_low", "ci_high")  # the columns of a 95 % interval
_NUMERIC_CELL = re.compile(r"^(-?\d|n/a$)")
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Table:
    """A table as its cells: ``name`` identifies it in its file (the LaTeX label), ``caption`` says
    what it holds."""

    name: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def markdown(self) -> list[str]:
        """The lines of the Markdown table."""
        lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        return lines + ["| " + " | ".join(row) + " |" for row in self.rows]

    def latex(self, label: str) -> str:
        """A LaTeX ``table`` (booktabs rules) of the same cells, from pandas, every cell escaped."""
        import pandas

        frame = pandas.DataFrame(list(self.rows), columns=list(self.columns))
        return frame.to_latex(
            index=False,
            escape=True,
            caption=_latex_text(self.caption),
            label=label,
            column_format=self._column_format(),
        )

    def _column_format(self) -> str:
        numeric = [
            all(_NUMERIC_CELL.match(row[i]) or not row[i] for row in self.rows) for i in range(len(self.columns))
        ]
        return "".join("r" if flag else "l" for flag in numeric)


def write_latex(tables: Sequence[Table], path: Path, *, context: str) -> None:
    """Every table of one report file in ``path`` (``.tex``), labelled ``tab:<context>:<name>``."""
    label = re.sub(r"[^A-Za-z0-9-]+", "-", context).strip("-")
    header = "% OpinionBench report tables; \\usepackage{booktabs}\n"
    path.write_text(header + "\n".join(table.latex(f"tab:{label}:{table.name}") for table in tables), encoding="utf-8")


def write_csv(rows: list[dict], path: Path) -> None:
    """``rows`` as CSV, the first row's keys as the header; NaN and ``None`` as empty cells."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({key: _csv_value(value) for key, value in row.items()} for row in rows)


def rows_table(
    name: str,
    caption: str,
    rows: list[dict],
    columns: Iterable[str],
    *,
    intervals: dict[str, tuple[str, str]] | None = None,
    plain: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> Table:
    """The compact table of ``columns`` of ``rows``: a column with an interval (``<column>_ci_low``
    and ``<column>_ci_high`` in the row, or the pair ``intervals[column]``) as ``value [low, high]``,
    unless it is ``plain`` (its value alone). ``headers`` renames columns."""
    columns = list(columns)
    intervals = intervals or {}
    bounds = {
        column: () if column in plain else intervals.get(column, tuple(f"{column}_{end}" for end in INTERVAL))
        for column in columns
    }
    decimals = {
        column: decimals_for(
            value for row in rows for key in (column, *bounds[column]) if isinstance(value := row.get(key), float)
        )
        for column in columns
    }
    cells = []
    for row in rows:
        line = []
        for column in columns:
            line.append(number_cell(row.get(column), decimals[column], *(row.get(key) for key in bounds[column])))
        cells.append(tuple(line))
    renamed = tuple((headers or {}).get(column, column) for column in columns)
    return Table(name, caption, renamed, tuple(cells))


def comparison_table(scores: RescoredTask, title: str) -> Table:
    """Every summary number once, as ``value [low, high]`` (its 95 % interval), with its standard
    error and, where the task reports one, the uniform answer's number beside it (``title``: the
    task and model, as the report heads them)."""
    rows = []
    for key in scores.summary:
        if key.startswith("uniform_"):
            continue
        uniform = f"uniform_{key}"
        digits = decimals_for(_numbers(scores, key) + (_numbers(scores, uniform) if uniform in scores.summary else []))
        rows.append(
            (
                key,
                estimate_cell(scores, key, digits),
                number_cell(scores.stderrs.get(key), digits),
                estimate_cell(scores, uniform, digits) if uniform in scores.summary else "",
            )
        )
    columns = ("metric", "value [95% CI]", "stderr", "uniform answer")
    caption = f"{title}: every number of lm-eval's table, with its 95 % interval and standard error"
    return Table("summary", caption, columns, tuple(rows))


def estimate_cell(scores: RescoredTask, key: str, digits: int | None = None) -> str:
    """``value [low, high]``: ``key``'s number and its 95 % interval; counts as whole numbers."""
    value = scores.summary.get(key, math.nan)
    if key.endswith(COUNT_SUFFIX) and math.isfinite(value):
        return str(int(value))
    found = scores.estimates.get(key)
    low, high = (found.ci_low, found.ci_high) if found else (None, None)
    return number_cell(value, decimals_for(_numbers(scores, key)) if digits is None else digits, low, high)


def interval_columns(scores: RescoredTask, key: str, name: str | None = None) -> dict:
    """CSV columns ``<name>_ci_low`` and ``<name>_ci_high`` (default name: ``key``) of ``key``'s
    95 % interval (NaN when absent)."""
    found = scores.estimates.get(key)
    values = (math.nan, math.nan) if found is None else (found.ci_low, found.ci_high)
    return {f"{name or key}_{column}": value for column, value in zip(INTERVAL, values)}


def number_cell(value, digits: int = 4, low=None, high=None) -> str:
    """A cell: a whole number as itself, a float with ``digits`` decimals and its interval
    ``[low, high]`` when given, NaN as ``n/a``, ``None`` empty; text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if math.isnan(value):
        return "n/a"
    text = f"{value:.{digits}f}"
    if isinstance(low, float) and isinstance(high, float) and math.isfinite(low) and math.isfinite(high):
        text += f" [{low:.{digits}f}, {high:.{digits}f}]"
    return text


def decimals_for(values: Iterable[float]) -> int:
    """4 decimals when every finite value lies within [-1, 1], 3 within (-10, 10), else 2."""
    largest = max((abs(value) for value in values if math.isfinite(value)), default=0.0)
    return 4 if largest <= 1 else 3 if largest < 10 else 2


def _numbers(scores: RescoredTask, key: str) -> list[float]:
    found = scores.estimates.get(key)
    return [scores.summary.get(key, math.nan), *((found.ci_low, found.ci_high) if found else ())]


def _latex_text(text: str) -> str:
    """``text`` with LaTeX's special characters escaped (pandas escapes the cells, not the caption)."""
    return "".join(_LATEX_SPECIAL.get(character, character) for character in text)


def _csv_value(value):
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value
