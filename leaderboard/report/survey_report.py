"""Per-country results of a survey-distribution task, from its rescored samples.

The payloads that the task's own ``process_results`` gives per question hold each country's
score against its human answer distribution (see :mod:`.rescoring`); per-country means get
percentile-bootstrap intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opinionbench.errors import OpinionBenchError
from opinionbench.intervals import POLICY
from opinionbench.lm_eval_outputs import payload_pairs
from opinionbench.metrics import GroupSummary

from .rescoring import RescoredTask

# Per-country columns, in table order, when the task reports them.
COUNTRY_METRICS = (
    "js_similarity",
    "uniform_js_similarity",
    "wasserstein_similarity",
    "uniform_wasserstein_similarity",
    "js_similarity_unsteered",
    "nvas",
    "nvas_expected",
    "uniform_nvas_expected",
    "nvas_paper",
    "nvas_paper_expected",
    "uniform_nvas_paper_expected",
    "kl_divergence",
)
# The metric countries are ranked by: the first of these the task reports (MENAValues
# generation tasks have no answer distribution, hence no js_similarity).
RANKED_BY = ("js_similarity", "nvas")
_ABSENT = {"mean": math.nan, "ci_low": math.nan, "ci_high": math.nan, "n_items": 0}


@dataclass(frozen=True)
class CountryReport:
    """One survey-distribution task of one run: its rescored samples and per-country summaries."""

    scores: RescoredTask
    by_country: dict[str, GroupSummary]

    @property
    def ranked_by(self) -> str:
        """The metric countries are ranked by (see :data:`RANKED_BY`)."""
        return next(metric for metric in RANKED_BY if metric in self.by_country)

    def headline(self) -> str:
        """One line for the console: the ranking metric, over how many countries and questions."""
        metric = self.ranked_by
        return (
            f"{metric} {self.scores.summary.get(metric, math.nan):.4f} over {len(self.by_country[metric].groups)} "
            f"countries, {self.scores.documents_text('questions')}"
        )

    def country_rows(self) -> list[dict]:
        """One row per country, ranked by :attr:`ranked_by` (1 = most similar)."""
        ranked_by = self.ranked_by
        tables = {
            metric: {row["group"]: row for row in summary.as_rows()} for metric, summary in self.by_country.items()
        }
        rows = []
        for country_row in sorted(tables[ranked_by].values(), key=lambda row: -_sortable(row["mean"])):
            country = country_row["group"]
            row = {"country": country, "n_items": country_row["n_items"]}
            for metric, table in tables.items():
                stats = table.get(country, _ABSENT)
                row[metric] = stats["mean"]
                row[f"{metric}_ci_low"], row[f"{metric}_ci_high"] = stats["ci_low"], stats["ci_high"]
                if metric == "wasserstein_similarity":
                    row["wasserstein_items"] = stats["n_items"]
            if "js_similarity_unsteered" in row:
                row["steerability"] = row["js_similarity"] - row["js_similarity_unsteered"]
            rows.append(row)
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank if not math.isnan(row[ranked_by]) else None
        return [{"rank": row.pop("rank"), **row} for row in rows]


def country_report(scores: RescoredTask) -> CountryReport:
    """Summarise a survey-distribution task's payloads per country (intervals: :data:`opinionbench.intervals.POLICY`)."""
    by_country = {
        metric: POLICY.summarize_by_group(*payload_pairs(scores.payloads[metric]))
        for metric in COUNTRY_METRICS
        if metric in scores.payloads and any(entry["groups"] for entry in scores.payloads[metric])
    }
    if not set(RANKED_BY) & set(by_country):
        raise OpinionBenchError(
            f"{scores.task} is not a survey-distribution task (no per-country {' or '.join(RANKED_BY)})."
        )
    return CountryReport(scores=scores, by_country=by_country)


def _sortable(value: float) -> float:
    return -math.inf if math.isnan(value) else value
