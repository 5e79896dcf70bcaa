"""The files of a model's MENAValues cross-condition metrics (:mod:`.mena_conditions`): the table
(CSV, Markdown) and grouped bars per country (PNG)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.metrics import LEAKAGE_THRESHOLD

from .mena_conditions import MACRO, ConditionsReport, setting_text
from .plots import grouped_bar_chart
from .tables import markdown_table, write_csv

FOLDER = "mena_values_conditions"  # per model, beside its runs' folders
FILES = {"table": "conditions.md", "CSV": "conditions.csv", "chart": "conditions.png"}
METHODS = {
    "fcs": "FCS (framing consistency): alignment score of the persona and the observer answer (same mode, "
    "reasoning, language)",
    "spd": "SPD (self-persona deviation): alignment score of the neutral and the persona answer (same mode, "
    "reasoning, language)",
    "clcs": "CLCS (cross-lingual consistency): alignment score of the English answer and the answer in the country's "
    "language, ar/fa/tr (same mode, reasoning, framing)",
    "logit_leakage": "logit leakage: of the (item, country) pairs that zero-shot generation refused, the percentage "
    f"whose logprob top option probability is > {LEAKAGE_THRESHOLD} (same framing, language)",
}


def write_files(report: ConditionsReport, folder: Path, title: str) -> dict[str, str]:
    """Write the model's files into ``folder``; returns ``{link text: file name}``."""
    rows = report.rows()
    write_csv(rows, folder / FILES["CSV"])
    bars = [
        {
            **row,
            "panel": f"{metric.comparison.metric}: {metric.comparison.label}",
            "setting": setting_text(metric.setting),
        }
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


def index_lines(report: ConditionsReport, links: str) -> list[str]:
    """The model's section of the index (below its heading): the macro means."""
    macro = [
        {
            "metric": row["metric"],
            "setting": setting_text(metric.setting),
            "macro mean": row["mean"],
            "ci_low": row["ci_low"],
            "ci_high": row["ci_high"],
            "n_pairs": row["n_pairs"],
            "n_skipped": row["n_skipped"],
        }
        for metric in report.metrics
        for row in metric.rows()
        if row["country"] == MACRO
    ]
    return [*_summary_lines(report), "", *markdown_table(macro), "", f"Per country: {links}"]


def _summary_lines(report: ConditionsReport) -> list[str]:
    present = dict.fromkeys(metric.comparison.metric for metric in report.metrics)
    level = report.metrics[0].summary.confidence_level
    return [
        *(f"- {METHODS[metric]}." for metric in present),
        (
            "- Alignment score: 100 * (1 - |a - b| / (scale max - scale min)), 100 or 0 by exact agreement on "
            "nominal items. Per country: mean over the items both conditions answered (pairs with a missing answer "
            f"are skipped and counted); macro mean over countries; intervals: {level:.0%} percentile bootstrap "
            "over items."
        ),
        f"- From {len(report.sources)} condition tasks of the runs " + ", ".join(report.runs) + ".",
    ]
