"""Pictures of per-country results: a ranked bar chart (PNG) and an interactive page (HTML) of
a task's ranking metric, and grouped bars of several metrics per country (PNG)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scale:
    """How a ranking metric is drawn: its names, its upper end, and the per-country column drawn
    as a no-information baseline marker (if any)."""

    axis: str  # axis title of the PNG
    page_axis: str  # axis title of the HTML bar chart
    name: str  # colour bar and table header of the HTML page
    upper: float
    baseline: str | None


SCALES = {
    "js_similarity": Scale(
        axis="Jensen-Shannon similarity to the country's answers (1 - JSD, base 2)",
        page_axis="Jensen-Shannon similarity",
        name="similarity",
        upper=1,
        baseline="uniform_js_similarity",
    ),
    "nvas": Scale(
        axis="NVAS: agreement of the model's answer with the country's mean answer (0-100)",
        page_axis="NVAS",
        name="NVAS",
        upper=100,
        baseline=None,
    ),
}


def ranked_bar_chart(rows: list[dict], path: Path, *, title: str, metric: str) -> None:
    """Horizontal bars of each country's ``metric`` (a key of :data:`SCALES`), best at the top,
    with 95% CIs and the scale's baseline (the uniform answer) as a marker."""
    plt = _pyplot()
    scale = SCALES[metric]
    shown = [row for row in rows if not math.isnan(row[metric])]
    countries = [row["country"] for row in shown][::-1]
    means = [row[metric] for row in shown][::-1]
    errors = [
        [mean - row[f"{metric}_ci_low"] for mean, row in zip(means, shown[::-1])],
        [row[f"{metric}_ci_high"] - mean for mean, row in zip(means, shown[::-1])],
    ]
    figure, axes = plt.subplots(figsize=(8, 1.5 + 0.28 * max(len(shown), 1)))
    axes.barh(countries, means, xerr=errors, color="#4c78a8", ecolor="#333333", capsize=2, label="model (95% CI)")
    if scale.baseline:
        axes.scatter(
            [row[scale.baseline] for row in shown][::-1],
            countries,
            marker="|",
            s=120,
            color="#e45756",
            label="uniform answer",
            zorder=3,
        )
    axes.set_xlim(0, scale.upper)
    axes.set_xlabel(scale.axis)
    axes.set_title(title, fontsize=10)
    axes.legend(loc="lower right", fontsize=8)
    _save(figure, path)


def grouped_bar_chart(
    rows: list[dict], path: Path, *, title: str, panel: str, group: str, series: str, ylabel: str, upper: float
) -> None:
    """Vertical bars of each row's ``mean`` with its interval (``ci_low``, ``ci_high``): one panel per
    value of ``row[panel]``, along x one group of bars per ``row[group]``, in each group one bar per
    ``row[series]`` (values in first-seen order). Rows whose mean is NaN are left out."""
    plt = _pyplot()
    shown = [row for row in rows if not math.isnan(row["mean"])]
    panels = _distinct(row[panel] for row in shown)
    most_bars = max((sum(row[panel] == name for row in shown) for name in panels), default=0)
    size = (min(30.0, max(9.0, 4 + 0.15 * most_bars)), 1 + 3.2 * max(len(panels), 1))
    figure, all_axes = plt.subplots(max(len(panels), 1), 1, figsize=size, squeeze=False)
    for name, axes in zip(panels, all_axes[:, 0]):
        in_panel = [row for row in shown if row[panel] == name]
        groups, labels = _distinct(row[group] for row in in_panel), _distinct(row[series] for row in in_panel)
        width = 0.8 / len(labels)
        for index, label in enumerate(labels):
            bars = [row for row in in_panel if row[series] == label]
            axes.bar(
                [groups.index(row[group]) - 0.4 + width * (index + 0.5) for row in bars],
                [row["mean"] for row in bars],
                width,
                yerr=[[row["mean"] - row["ci_low"] for row in bars], [row["ci_high"] - row["mean"] for row in bars]],
                ecolor="#333333",
                capsize=2,
                label=label,
            )
        axes.set_xticks(range(len(groups)), groups, rotation=45, ha="right", fontsize=8)
        axes.set_ylim(0, upper)
        axes.set_ylabel(ylabel, fontsize=8)
        axes.set_title(name, fontsize=9)
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    figure.suptitle(title, fontsize=10)
    _save(figure, path)


def forest_plot(
    rows: list[tuple[str, float, float, float]], path: Path, *, title: str, xlabel: str, null: float
) -> None:
    """One line per ``(label, mean, low, high)``: the mean as a dot, the interval as a bar (none when
    NaN), and a vertical line at ``null`` (no effect)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(rows) + 1.2))
    for position, (_, mean, low, high) in enumerate(reversed(rows)):
        if not math.isnan(low) and not math.isnan(high):
            axes.plot([low, high], [position, position], color="tab:blue", linewidth=1.5)
        axes.plot([mean], [position], "o", color="tab:blue", markersize=4)
    axes.axvline(null, color="grey", linestyle="--", linewidth=1)
    axes.set_yticks(range(len(rows)), [label for label, *_ in reversed(rows)], fontsize=7)
    axes.set_xlabel(xlabel, fontsize=8)
    axes.set_title(title, fontsize=9)
    _save(figure, path)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(figure, path: Path) -> None:
    import matplotlib.pyplot as plt

    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _distinct(values) -> list:
    return list(dict.fromkeys(values))


def interactive_page(rows: list[dict], path: Path, *, title: str, metric: str, summary_lines: list[str]) -> None:
    """A self-contained HTML page of ``metric`` (a key of :data:`SCALES`): a world map (inline SVG,
    :mod:`opinionbench.leaderboard.world_map`, with the countries it cannot draw listed), a ranked
    bar chart (plotly, its script inline) and the table."""
    import plotly.graph_objects as go

    from ..world_map import choropleth

    scale = SCALES[metric]
    shown = [row for row in rows if not math.isnan(row[metric])]
    countries = [row["country"] for row in shown]
    means = [row[metric] for row in shown]
    hover = [
        f"{row['country']}: {row[metric]:.3f} [{row[f'{metric}_ci_low']:.3f}, {row[f'{metric}_ci_high']:.3f}], "
        f"{row['n_items']} questions"
        for row in shown
    ]
    world = choropleth(dict(zip(countries, means)), label=scale.name, tooltips=dict(zip(countries, hover)))
    bars = go.Figure(
        go.Bar(
            x=means[::-1],
            y=countries[::-1],
            orientation="h",
            hovertext=hover[::-1],
            hoverinfo="text",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [row[f"{metric}_ci_high"] - row[metric] for row in shown][::-1],
                "arrayminus": [row[metric] - row[f"{metric}_ci_low"] for row in shown][::-1],
            },
        )
    )
    bars.update_layout(height=200 + 22 * len(shown), xaxis_range=[0, scale.upper], xaxis_title=scale.page_axis)
    table = "\n".join(
        f"<tr><td>{row['rank']}</td><td>{html.escape(row['country'])}</td><td>{row['n_items']}</td>"
        f"<td>{row[metric]:.4f}</td><td>{row[f'{metric}_ci_low']:.4f} – {row[f'{metric}_ci_high']:.4f}</td>"
        + (f"<td>{row[scale.baseline]:.4f}</td>" if scale.baseline else "")
        + "</tr>"
        for row in shown
    )
    baseline_header = "\n<th>uniform answer</th>" if scale.baseline else ""
    summary = "".join(f"<li>{html.escape(line)}</li>" for line in summary_lines)
    path.write_text(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:auto}}td,th{{padding:2px 8px;text-align:right}}
td:nth-child(2){{text-align:left}}figure.world-map{{margin:0}}.map-note{{color:#666}}</style></head>
<body><h1>{html.escape(title)}</h1><ul>{summary}</ul>
{world.html()}
{bars.to_html(full_html=False, include_plotlyjs=True)}
<table><thead><tr><th>rank</th><th>country</th><th>questions</th><th>{scale.name}</th><th>95% CI</th>{baseline_header}</tr></thead><tbody>
{table}
</tbody></table></body></html>
""",
        encoding="utf-8",
    )
