"""The files of a persona task: per persona value its position and shift from the base case, per
(persona, template) its position, the spread over templates, the variance shares and the answer
statuses (Markdown, LaTeX; every number in full in CSV), and the picture (PNG): a compass with one
point per persona value, or per-axis dots for split-axes instruments."""

from __future__ import annotations

from pathlib import Path

from opinionbench.intervals import POLICY
from opinionbench.tasks.common.instruments import Compass
from opinionbench.tasks.common.persona_scoring import STATUSES

from .instrument_plots import save
from .persona_plots import persona_axes_figure, persona_compass_figure
from .persona_report import BASE_LABEL, PersonaReport
from .tables import Table, comparison_table, rows_table, write_csv, write_latex

TABLES = {
    "table": "personas.md",
    "LaTeX": "personas.tex",
    "CSV": "personas.csv",
    "templates CSV": "templates.csv",
    "statuses CSV": "statuses.csv",
    "variance CSV": "variance.csv",
}


def write_files(report: PersonaReport, folder: Path, title: str) -> dict[str, str]:
    """Write the task's files into ``folder``; returns ``{link text: file name}``."""
    personas, conditions = report.persona_rows(), report.condition_rows()
    statuses, variance = report.status_rows(), report.variance_rows()
    for rows, name in ((personas, "CSV"), (conditions, "templates CSV"), (statuses, "statuses CSV")):
        write_csv(rows, folder / TABLES[name])
    write_csv(variance, folder / TABLES["variance CSV"])
    if isinstance(report.family.instrument.picture, Compass):
        picture, figure = "compass.png", persona_compass_figure(report, title=title)
    else:
        picture, figure = "axes.png", persona_axes_figure(report, title=title)
    save(figure, folder / picture)
    tables = tables_of(report, title)
    markdown = [f"# {title}", "", *report.scores.run_lines(), "", *_summary_lines(report), ""]
    for table in tables[:1]:
        markdown += [*table.markdown(), ""]
    markdown += [f"![{picture}]({picture})", ""]
    for table in tables[1:]:
        markdown += [f"{table.caption}:", "", *table.markdown(), ""]
    (folder / TABLES["table"]).write_text("\n".join(markdown) + "\n", encoding="utf-8")
    write_latex(tables, folder / TABLES["LaTeX"], context=f"{report.scores.model}-{report.scores.task}")
    return {**TABLES, picture.removesuffix(".png"): picture}


def tables_of(report: PersonaReport, title: str) -> list[Table]:
    """The persona values, the conditions, the spread, the variance shares, the statuses and lm-eval's numbers."""
    axes = report.axes
    shifts = [f"shift_{name}" for name in (*axes, "distance")]
    spread = [f"{axis}_{end}" for axis in axes for end in ("min", "max", "sd")]
    rates = [f"{status}_rate" for status in STATUSES]
    return [
        rows_table(
            "personas",
            f"{title}: per persona value its position (mean over its templates) and its shift from the {BASE_LABEL}, "
            "each with its 95 % interval",
            report.persona_rows(),
            ["label", "templates", *axes, *shifts],
        ),
        rows_table(
            "templates",
            f"{title}: the position of every (persona, template)"
            + (" with its 95 % interval" if report.logprob else " (one greedy answer each: no interval)"),
            report.condition_rows(),
            ["label", "template", *axes],
        ),
        rows_table(
            "spread",
            f"{title}: per persona value the spread of its template positions (min, max, SD)",
            report.persona_rows(),
            ["label", "templates", *spread],
            plain=spread,
        ),
        rows_table(
            "variance",
            f"{title}: per axis the share of the condition positions' variance the persona and the template explain",
            report.variance_rows(),
            ["axis", "persona_share", "template_share"],
        ),
        rows_table(
            "statuses",
            f"{title}: per persona value its answers by status (counts, then shares)",
            report.status_rows(),
            ["label", "answers", *STATUSES, *rates],
            plain=rates,
        ),
        comparison_table(report.scores, title),
    ]


def index_lines(report: PersonaReport, links: str, title: str) -> list[str]:
    """The task's section of the index (below its heading)."""
    return [*_summary_lines(report), "", f"Files: {links}"]


def _summary_lines(report: PersonaReport) -> list[str]:
    mode = "the log-likelihoods of the options" if report.logprob else "the generated answers"
    return [
        (
            f"- {report.family.title} asked under persona conditions (Wright et al., LLM Tropes, 2024), scored from "
            f"{mode}: each (persona, template) is scored by the instrument on its own, a persona value's position "
            "is the mean over its templates; never one answer set of all conditions."
        ),
        f"- {report.headline()}.",
        (
            f"- lm-eval's table: {', '.join(report.axes)} are the {BASE_LABEL} averaged over its templates; "
            "persona_shift is the mean distance of the persona values from it; persona_variance_share the persona's "
            "share of the positions' variance, mean over axes."
        ),
        f"- Intervals ([low, high]; `_ci_low`, `_ci_high` in the CSV): {_interval_method(report)}.",
        f"- {report.scores.comparison()}",
    ]


def _interval_method(report: PersonaReport) -> str:
    if report.logprob:
        return f"{POLICY.answer_method()}, per condition and per persona value"
    return (
        "each statement's answer drawn from the persona's answers over its templates (the templates as repeats; "
        f"{POLICY.n_resamples} answer sets, seed {POLICY.random_state}); a persona value asked under one "
        "template has none (n/a)"
    )
