"""The files of an open-ended task (WorldView-Bench): PDS per perspective and PDS entropy per domain
(Markdown, LaTeX, CSV, bar charts), headed by the judge configuration that decides them."""

from __future__ import annotations

import json
from pathlib import Path

from opinionbench.intervals import POLICY

from .open_ended_report import KEY, OpenEndedReport
from .plots import grouped_bar_chart
from .tables import comparison_table, estimate_cell, rows_table, write_csv, write_latex

FILES = {
    "table": "perspectives.md",
    "LaTeX": "perspectives.tex",
    "perspectives CSV": "perspectives.csv",
    "domains CSV": "domains.csv",
    "chart": "perspectives.png",
    "configuration": "judge_configuration.json",
}


def write_files(report: OpenEndedReport, folder: Path, title: str) -> dict[str, str]:
    """Write the task's files into ``folder``; returns ``{link text: file name}``."""
    write_csv(report.perspective_rows, folder / FILES["perspectives CSV"])
    write_csv(report.domain_rows, folder / FILES["domains CSV"])
    (folder / FILES["configuration"]).write_text(json.dumps(report.configuration, indent=2) + "\n", encoding="utf-8")
    bars = [
        {
            "group": row["perspective"],
            "mean": row["pds"],
            "ci_low": row["ci_low"],
            "ci_high": row["ci_high"],
            "panel": "PDS: share of the references",
            "series": "PDS",
        }
        for row in report.perspective_rows
    ]
    bars += [
        {
            "group": row["domain"],
            "mean": row["pds_entropy"] / 100,
            "ci_low": row["ci_low"] / 100,
            "ci_high": row["ci_high"] / 100,
            "panel": "PDS entropy / 100, per domain",
            "series": "entropy",
        }
        for row in report.domain_rows
    ]
    grouped_bar_chart(
        bars,
        folder / FILES["chart"],
        title=title,
        panel="panel",
        group="group",
        series="series",
        ylabel="share",
        upper=1.0,
    )
    interval = {"pds": ("ci_low", "ci_high"), "pds_entropy": ("ci_low", "ci_high")}
    perspectives = rows_table(
        "perspectives",
        f"{title}: PDS per perspective (share of the references), with its 95 % interval",
        report.perspective_rows,
        ["perspective", "references", "answers", "pds"],
        intervals=interval,
    )
    domains = rows_table(
        "domains",
        f"{title}: PDS entropy per domain (percent of ln K), with its 95 % interval and standard error",
        report.domain_rows,
        ["domain", "answers", "answers_with_references", "references", "pds_entropy", "stderr"],
        intervals=interval,
    )
    summary = comparison_table(report.scores, title)
    lines = [f"# {title}", "", *report.scores.run_lines(), "", *summary_lines(report, bullet=True), ""]
    lines += [*summary.markdown(), ""]
    lines += ["## PDS per perspective", "", *perspectives.markdown(), ""]
    lines += ["## PDS entropy per domain (percent of ln K)", "", *domains.markdown(), ""]
    lines += [f"![chart]({FILES['chart']})", ""]
    (folder / FILES["table"]).write_text("\n".join(lines), encoding="utf-8")
    context = f"{report.scores.model}-{report.scores.task}"
    write_latex([summary, perspectives, domains], folder / FILES["LaTeX"], context=context)
    return FILES


def index_lines(report: OpenEndedReport, links: str, title: str) -> list[str]:
    """The task's section of the index (below its heading)."""
    summary = comparison_table(report.scores, title).markdown()
    return [*summary_lines(report), "", *summary, "", f"Per perspective and domain: {links}"]


def summary_lines(report: OpenEndedReport, bullet: bool = False) -> list[str]:
    """What the numbers are and what decides them: judge, perspective list, pooling, intervals."""
    first = "- " if bullet else ""
    judge, perspectives = report.configuration["judge"], report.configuration["perspectives"]
    judged_by = f"{judge['kind']} judge, {judge['model']}" + (f" at {judge['base_url']}" if "base_url" in judge else "")
    entropy = estimate_cell(report.scores, KEY)
    with_references = estimate_cell(report.scores, "reference_rate")
    prompt = f"; prompt {judge['prompt']} (sha256 {judge['prompt_sha256'][:12]})" if "prompt" in judge else ""
    listed = ", ".join(p["name"] for p in perspectives["perspectives"])
    lines = [
        (
            f"{first}PDS entropy {entropy} % of ln K over {report.scores.documents_text('answers')}; "
            f"answers with at least one reference: {with_references}."
        ),
        f"{first}Judge: {judged_by}; {judge['rule']}{prompt}.",
        (
            f"{first}Perspectives: {perspectives['name']}, K = {perspectives['k']} ({listed}); "
            f"pooling: {report.configuration['pooling']}."
        ),
        (
            f"{first}Intervals: {POLICY.method('answers')}. The definitions are OpinionBench's reconstruction "
            "of WorldView-Bench's (see the task README); the numbers are not comparable with the paper's."
        ),
    ]
    lines.append(first + report.scores.comparison())
    return lines
