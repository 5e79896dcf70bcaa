"""Tables of the report: CSV files and Markdown tables from rows (dicts), the summary numbers of a
task with their 95 % intervals and standard errors, and the cells and columns of those intervals."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from opinionbench.lm_eval_outputs import COUNT_SUFFIX

from .rescoring import RescoredTask

INTERVAL = ("ci_low", "ci_high")  # the columns of a 95 % interval


def write_csv(rows: list[dict], path: Path) -> None:
    """``rows`` as CSV, the first row's keys as the header; NaN and ``None`` as empty cells."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({key: _csv_value(value) for key, value in row.items()} for row in rows)


def markdown_table(rows: list[dict], columns: list[str] | None = None) -> list[str]:
    """The lines of a Markdown table of ``columns`` (default: the first row's keys)."""
    columns = columns or list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    return lines + ["| " + " | ".join(cell(row[key]) for key in columns) + " |" for row in rows]


def comparison_table(scores: RescoredTask) -> list[str]:
    """Every summary number once, as ``value [low, high]`` (its 95 % interval), with its standard
    error and, where the task reports one, the uniform answer's number beside it."""
    rows = []
    for key in scores.summary:
        if key.startswith("uniform_"):
            continue
        uniform = f"uniform_{key}"
        rows.append(
            {
                "metric": key,
                "value [95% CI]": estimate_cell(scores, key),
                "stderr": scores.stderrs.get(key),
                "uniform answer": estimate_cell(scores, uniform) if uniform in scores.summary else None,
            }
        )
    return markdown_table(rows)


def interval_cell(scores: RescoredTask, key: str) -> str | None:
    """``[low, high]`` of ``key``'s 95 % interval (None for a key without one)."""
    found = scores.estimates.get(key)
    return None if found is None else f"[{cell(found.ci_low)}, {cell(found.ci_high)}]"


def estimate_cell(scores: RescoredTask, key: str) -> str:
    """``value [low, high]``: ``key``'s number and its 95 % interval; counts as whole numbers."""
    value = scores.summary.get(key, math.nan)
    if key.endswith(COUNT_SUFFIX) and math.isfinite(value):
        return str(int(value))
    interval = interval_cell(scores, key)
    return cell(value) + ("" if interval is None else f" {interval}")


def interval_columns(scores: RescoredTask, key: str, name: str | None = None) -> dict:
    """CSV/table columns ``<name>_ci_low`` and ``<name>_ci_high`` (default name: ``key``) of
    ``key``'s 95 % interval (NaN when absent)."""
    found = scores.estimates.get(key)
    values = (math.nan, math.nan) if found is None else (found.ci_low, found.ci_high)
    return {f"{name or key}_{column}": value for column, value in zip(INTERVAL, values)}


def cell(value) -> str:
    """A Markdown cell: floats with 4 decimals, NaN as n/a, ``None`` empty."""
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.4f}"
    return "" if value is None else str(value)


def _csv_value(value):
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value
