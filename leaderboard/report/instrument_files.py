"""The files of an instrument task: its scores (Markdown, LaTeX; every number in full in CSV) and
the instrument's picture (PNG):
its declaration's picture of an axis result (the compass of PCT, the split axes of 8values and
SapplyValues) or the parties of a party-agreement instrument (Wahl-O-Mat)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.intervals import POLICY
from opinionbench.tasks.common.instruments import Compass

from .instrument_plots import compass_figure, compass_points, party_figure, save, split_axes_figure
from .instrument_report import EXPECTED, UNIFORM, InstrumentReport
from .tables import (
    Table,
    comparison_table,
    decimals_for,
    estimate_cell,
    number_cell,
    rows_table,
    write_csv,
    write_latex,
)

TABLES = {"table": "scores.md", "LaTeX": "scores.tex", "CSV": "scores.csv"}


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
    tables = [scores_table(report, rows, title), comparison_table(report.scores, title)]
    markdown = [f"# {title}", "", *report.scores.run_lines(), "", *_summary_lines(report), ""]
    markdown += [*tables[0].markdown(), "", f"![{picture}]({picture})", ""]
    markdown += ["Every summary number of the task:", "", *tables[1].markdown()]
    (folder / TABLES["table"]).write_text("\n".join(markdown) + "\n", encoding="utf-8")
    write_latex(tables, folder / TABLES["LaTeX"], context=f"{report.scores.model}-{report.scores.task}")
    return {**TABLES, picture.removesuffix(".png"): picture}


def scores_table(report: InstrumentReport, rows: list[dict], title: str) -> Table:
    """Per scoring, each axis's score with its 95 % interval (and 8values' labels and ideology);
    for the Wahl-O-Mat, per party, its agreement at the answers and in expectation with their
    intervals and rank, and the uniform answer's agreement."""
    if report.parties:
        columns = [column for column in rows[0] if not column.endswith(("_ci_low", "_ci_high"))]
        caption = f"{title}: agreement with each party (%), with its 95 % interval; rank 1 is the closest party"
        return rows_table("parties", caption, rows, columns, plain=[f"{UNIFORM}_agreement"])
    columns = ["scoring", "statements"]
    for axis in report.family.instrument.axes:
        columns += [axis] + ([f"{axis}_label"] if f"{axis}_label" in rows[0] else [])
    columns += ["ideology"] if "ideology" in rows[0] else []
    caption = (
        f"{title}: the position at the answers"
        + (f", {EXPECTED} over the options" if EXPECTED in report.results else "")
        + (f" and of a {UNIFORM} answer" if report.baseline else "")
        + ", each axis with its 95 % interval"
    )
    return rows_table("scores", caption, rows, columns)


def index_lines(report: InstrumentReport, links: str, title: str) -> list[str]:
    """The task's section of the index (below its heading)."""
    return [*_summary_lines(report), "", f"Files: {links}"]


def _summary_lines(report: InstrumentReport) -> list[str]:
    method = f"{report.family.title}, {report.scores.documents_text('statements')}: *answer* scores "
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
    method += f". Intervals ([low, high]; `_ci_low`, `_ci_high` in the CSV): {_interval_method(report)}."
    return [
        f"- {method}",
        f"- {report.headline()}.",
        *extra,
        f"- {_prompt_spread_text(report)}",
        f"- {report.scores.comparison()}",
    ]


def _interval_method(report: InstrumentReport) -> str:
    if report.sampled:
        return (
            f"{POLICY.n_resamples} answer sets, each statement's answer drawn from its sampled repeats (the "
            "repeats resampled; an unusable repeat leaves the statement unanswered), 95% percentile interval "
            f"(seed {POLICY.random_state}); the statements are fixed, not resampled; *answer* is the majority "
            "of the repeats"
        )
    if report.generative:
        return "none: one greedy answer per statement, so no answer uncertainty to measure"
    return f"{POLICY.answer_method()}; *answer* and *expected* share the draws from the model's probabilities"


def _prompt_spread_text(report: InstrumentReport) -> str:
    """The spread of the answer scores over prompts, when the runs hold robustness variants."""
    spreads = {key: spread for key, spread in report.prompt_spread.items() if spread.n_prompts > 1}
    if not spreads:
        return (
            "Spread over prompts: no robustness variant of this task in these runs "
            "(`--tasks <family>_robustness`; `opinionbench robustness`, docs/robustness.md)."
        )
    n_prompts = max(spread.n_prompts for spread in spreads.values())
    parts = []
    for key, spread in spreads.items():
        if key not in ("valid_answer_rate", "refusal_rate", "option_mass"):
            digits = decimals_for([spread.min, spread.max])
            low, high, sd = (number_cell(value, digits) for value in (spread.min, spread.max, spread.sd))
            parts.append(f"{key} {low} to {high} (SD {sd})")
    return (
        f"Spread over {n_prompts} prompts (the canonical one and its robustness variants in these runs; "
        f"the interval above is for this prompt's answers): {'; '.join(parts)}."
    )
