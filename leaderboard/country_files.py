"""The files of a survey-distribution task: per-country table (CSV, Markdown), ranked bar chart
(PNG) and interactive page (HTML)."""

from __future__ import annotations

import math
from pathlib import Path

from .country_report import CountryReport
from .plots import interactive_page, ranked_bar_chart
from .tables import comparison_table, markdown_table, write_csv

# The files written per run and task, with the name the index links them by.
FILES = {"table": "countries.md", "CSV": "countries.csv", "chart": "countries.png", "interactive": "countries.html"}


def write_files(report: CountryReport, folder: Path, title: str) -> dict[str, str]:
    """Write the task's files into ``folder``; returns ``{link text: file name}``."""
    rows = report.country_rows()
    write_csv(rows, folder / FILES["CSV"])
    (folder / FILES["table"]).write_text(_markdown(report, rows, title), encoding="utf-8")
    ranked_bar_chart(rows, folder / FILES["chart"], title=title)
    interactive_page(rows, folder / FILES["interactive"], title=title, summary_lines=_summary_lines(report))
    return FILES


def index_lines(report: CountryReport, links: str) -> list[str]:
    """The task's section of the index (below its heading)."""
    return [*comparison_table(report.scores), "", f"Per country: {links}"]


def _markdown(report: CountryReport, rows: list[dict], title: str) -> str:
    columns = [key for key in rows[0] if key != "wasserstein_items"]
    lines = [f"# {title}", "", *_summary_lines(report, bullet=True), "", *comparison_table(report.scores), ""]
    return "\n".join([*lines, *markdown_table(rows, columns)]) + "\n"


def _summary_lines(report: CountryReport, bullet: bool = False) -> list[str]:
    first = "- " if bullet else ""
    summary = report.scores.summary
    method = (
        f"{report.scores.n_documents} questions scored; similarity is 1 - Jensen-Shannon distance (base 2) between "
        "the model's and each country's answer distribution, averaged per country over the questions it "
        "answered; intervals: 95% percentile bootstrap over questions."
    )
    headline = (
        f"macro mean over countries {summary['js_similarity']:.4f} "
        f"(uniform answer {summary.get('uniform_js_similarity', math.nan):.4f}); "
        f"option_mass {summary.get('option_mass', math.nan):.4f}."
    )
    lines = [first + method, first + headline]
    if report.scores.mismatches():
        lines.append(f"{first}MISMATCH with lm-eval's table: " + "; ".join(report.scores.mismatches()))
    return lines
