"""How much of a summary number's variation is the model's and how much the prompt's: over the
robustness reports of several models on one task, a two-way analysis of variance of each summary
number with factors model and prompt (the canonical prompt and every variant all models ran).

One run per (model, prompt) cell: a log-likelihood run is deterministic, so what the additive model
``value ~ model + prompt`` leaves over is the model x prompt interaction, not noise. The shares are
eta squared, ``SS_effect / SS_total``; in the complete balanced design used here (prompts that not
every model ran are left out) the three shares sum to 1. The sums of squares are statsmodels'
``anova_lm`` of an OLS fit.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .report import RobustnessReport

SHARES = ("model_share", "prompt_share", "interaction_share")


@dataclass(frozen=True)
class VarianceTable:
    """The variance shares of every summary number of one task over ``models`` x ``prompts``."""

    task: str
    models: tuple[str, ...]
    prompts: tuple[str, ...]
    left_out: tuple[str, ...]  # prompts not every model ran
    rows: list[dict]  # per metric: n_models, n_prompts, total_ss and the SHARES

    def headline(self) -> str:
        shown = [row for row in self.rows if not math.isnan(row["model_share"])]
        parts = [
            f"{row['metric']}: model {row['model_share']:.2f}, prompt {row['prompt_share']:.2f}, "
            f"interaction {row['interaction_share']:.2f}"
            for row in shown[:3]
        ]
        more = f"; {len(shown) - 3} more in the table" if len(shown) > 3 else ""
        return f"{self.task}, {len(self.models)} models x {len(self.prompts)} prompts: {'; '.join(parts)}{more}"


def variance_tables(reports: list[RobustnessReport]) -> list[VarianceTable]:
    """One table per canonical task that at least two models ran with the canonical prompt and a
    common variant."""
    by_task: dict[str, list[RobustnessReport]] = defaultdict(list)
    for report in reports:
        by_task[report.canonical.task].append(report)
    tables = []
    for task, group in by_task.items():
        common = set.intersection(*(set(report.prompts) for report in group))
        prompts = tuple(name for name in group[0].prompts if name in common)
        if len(group) >= 2 and len(prompts) >= 2:
            left_out = sorted(set().union(*(report.prompts for report in group)) - common)
            tables.append(_variance_table(task, group, prompts, tuple(left_out)))
    return tables


def _variance_table(task: str, group: list[RobustnessReport], prompts: tuple[str, ...], left_out) -> VarianceTable:
    models = tuple(report.canonical.model_label for report in group)
    values = {(model, row["metric"]): row for model, report in zip(models, group) for row in report.metric_values}
    metrics = [row["metric"] for row in group[0].metric_values]
    rows = []
    for metric in metrics:
        cells = [
            (model, prompt, values.get((model, metric), {}).get(prompt, math.nan))
            for model in models
            for prompt in prompts
        ]
        frame = pd.DataFrame(cells, columns=["model", "prompt", "value"])
        rows.append({"metric": metric, "n_models": len(models), "n_prompts": len(prompts), **variance_shares(frame)})
    return VarianceTable(task, models, prompts, left_out, rows)


def variance_shares(frame: pd.DataFrame) -> dict[str, float]:
    """``total_ss`` and the eta-squared :data:`SHARES` of ``value`` in ``frame`` (columns model,
    prompt, value; one row per cell of a complete design). NaN shares when a value is not finite or
    the values do not vary."""
    from statsmodels.formula.api import ols
    from statsmodels.stats.anova import anova_lm

    values = frame["value"].to_numpy(dtype=float)
    total = float(((values - values.mean()) ** 2).sum()) if np.isfinite(values).all() else math.nan
    if not total > 0:
        return {"total_ss": total, **dict.fromkeys(SHARES, math.nan)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a residual of 0 when the effects are additive
        table = anova_lm(ols("value ~ C(model) + C(prompt)", data=frame).fit(), typ=2)
    sums = table["sum_sq"]
    return {
        "total_ss": total,
        "model_share": float(sums["C(model)"]) / total,
        "prompt_share": float(sums["C(prompt)"]) / total,
        "interaction_share": float(sums["Residual"]) / total,
    }
