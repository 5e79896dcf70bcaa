"""Tables of the report: CSV files and Markdown tables from rows (dicts), the comparison of
the recomputed summary numbers with lm-eval's table, and the cells and columns of their 95 %
intervals."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from opinionbench.lm_eval_outputs import BOUNDS, is_bound

from .rescoring import RescoredTask


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
    """Every summary number with its 95 % interval, recomputed and as in lm-eval's table, and
    beside it the uniform answer's number where the task reports one."""
    rows = []
    for key, value in scores.summary.items():
        if is_bound(key):
            continue
        uniform = f"uniform_{key}"
        rows.append(
            {
                "metric": key,
                "recomputed": value,
                "95% CI": interval_cell(scores.summary, key),
                "lm-eval": scores.lm_eval_summary.get(key, math.nan),
                "lm-eval 95% CI": interval_cell(scores.lm_eval_summary, key),
                "uniform answer": estimate_cell(scores.summary, uniform) if uniform in scores.summary else None,
            }
        )
    return markdown_table(rows)


def interval_cell(summary: dict, key: str) -> str | None:
    """``[low, high]`` of ``key``'s 95 % interval in ``summary`` (None for a key without one)."""
    low, high = (summary.get(f"{key}_{bound}") for bound in BOUNDS)
    return None if low is None or high is None else f"[{cell(low)}, {cell(high)}]"


def estimate_cell(summary: dict, key: str) -> str:
    """``value [low, high]``: ``key``'s number in ``summary`` and its 95 % interval."""
    interval = interval_cell(summary, key)
    return cell(summary.get(key, math.nan)) + ("" if interval is None else f" {interval}")


def interval_columns(summary: dict, key: str, name: str | None = None) -> dict:
    """CSV/table columns ``<name>_ci_low`` and ``<name>_ci_high`` (default name: ``key``) of
    ``key``'s interval in ``summary`` (NaN when absent)."""
    return {f"{name or key}_{bound}": summary.get(f"{key}_{bound}", math.nan) for bound in BOUNDS}


def cell(value) -> str:
    """A Markdown cell: floats with 4 decimals, NaN as n/a, ``None`` empty."""
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.4f}"
    return "" if value is None else str(value)


def _csv_value(value):
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value
