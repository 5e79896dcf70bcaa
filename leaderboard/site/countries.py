"""A survey entry's countries: the per-country table (the report's ranking, with intervals) and
the world map of its ranking metric (:mod:`opinionbench.leaderboard.world_map`), which lists the
countries it cannot draw."""

from __future__ import annotations

from ..report.survey_report import COUNTRY_METRICS, CountryReport
from ..world_map import choropleth
from .html import Header, Number, section, table


def country_section(report: CountryReport) -> str:
    """The map, then every country ranked by the report's ranking metric."""
    rows = report.country_rows()
    metrics = [m for m in COUNTRY_METRICS if not m.startswith("uniform_") and m in report.by_country]
    body = []
    for row in rows:
        cells = [Number(row[m], row[f"{m}_ci_low"], row[f"{m}_ci_high"], row.get(f"uniform_{m}")) for m in metrics]
        body.append([row["country"], row["rank"], row["n_items"], *cells])
    headers = ["country", "rank", "questions", *(Header(m) for m in metrics)]
    return section(
        "Per-country ranking",
        world_map(report, rows),
        table(headers, body),
        note=f"Recomputed from the samples log by the report's code; rank 1 = the country most similar by "
        f"{report.ranked_by}; on the map, each country's {report.ranked_by}.",
        anchor="countries",
    )


def world_map(report: CountryReport, rows: list[dict]) -> str:
    """The choropleth of the ranking metric per country, with its note of countries not drawn."""
    metric = report.ranked_by
    return choropleth({row["country"]: row[metric] for row in rows}, label=metric).html()
