"""The files of a model's cross-condition metrics (a family declaration's ``conditions``, e.g.
MENAValues' FCS, SPD, CLCS and logit leakage): the table (CSV, Markdown) and grouped bars per
country (PNG)."""

from __future__ import annotations

from pathlib import Path

from .plots import grouped_bar_chart
from .tables import markdown_table, write_csv

FILES = {"table": "conditions.md", "CSV": "conditions.csv", "chart": "conditions.png"}
MACRO_COLUMNS = ("mean", "ci_low", "ci_high", "n_pairs", "n_skipped")


def folder_name(family: str) -> str:
    """The folder of a family's cross-condition metrics, per model beside its runs' folders."""
    return f"{family}_conditions"


def write_files(report, folder: Path, title: str) -> dict[str, str]:
    """Write the model's files into ``folder``; returns ``{link text: file name}``."""
    rows = report.rows()
    write_csv(rows, folder / FILES["CSV"])
    bars = [
        {**row, "panel": f"{metric.comparison.metric}: {metric.comparison.label}", "setting": metric.setting_label}
        for metric in report.metrics
        for row in metric.rows()
    ]
    grouped_bar_chart(
        bars,
        folder / FILES["chart"],
        title=title,
        panel="panel",
        group="country",
        series="setting",
        ylabel="score (leakage: %)",
        upper=100.0,
    )
    tasks = "Tasks: " + ", ".join(f"{run}/{task}" for run, task in report.sources) + "."
    lines = [f"# {title}", "", *_summary_lines(report), "", tasks, "", *markdown_table(rows), ""]
    lines.append(f"![chart]({FILES['chart']})")
    (folder / FILES["table"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return FILES


def index_lines(report, links: str) -> list[str]:
    """The model's section of the index (below its heading): the macro means."""
    macro = [
        {
            "metric": metric.comparison.metric,
            "setting": metric.setting_label,
            "macro mean": row["mean"],
            **{column: row[column] for column in MACRO_COLUMNS[1:]},
        }
        for metric in report.metrics
        for row in metric.rows()[-1:]  # the macro row comes last
    ]
    return [*_summary_lines(report), "", *markdown_table(macro), "", f"Per country: {links}"]


def _summary_lines(report) -> list[str]:
    return [
        *(f"- {method}." for method in report.methods()),
        f"- From {len(report.sources)} condition tasks of the runs " + ", ".join(report.runs) + ".",
    ]
