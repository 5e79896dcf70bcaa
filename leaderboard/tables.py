"""Tables of the report: CSV files and Markdown tables from rows (dicts), and the comparison of
the recomputed summary numbers with lm-eval's table."""

from __future__ import annotations

import csv
import math
from pathlib import Path

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
    """Every summary number, recomputed and as in lm-eval's table."""
    rows = [
        {"metric": key, "recomputed": value, "lm-eval": scores.lm_eval_summary.get(key, math.nan)}
        for key, value in scores.summary.items()
    ]
    return markdown_table(rows)


def cell(value) -> str:
    """A Markdown cell: floats with 4 decimals, NaN as n/a, ``None`` empty."""
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.4f}"
    return "" if value is None else str(value)


def _csv_value(value):
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value
