"""The files of an instrument task: its scores (CSV, Markdown) and the instrument's picture (PNG):
its declaration's picture of an axis result (the compass of PCT, the split axes of 8values and
SapplyValues) or the parties of a party-agreement instrument (Wahl-O-Mat)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.intervals import POLICY
from opinionbench.tasks.common.instruments import Compass

from .instrument_plots import compass_figure, compass_points, party_figure, save, split_axes_figure
from .instrument_report import UNIFORM, InstrumentReport
from .tables import comparison_table, estimate_cell, markdown_table, write_csv

TABLES = {"table": "scores.md", "CSV": "scores.csv"}


def write_files(report: InstrumentReport, folder: Path, title: str) -> dict[str, str]:
    """Write the task's files into ``folder``; returns ``{link text: file name}``."""
    rows = report.rows()
    write_csv(rows, folder / TABLES["CSV"])
    if report.parties:
        picture, figure = "parties.png", party_figure(report, title=title)
    elif isinstance(report.family.instrument.picture, Compass):
        picture = "compass.png"
        figure = compass_figure(report.family.instrument.picture, compass_points([("", report)]), title=title)
    else:
        picture, figure = "axes.png", split_axes_figure(report, title=title)
    save(figure, folder / picture)
    markdown = [f"# {title}", "", *_summary_lines(report), "", *markdown_table(rows), "", f"![{picture}]({picture})"]
    markdown += ["", "Every summary number of the task:", "", *comparison_table(report.scores)]
    (folder / TABLES["table"]).write_text("\n".join(markdown) + "\n", encoding="utf-8")
    return {**TABLES, picture.removesuffix(".png"): picture}


def index_lines(report: InstrumentReport, links: str) -> list[str]:
    """The task's section of the index (below its heading)."""
    return [*_summary_lines(report), "", f"Files: {links}"]


def _summary_lines(report: InstrumentReport) -> list[str]:
    method = f"{report.family.title}, {report.scores.n_documents} statements: *answer* scores "
    if report.generative:
        method += "the parsed answer of each statement (unanswered ones as the instrument counts a skipped one)"
        extra = [f"- {key} {estimate_cell(report.scores, key)}." for key in ("valid_answer_rate", "refusal_rate")]
    else:
        method += (
            "the most probable option of each statement, *expected* the expected score under the model's "
            "probabilities over the options"
        )
        extra = [f"- option_mass {estimate_cell(report.scores, 'option_mass')} (probability on the option numbers)."]
    if report.baseline:
        method += f", *{UNIFORM}* the expected score of a uniform answer over the options (the baseline)"
    method += f". Intervals (`_ci_low`, `_ci_high`, [low, high]): {POLICY.method('statements')}."
    return [f"- {method}", f"- {report.headline()}.", *extra, f"- {report.scores.comparison()}"]
