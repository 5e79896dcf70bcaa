"""The robustness report of one model on one task: how its numbers and its per-item answers move
between the canonical prompt and the variants (option order, labels, wording), against the
spread of the human reference (Khan et al., 2025)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from opinionbench import families
from opinionbench.lm_eval_outputs import EvaluationRun
from opinionbench.tasks.common import variants

from . import statistics
from .inputs import PromptAnswers, all_prompt_answers, group_prompts, human_positions, scale_positions
from .statistics import Estimate

CANONICAL = "canonical"
SCOPES = ("all", "order", "labels", "paraphrase")  # the prompts a spread is over (with the canonical one)
SHIFTS = ("tv_shift", "argmax_change_share", "position_shift")
NO_HUMAN_SPREAD = "not defined: the instrument has no human reference answers"


@dataclass(frozen=True)
class RobustnessReport:
    """The stability of one model on one canonical task and its variants (``prompts``, canonical first)."""

    prompts: dict[str, PromptAnswers]
    metric_values: list[dict]  # per summary metric: its value under every prompt
    metric_spreads: list[dict]  # per summary metric and scope: min, max, range, SD over prompts
    item_shifts: list[dict]  # per variant: per-item shifts from the canonical answers, averaged
    position_bias: list[dict]  # per number of options and display position: the mean mass
    human_spread: Estimate | None

    @property
    def canonical(self) -> PromptAnswers:
        return self.prompts[CANONICAL]

    @property
    def folder(self) -> str:
        """The family for its canonical task, else the task (``--metadata`` variants of another task)."""
        canonical = self.canonical
        return canonical.family if canonical.task == families.get(canonical.family).canonical_task else canonical.task

    def headline(self) -> str:
        """One line for the console: the largest shifts, the first position's mass, the human spread."""
        parts = [f"{len(self.prompts) - 1} variants"]
        for key, text in (("tv_shift", "TV shift"), ("argmax_change_share", "argmax changes")):
            worst = max(self.item_shifts, key=lambda row: _sortable(row[key]))
            parts.append(f"{text} up to {worst[key]:.3f} ({worst['variant']})")
        if self.position_bias:
            most = max(self.position_bias, key=lambda row: (row["n_items"], -row["n_options"]))
            first = next(r for r in self.position_bias if r["n_options"] == most["n_options"] and r["position"] == 1)
            parts.append(f"position 1 mass {first['mass']:.3f} vs 1/N {first['uniform']:.3f} (N={first['n_options']})")
        parts.append(
            f"human spread {self.human_spread.mean:.3f}" if self.human_spread else "human spread " + NO_HUMAN_SPREAD
        )
        return "; ".join(parts)


def robustness_report(prompts: dict[str, PromptAnswers]) -> RobustnessReport:
    """The report of a canonical prompt (key ``"canonical"``) and at least one variant."""
    family = prompts[CANONICAL].family
    ordered = [CANONICAL, *variants.variant_names(families.get(family))]
    prompts = {name: prompts[name] for name in sorted(prompts, key=lambda name: ordered.index(name))}
    canonical = prompts[CANONICAL]
    docs = list({doc["id"]: doc for doc in canonical.docs}.values())  # one per question
    reference = human_positions(family, docs)
    values, spreads = _metric_tables(prompts)
    return RobustnessReport(
        prompts=prompts,
        metric_values=values,
        metric_spreads=spreads,
        item_shifts=[_shift_row(canonical, prompt) for name, prompt in prompts.items() if name != CANONICAL],
        position_bias=_position_rows([p for p in prompts.values() if p.kind in (CANONICAL, "order")]),
        human_spread=None if reference is None else statistics.estimate(statistics.spread_over_groups(reference)),
    )


def _metric_tables(prompts: dict[str, PromptAnswers]) -> tuple[list[dict], list[dict]]:
    """Every summary metric of the canonical task under every prompt, and its spread per scope."""
    summary, stderrs = prompts[CANONICAL].summary, prompts[CANONICAL].stderrs
    values, spreads = [], []
    for metric in (key for key in summary if not key.startswith("uniform_")):
        per_prompt = {name: prompt.summary.get(metric, math.nan) for name, prompt in prompts.items()}
        stderr = {f"{CANONICAL}_stderr": stderrs.get(metric, math.nan)}
        uniform = summary.get(f"uniform_{metric}", math.nan)  # the baseline does not depend on the prompt
        values.append({"metric": metric, CANONICAL: per_prompt[CANONICAL], **stderr, "uniform": uniform, **per_prompt})
        for scope in SCOPES:
            names = [name for name, prompt in prompts.items() if scope == "all" or prompt.kind in (CANONICAL, scope)]
            if scope == "all" or len(names) > 1:
                spread = statistics.spread([per_prompt[name] for name in names])
                spreads.append({"metric": metric, "prompts": scope, **dataclasses.asdict(spread)})
    return values, spreads


def prompt_spreads(runs: Iterable[EvaluationRun]) -> dict[tuple[str, str], dict[str, statistics.Spread]]:
    """``{(model, canonical task): {metric: spread over all its prompts}}`` for every canonical
    log-likelihood task that ``runs`` also hold robustness variants of (the latest run of each prompt)."""
    found = {}
    for key, prompts in group_prompts(all_prompt_answers(runs)).items():
        if CANONICAL in prompts and len(prompts) > 1:
            _, spreads = _metric_tables(prompts)
            found[key] = {row["metric"]: _spread(row) for row in spreads if row["prompts"] == "all"}
    return found


def _spread(row: dict) -> statistics.Spread:
    return statistics.Spread(**{field.name: row[field.name] for field in dataclasses.fields(statistics.Spread)})


def _shift_row(canonical: PromptAnswers, variant: PromptAnswers) -> dict:
    """The variant's mean per-item shifts from the canonical answers, over the items both answered."""
    index = {key: row for row, key in enumerate(canonical.keys)}
    pairs = np.array([(index[key], row) for row, key in enumerate(variant.keys) if key in index], dtype=int)
    pairs = pairs.reshape(-1, 2)
    width = max(canonical.probabilities.shape[1], variant.probabilities.shape[1])
    p = _padded(canonical.probabilities, width)[pairs[:, 0]]
    q = _padded(variant.probabilities, width)[pairs[:, 1]]
    positions = _padded(scale_positions(canonical.docs), width, np.nan)[pairs[:, 0]]
    per_item = {
        "tv_shift": statistics.total_variation(p, q),
        "argmax_change_share": statistics.argmax_changed(p, q),
        "position_shift": np.abs(
            statistics.expected_positions(q, positions) - statistics.expected_positions(p, positions)
        ),
    }
    row = {"variant": variant.variant, "kind": variant.kind, "task": variant.task, "n_items": len(pairs)}
    for key in SHIFTS:
        found = statistics.estimate(per_item[key])
        row.update({key: found.mean, f"{key}_ci_low": found.ci_low, f"{key}_ci_high": found.ci_high})
    row["n_ordinal_items"] = statistics.estimate(per_item["position_shift"]).n_items
    return row


def _position_rows(prompts: list[PromptAnswers]) -> list[dict]:
    """Mean mass per display position over the canonical prompt and the order variants, per number
    of options; none without an order variant."""
    if len(prompts) < 2:
        return []
    keys = list(dict.fromkeys(key for prompt in prompts for key in prompt.keys))
    index = {key: row for row, key in enumerate(keys)}
    width = max(prompt.probabilities.shape[1] for prompt in prompts)
    masses = np.full((len(prompts), len(keys), width), np.nan)
    n_options = np.zeros(len(keys), dtype=int)
    for layer, prompt in zip(masses, prompts):
        rows = [index[key] for key in prompt.keys]
        layer[rows] = _padded(statistics.display_masses(prompt.probabilities, prompt.display_orders), width)
        n_options[rows] = prompt.n_options
    table = []
    for n in np.unique(n_options):
        chosen = masses[:, n_options == n, :n]
        for position, found in enumerate(statistics.position_masses(chosen), start=1):
            table.append(
                {
                    "n_options": int(n),
                    "position": position,
                    "n_items": found.n_items,
                    "n_prompts": len(prompts),
                    "mass": found.mean,
                    "ci_low": found.ci_low,
                    "ci_high": found.ci_high,
                    "uniform": 1 / n,
                }
            )
    return table


def _padded(array: np.ndarray, width: int, fill: float = 0.0) -> np.ndarray:
    """``array`` with its last axis padded with ``fill`` to ``width``."""
    return np.pad(array, [(0, 0)] * (array.ndim - 1) + [(0, width - array.shape[-1])], constant_values=fill)


def _sortable(value: float) -> float:
    return -math.inf if math.isnan(value) else value
