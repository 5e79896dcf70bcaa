"""The files of a survey-distribution task: the summary and per-country tables (Markdown, LaTeX;
every number in full in CSV), ranked bar chart (PNG) and interactive page (HTML)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.intervals import POLICY

from .plots import interactive_page, ranked_bar_chart
from .survey_report import COUNTRY_METRICS, CountryReport
from .tables import Table, comparison_table, estimate_cell, rows_table, write_csv, write_latex

# The files written per run and task, with the name the index links them by.
FILES = {
    "table": "countries.md",
    "LaTeX": "countries.tex",
    "CSV": "countries.csv",
    "chart": "countries.png",
    "interactive": "countries.html",
}


def write_files(report: CountryReport, folder: Path, title: str) -> dict[str, str]:
    """Write the task's files into ``folder``; returns ``{link text: file name}``."""
    rows = report.country_rows()
    write_csv(rows, folder / FILES["CSV"])
    tables = [comparison_table(report.scores, title), country_table(report, rows, title)]
    (folder / FILES["table"]).write_text(_markdown(report, tables, title), encoding="utf-8")
    write_latex(tables, folder / FILES["LaTeX"], context=f"{report.scores.model}-{report.scores.task}")
    ranked_bar_chart(rows, folder / FILES["chart"], title=title, metric=report.ranked_by)
    interactive_page(
        rows, folder / FILES["interactive"], title=title, metric=report.ranked_by, summary_lines=_summary_lines(report)
    )
    return FILES


def index_lines(report: CountryReport, links: str, title: str) -> list[str]:
    """The task's section of the index (below its heading)."""
    return [*comparison_table(report.scores, title).markdown(), "", f"Per country: {links}"]


def country_table(report: CountryReport, rows: list[dict], title: str) -> Table:
    """Rank, country, its number of questions, then each metric's mean with its 95 % interval (the
    uniform answer's and the steerability as values)."""
    metrics = [metric for metric in report.by_country if metric != "js_similarity_unsteered"]
    extra = ["steerability"] if "steerability" in rows[0] else []
    plain = [metric for metric in metrics if metric.startswith("uniform_")] + extra
    caption = f"{title}: per country, each metric's mean over the questions it answered (n), with its 95 % interval"
    return rows_table(
        "countries",
        caption,
        rows,
        ["rank", "country", "n_items", *metrics, *extra],
        plain=plain,
        headers={"n_items": "n"},
    )


def _markdown(report: CountryReport, tables: list[Table], title: str) -> str:
    lines = [f"# {title}", "", *report.scores.run_lines(), "", *_summary_lines(report, bullet=True)]
    for table in tables:
        lines += ["", *table.markdown()]
    return "\n".join(lines) + "\n"


def _summary_lines(report: CountryReport, bullet: bool = False) -> list[str]:
    first = "- " if bullet else ""
    summary = report.scores.summary
    method = (
        f"scored: {report.scores.documents_text('questions')}; "
        + "; ".join(text for metric, text in _METHODS.items() if metric in report.by_country)
        + f", averaged per country over the questions it answered; [intervals]: {POLICY.method('questions')}."
    )
    lines = [first + method]
    if "js_similarity" in report.by_country:
        lines.append(
            f"{first}macro mean over countries {estimate_cell(report.scores, 'js_similarity')} "
            f"(uniform answer {estimate_cell(report.scores, 'uniform_js_similarity')}); "
            f"option_mass {estimate_cell(report.scores, 'option_mass')}."
        )
    if "nvas" in report.by_country:
        means = ", ".join(f"{key} {estimate_cell(report.scores, key)}" for key in _MENA_MEANS if key in summary)
        rates = ", ".join(f"{key} {estimate_cell(report.scores, key)}" for key in _MENA_RATES if key in summary)
        lines.append(
            f"{first}macro means over countries: {means}." + (f" Share of questions: {rates}." if rates else "")
        )
    lines.append(first + report.scores.comparison())
    return lines


# What the per-country metrics are, and the MENAValues summary numbers the summary lines show.
_METHODS = {
    "js_similarity": "similarity is 1 - Jensen-Shannon distance (base 2) between the model's and each country's "
    "answer distribution",
    "nvas": "NVAS is 100 * (1 - |model's answer - country's mean answer| / (scale max - scale min)), 100 or 0 by "
    "exact agreement on nominal items",
    "nvas_expected": "nvas_expected is NVAS at the expected answer under the model's option probabilities "
    "(uniform_nvas_expected: under uniform probabilities)",
    "nvas_paper": "nvas_paper (and its _expected keys) is the paper's rule, the numeric distance on nominal items "
    "too: compare the paper's NPVAS/NOVAS with it",
    "kl_divergence": "kl_divergence is KL(country's answers || model's) in nats",
}
_MENA_MEANS = tuple(key for key in COUNTRY_METRICS if key.startswith(("nvas", "uniform_nvas", "kl_")))
_MENA_RATES = ("valid_answer_rate", "refusal_rate")
