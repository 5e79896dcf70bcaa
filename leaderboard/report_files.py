"""``opinionbench report``: per-country tables (CSV, Markdown) and plots for every run and task."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from opinionbench.atomic import atomic_folder

from .country_report import TaskReport
from .plots import interactive_page, ranked_bar_chart

HEADING = "# OpinionBench report"
# The files written per run and task, with the name the index links them by.
FILES = {"table": "countries.md", "CSV": "countries.csv", "chart": "countries.png", "interactive": "countries.html"}


def write_report(reports: list[tuple[str, TaskReport]], out_dir: str | Path) -> Path:
    """Write every ``(run label, report)`` into ``out_dir/<run label>/<task>/`` and an index README.md."""
    index = [HEADING, ""]
    with atomic_folder(out_dir, ours=_is_report) as staging:
        for label, report in reports:
            folder = staging / _safe_name(label) / _safe_name(report.task)
            folder.mkdir(parents=True)
            rows = report.country_rows()
            title = f"{report.task} — {report.model}"
            _write_csv(rows, folder / FILES["CSV"])
            (folder / FILES["table"]).write_text(_markdown(report, rows, title), encoding="utf-8")
            ranked_bar_chart(rows, folder / FILES["chart"], title=title)
            interactive_page(rows, folder / FILES["interactive"], title=title, summary_lines=_summary_lines(report))
            relative = folder.relative_to(staging).as_posix()
            links = ", ".join(f"[{label}]({relative}/{name})" for label, name in FILES.items())
            index += [f"## {title}", "", *_summary_table(report), "", f"Per country: {links}", ""]
        (staging / "README.md").write_text("\n".join(index), encoding="utf-8")
    return Path(out_dir)


def _write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({key: _csv_value(value) for key, value in row.items()} for row in rows)


def _markdown(report: TaskReport, rows: list[dict], title: str) -> str:
    columns = [key for key in rows[0] if key != "wasserstein_items"]
    lines = [f"# {title}", "", *_summary_lines(report, bullet=True), "", *_summary_table(report), ""]
    lines += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row[key]) for key in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _summary_lines(report: TaskReport, bullet: bool = False) -> list[str]:
    first = "- " if bullet else ""
    summary = report.summary
    method = (
        f"{report.n_documents} questions scored; similarity is 1 - Jensen-Shannon distance (base 2) between "
        "the model's and each country's answer distribution, averaged per country over the questions it "
        "answered; intervals: 95% percentile bootstrap over questions."
    )
    headline = (
        f"macro mean over countries {summary['js_similarity']:.4f} "
        f"(uniform answer {summary.get('uniform_js_similarity', math.nan):.4f}); "
        f"option_mass {summary.get('option_mass', math.nan):.4f}."
    )
    lines = [first + method, first + headline]
    if report.mismatches():
        lines.append(f"{first}MISMATCH with lm-eval's table: " + "; ".join(report.mismatches()))
    return lines


def _summary_table(report: TaskReport) -> list[str]:
    lines = ["| metric | recomputed | lm-eval |", "|---|---|---|"]
    for key, value in report.summary.items():
        lines.append(f"| {key} | {_cell(value)} | {_cell(report.lm_eval_summary.get(key, math.nan))} |")
    return lines


def _cell(value) -> str:
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.4f}"
    return "" if value is None else str(value)


def _csv_value(value):
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _safe_name(text: str) -> str:
    """A file name from a model or task name (no separators, no leading dot)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).lstrip(".") or "_"


def _is_report(folder: Path) -> bool:
    readme = folder / "README.md"
    return readme.is_file() and readme.read_text(encoding="utf-8").startswith(HEADING)
