"""The files of a model's open-vs-closed persona comparison (the axis instruments' ``conditions``,
:mod:`opinionbench.tasks.common.persona_conditions`): per paired run and grid, the TVD per persona
value with the statements it averages and the rates beside it (Markdown, LaTeX; every number in
full in CSV), and bars of the TVD per persona value (PNG)."""

from __future__ import annotations

from pathlib import Path

from .plots import grouped_bar_chart
from .tables import Table, rows_table, write_csv, write_latex

HEADING = "open vs closed personas"
FILES = {"table": "open_closed.md", "LaTeX": "open_closed.tex", "CSV": "open_closed.csv", "chart": "open_closed.png"}
COLUMNS = [
    "label",
    "tvd",
    "n_statements",
    "closed_answers",
    "closed_invalid_rate",
    "closed_refusal_rate",
    "open_answers",
    "open_none_rate",
]
METHOD = (
    "Open-vs-closed TVD (Wright et al., LLM Tropes, 2024): per persona value and statement, the shares of agree, "
    "disagree and none answers over its closed and over its open templates (Strongly folded into its side; "
    "unanswered and neutral count as none), 0.5 * sum |p_closed - p_open|, averaged over the statements both "
    "asked (n_statements); 0 is the same answers, 1 none shared. Beside it the closed generations' invalid and "
    "refusal rates and the open answers' none rate (no side, or no reading by the judge)"
)


def folder_name(family: str) -> str:
    """The folder of a family's open-vs-closed comparison, per model beside its runs' folders."""
    return f"{family}_open_closed"


def write_files(report, folder: Path, title: str) -> dict[str, str]:
    """Write the model's files into ``folder``; returns ``{link text: file name}``."""
    write_csv(report.rows(), folder / FILES["CSV"])
    bars = [
        {**row, "panel": _pair_name(pair), "group": row["label"], "series": "TVD"}
        | {"mean": row["tvd"], "ci_low": row["tvd"], "ci_high": row["tvd"]}
        for pair in report.pairs
        for row in pair.rows()
    ]
    grouped_bar_chart(
        bars,
        folder / FILES["chart"],
        title=title,
        panel="panel",
        group="group",
        series="series",
        ylabel="open-vs-closed TVD",
        upper=1.0,
    )
    tables = _tables(report, title)
    lines = [f"# {title}", "", f"- {METHOD}.", *_source_lines(report), ""]
    for table in tables:
        lines += [f"{table.caption}:", "", *table.markdown(), ""]
    lines.append(f"![chart]({FILES['chart']})")
    (folder / FILES["table"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_latex(tables, folder / FILES["LaTeX"], context=f"{report.model}-open-closed")
    return FILES


def index_lines(report, links: str, title: str) -> list[str]:
    """The model's section of the index (below its heading): the TVD per persona value of every pair."""
    lines = [f"- {METHOD}.", *_source_lines(report), ""]
    for table in _tables(report, title):
        lines += [*table.markdown(), ""]
    return [*lines, f"Files: {links}"]


def _tables(report, title: str) -> list[Table]:
    return [
        rows_table(f"pair{index}", f"{title}: {_pair_name(pair)}", pair.rows(), COLUMNS)
        for index, pair in enumerate(report.pairs, start=1)
    ]


def _pair_name(pair) -> str:
    return f"{pair.closed_task} vs {pair.open_task} ({pair.run})"


def _source_lines(report) -> list[str]:
    return [f"- From {len(report.sources)} persona tasks of the runs " + ", ".join(report.runs) + "."]
