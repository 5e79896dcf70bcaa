"""The robustness report folder: per model and task its metric spread, item shifts and position
bias (Markdown and LaTeX tables, every number in full in CSV, PNG), and an index README.md."""

from __future__ import annotations

import math
from pathlib import Path

from opinionbench import families
from opinionbench.atomic import atomic_folder
from opinionbench.families import Kind
from opinionbench.intervals import POLICY

from ..report.files import safe_name, write_section
from ..report.plots import grouped_bar_chart
from ..report.tables import Table, rows_table, write_csv, write_latex
from .report import CANONICAL, NO_HUMAN_SPREAD, SHIFTS, RobustnessReport
from .variance import SHARES, VarianceTable

HEADING = "# OpinionBench robustness report"
TABLES = {"metric spread": "metric_spread", "item shifts": "item_shifts", "position bias": "position_bias"}
CHART = "position_bias.png"
VARIANCE_DIR = "variance"
VARIANCE_METHOD = (
    "Eta squared of each summary number over the models x prompts grid, one run per cell, from a two-way "
    "ANOVA (statsmodels, `value ~ C(model) + C(prompt)`): the model's and the prompt's sums of squares over "
    "the total; what the additive fit leaves is the interaction (a log-likelihood run is deterministic, so "
    "there is no other noise). The three shares sum to 1."
)
DEFINITIONS = {
    "tv_shift": "mean over items of the total-variation distance 0.5 * sum |p_variant - p_canonical| between "
    "the option probabilities (softmax of the option log-likelihoods, canonical option order)",
    "argmax_change_share": "share of items whose most probable option differs",
    "position_shift": "mean |expected scale position under the variant - under the canonical prompt|, positions "
    "on [0, 1] (ordinal options only, probabilities renormalised over them; other items skipped)",
}


def write_robustness_report(
    reports: list[RobustnessReport], out_dir: str | Path, variance: list[VarianceTable] = ()
) -> Path:
    """Write every report into ``out_dir/<model>/<family or task>/``, the variance tables of the
    tasks several models ran into ``out_dir/variance/`` and an index README.md."""
    index = [HEADING, "", f"Intervals: {POLICY.method('items')}.", ""]
    with atomic_folder(out_dir, ours=_is_robustness_report) as staging:
        for report in reports:
            title = f"Robustness of {report.canonical.task} — {report.canonical.model}"
            index += write_section(staging, (report.canonical.model_label, report.folder), _Files, report, title)
        for table in variance:
            index += _write_variance(staging / VARIANCE_DIR, table)
        (staging / "README.md").write_text("\n".join(index), encoding="utf-8")
    return Path(out_dir)


def _write_variance(folder: Path, table: VarianceTable) -> list[str]:
    """``folder/<task>.csv`` (every number in full) and ``.tex``; returns the index section."""
    folder.mkdir(exist_ok=True)
    name = safe_name(table.task)
    write_csv(table.rows, folder / f"{name}.csv")
    caption = f"{table.task}: share of variance explained by model, prompt and their interaction"
    shown = rows_table(f"variance-{name}", caption, table.rows, ["metric", *SHARES], plain=SHARES)
    write_latex([shown], folder / f"{name}.tex", context=table.task)
    left_out = f" Left out (not run by every model): {', '.join(table.left_out)}." if table.left_out else ""
    return [
        f"## Model vs prompt: {table.task}",
        "",
        f"Models: {', '.join(table.models)}. Prompts: {', '.join(table.prompts)}.{left_out}",
        VARIANCE_METHOD,
        "",
        *shown.markdown(),
        "",
        f"Files: [CSV]({VARIANCE_DIR}/{name}.csv), [LaTeX]({VARIANCE_DIR}/{name}.tex)",
        "",
    ]


class _Files:
    """The files of one report, in the protocol of ``report.files.write_section``."""

    @staticmethod
    def write_files(report: RobustnessReport, folder: Path, title: str) -> dict[str, str]:
        written = {}
        tables = {
            "metric spread": (_metric_rows(report), _metric_markdown(report, title)),
            "item shifts": (_shift_rows(report), _shift_markdown(report, title)),
        }
        if report.position_bias:
            tables["position bias"] = (report.position_bias, _position_markdown(report, title))
            _position_chart(report, folder / CHART, title)
        for name, (rows, (markdown, shown)) in tables.items():
            if rows:
                write_csv(rows, folder / f"{TABLES[name]}.csv")
            (folder / f"{TABLES[name]}.md").write_text("\n".join(markdown) + "\n", encoding="utf-8")
            if shown:
                context = f"{report.canonical.model}-{report.canonical.task}"
                write_latex(shown, folder / f"{TABLES[name]}.tex", context=context)
            written[name] = f"{TABLES[name]}.md"
        return written

    @staticmethod
    def index_lines(report: RobustnessReport, links: str, title: str) -> list[str]:
        columns = ["variant", "kind", "n_items", *SHIFTS]
        table = rows_table("item-shifts", f"{title}: item shifts", report.item_shifts, columns)
        return [f"- {report.headline()}", "", *table.markdown(), "", f"Files: {links}"]


def _metric_rows(report: RobustnessReport) -> list[dict]:
    """One CSV row per metric: its value per prompt, then per scope ``<scope>_<min|max|range|sd|n_prompts>``."""
    rows = {row["metric"]: dict(row) for row in report.metric_values}
    for spread in report.metric_spreads:
        scope = spread["prompts"]
        rows[spread["metric"]].update({f"{scope}_{key}": value for key, value in spread.items() if key != "metric"})
        rows[spread["metric"]].pop(f"{scope}_prompts")
    return list(rows.values())


def _metric_markdown(report: RobustnessReport, title: str) -> tuple[list[str], list[Table]]:
    prompts = ", ".join(f"{name} ({prompt.task})" for name, prompt in report.prompts.items())
    tables = [
        _table("values", f"{title}: every summary metric under each prompt", report.metric_values),
        _table("spread", f"{title}: spread of each metric over the prompts", report.metric_spreads),
    ]
    lines = [
        f"# {title}: metric spread",
        "",
        f"Every summary metric of {report.canonical.task} under each prompt: {prompts}.",
        (
            "Spread per scope over the canonical prompt and the variants of that kind (all: every variant); "
            "SD with ddof=0; the canonical interval is lm-eval's (when the run has one); uniform: the same "
            "metric for a uniform random answer (where the task defines one; it does not depend on the prompt)."
        ),
    ]
    for table in tables:
        lines += ["", *(table.markdown() if table else ["The results file holds no summary numbers for this task."])]
    return lines, [table for table in tables if table]


def _table(name: str, caption: str, rows: list[dict]) -> Table | None:
    return rows_table(name, caption, rows, list(rows[0]), plain=list(rows[0])) if rows else None


def _shift_rows(report: RobustnessReport) -> list[dict]:
    spread = report.human_spread
    human = (spread.mean, spread.ci_low, spread.ci_high) if spread else (math.nan,) * 3
    columns = dict(zip(("human_spread", "human_spread_ci_low", "human_spread_ci_high"), human))
    return [{**row, **columns} for row in report.item_shifts]


def _shift_markdown(report: RobustnessReport, title: str) -> tuple[list[str], list[Table]]:
    table = _table("item-shifts", f"{title}: item shifts per variant", report.item_shifts)
    return [
        f"# {title}: item shifts",
        "",
        "Per variant against the canonical prompt, over the items both answered:",
        *(f"- {key}: {text}." for key, text in DEFINITIONS.items()),
        f"- Human reference spread (Khan et al., 2025): {_human_text(report)}",
        "",
        *table.markdown(),
    ], [table]


def _human_text(report: RobustnessReport) -> str:
    spread = report.human_spread
    if spread is None:
        return NO_HUMAN_SPREAD + "."
    family = families.get(report.canonical.family)
    if family.kind is Kind.PARTY_AGREEMENT:
        scale = ", ".join(f"{position} {value:g}" for position, value in family.instrument.position_values.items())
        what = f"the standard deviation (ddof=0) over parties of the party position ({scale})"
    else:
        what = "the standard deviation (ddof=0) over countries of each country's mean scale position on [0, 1]"
    return (
        f"{spread.mean:.4f} [{spread.ci_low:.4f}, {spread.ci_high:.4f}], mean over {spread.n_items} items of {what}; "
        "compare position_shift with it."
    )


def _position_markdown(report: RobustnessReport, title: str) -> tuple[list[str], list[Table]]:
    prompts = [name for name, prompt in report.prompts.items() if prompt.kind in (CANONICAL, "order")]
    columns = [column for column in report.position_bias[0] if column not in ("ci_low", "ci_high")]
    caption = f"{title}: position bias, the mass at each position with its 95 % interval"
    table = rows_table(
        "position-bias", caption, report.position_bias, columns, intervals={"mass": ("ci_low", "ci_high")}
    )
    return [
        f"# {title}: position bias",
        "",
        (
            f"Mean probability mass at each display position, over the prompts {', '.join(prompts)} (same labels "
            "and wording, options in other orders): per item averaged over the prompts that answered it, then over "
            "the items with that number of options; uniform: 1/N."
        ),
        "",
        *table.markdown(),
        "",
        f"![position bias]({CHART})",
    ], [table]


def _position_chart(report: RobustnessReport, path: Path, title: str) -> None:
    bars = []
    for row in report.position_bias:
        panel = f"{row['n_options']} options ({row['n_items']} items)"
        bar = {"panel": panel, "position": str(row["position"])}
        bars.append(
            {**bar, "series": "model (95% CI)", "mean": row["mass"], "ci_low": row["ci_low"], "ci_high": row["ci_high"]}
        )
        bars.append(
            {
                **bar,
                "series": "uniform 1/N",
                "mean": row["uniform"],
                **dict.fromkeys(("ci_low", "ci_high"), row["uniform"]),
            }
        )
    grouped_bar_chart(
        bars,
        path,
        title=title,
        panel="panel",
        group="position",
        series="series",
        ylabel="probability mass",
        upper=1.0,
    )


def _is_robustness_report(folder: Path) -> bool:
    readme = folder / "README.md"
    return readme.is_file() and readme.read_text(encoding="utf-8").startswith(HEADING)
