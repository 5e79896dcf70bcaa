"""Pictures of per-country similarity: a ranked bar chart (PNG) and an interactive page (HTML)."""

from __future__ import annotations

import html
import math
from pathlib import Path

METRIC = "js_similarity"
BASELINE = "uniform_js_similarity"


def ranked_bar_chart(rows: list[dict], path: Path, *, title: str) -> None:
    """Horizontal bars of each country's similarity, best at the top, with 95% CIs and the
    uniform-answer baseline as a marker."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [row for row in rows if not math.isnan(row[METRIC])]
    countries = [row["country"] for row in shown][::-1]
    means = [row[METRIC] for row in shown][::-1]
    errors = [
        [mean - row[f"{METRIC}_ci_low"] for mean, row in zip(means, shown[::-1])],
        [row[f"{METRIC}_ci_high"] - mean for mean, row in zip(means, shown[::-1])],
    ]
    figure, axes = plt.subplots(figsize=(8, 1.5 + 0.28 * max(len(shown), 1)))
    axes.barh(countries, means, xerr=errors, color="#4c78a8", ecolor="#333333", capsize=2, label="model (95% CI)")
    axes.scatter(
        [row[BASELINE] for row in shown][::-1],
        countries,
        marker="|",
        s=120,
        color="#e45756",
        label="uniform answer",
        zorder=3,
    )
    axes.set_xlim(0, 1)
    axes.set_xlabel("Jensen-Shannon similarity to the country's answers (1 - JSD, base 2)")
    axes.set_title(title, fontsize=10)
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def interactive_page(rows: list[dict], path: Path, *, title: str, summary_lines: list[str]) -> None:
    """A self-contained HTML page: a world map and a ranked bar chart (plotly), and the table."""
    import plotly.graph_objects as go

    shown = [row for row in rows if not math.isnan(row[METRIC])]
    countries = [row["country"] for row in shown]
    means = [row[METRIC] for row in shown]
    hover = [
        f"{row['country']}: {row[METRIC]:.3f} [{row[f'{METRIC}_ci_low']:.3f}, {row[f'{METRIC}_ci_high']:.3f}], "
        f"{row['n_items']} questions"
        for row in shown
    ]
    world = go.Figure(
        go.Choropleth(
            locations=countries,
            locationmode="country names",
            z=means,
            text=hover,
            hoverinfo="text",
            colorscale="Viridis",
            colorbar_title="similarity",
        )
    )
    world.update_layout(title=title, margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=480)
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
                "array": [row[f"{METRIC}_ci_high"] - row[METRIC] for row in shown][::-1],
                "arrayminus": [row[METRIC] - row[f"{METRIC}_ci_low"] for row in shown][::-1],
            },
        )
    )
    bars.update_layout(height=200 + 22 * len(shown), xaxis_range=[0, 1], xaxis_title="Jensen-Shannon similarity")
    table = "\n".join(
        f"<tr><td>{row['rank']}</td><td>{html.escape(row['country'])}</td><td>{row['n_items']}</td>"
        f"<td>{row[METRIC]:.4f}</td><td>{row[f'{METRIC}_ci_low']:.4f} – {row[f'{METRIC}_ci_high']:.4f}</td>"
        f"<td>{row[BASELINE]:.4f}</td></tr>"
        for row in shown
    )
    summary = "".join(f"<li>{html.escape(line)}</li>" for line in summary_lines)
    path.write_text(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:auto}}td,th{{padding:2px 8px;text-align:right}}
td:nth-child(2){{text-align:left}}</style></head>
<body><h1>{html.escape(title)}</h1><ul>{summary}</ul>
{world.to_html(full_html=False, include_plotlyjs=True)}
{bars.to_html(full_html=False, include_plotlyjs=False)}
<table><thead><tr><th>rank</th><th>country</th><th>questions</th><th>similarity</th><th>95% CI</th>
<th>uniform answer</th></tr></thead><tbody>
{table}
</tbody></table></body></html>
""",
        encoding="utf-8",
    )
