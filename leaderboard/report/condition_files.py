"""The files of a model's cross-condition metrics (a family declaration's ``conditions``, e.g.
MENAValues' FCS, SPD, CLCS and logit leakage): the table (Markdown, LaTeX; every number in full
in CSV) and grouped bars per country (PNG)."""

from __future__ import annotations

from pathlib import Path

from .plots import grouped_bar_chart
from .tables import Table, rows_table, write_csv, write_latex

HEADING = "conditions"
FILES = {"table": "conditions.md", "LaTeX": "conditions.tex", "CSV": "conditions.csv", "chart": "conditions.png"}
COLUMNS = ["metric", "setting", "country", "mean", "n_pairs", "n_skipped", "n_refusals", "n_leaked"]
_INTERVAL = {"mean": ("ci_low", "ci_high")}


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
    table = _table(bars, f"{title}: per country and setting, the mean with its 95 % interval", COLUMNS)
    lines = [f"# {title}", "", *_summary_lines(report), "", tasks, "", *table.markdown(), ""]
    lines.append(f"![chart]({FILES['chart']})")
    (folder / FILES["table"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_latex([table], folder / FILES["LaTeX"], context=f"{report.model}-conditions")
    return FILES


def index_lines(report, links: str, title: str) -> list[str]:
    """The model's section of the index (below its heading): the macro means."""
    macro = [
        {**row, "setting": metric.setting_label}
        for metric in report.metrics
        for row in metric.rows()[-1:]  # the macro row comes last
    ]
    columns = [column for column in COLUMNS if column != "country"]
    table = _table(macro, f"{title}: macro means over countries", columns)
    return [*_summary_lines(report), "", *table.markdown(), "", f"Per country: {links}"]


def _table(rows: list[dict], caption: str, columns: list[str]) -> Table:
    return rows_table("conditions", caption, rows, columns, intervals=_INTERVAL)


def _summary_lines(report) -> list[str]:
    return [
        *(f"- {method}." for method in report.methods()),
        f"- From {len(report.sources)} condition tasks of the runs " + ", ".join(report.runs) + ".",
    ]
