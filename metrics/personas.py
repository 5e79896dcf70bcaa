"""Metrics of persona-conditioned instrument runs (Wright et al., "LLM Tropes", Findings of EMNLP
2024): positions per persona condition and template, the persona effect, and the
open-vs-closed total variation distance.

A run answers every statement of an instrument under conditions ``(persona, template)``. Each
condition's answers, one option row per statement (one-hot for an answer, zero when unanswered),
are scored by the instrument's row scorer into a position (one value per axis): the paper's unit,
one compass position per prompt variation. From those positions:

- a persona's position is the mean of its templates' positions;
- its **shift** is its position minus the base case's, per axis, and the Euclidean
  ``distance`` of the shift over the axes;
- the **share of variance** of an axis explained by the persona is the between-persona sum of
  squares of the condition positions over their total sum of squares (one-way ANOVA's eta
  squared; the template's share likewise);
- the **open-vs-closed TVD** of a persona: per statement, the shares of agree, disagree and
  "none" answers over its closed and over its open templates (Strongly folded into its side;
  unanswered and neutral count as none), ``0.5 * sum |p_closed - p_open|``, averaged over the
  statements both settings asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np

SIDES = ("agree", "disagree", "none")


def condition_positions(
    row_score: Callable[[np.ndarray], Mapping[str, np.ndarray]], rows: np.ndarray, axes: Sequence[str]
) -> dict[str, np.ndarray]:
    """Per axis, the position of each condition: ``rows`` of shape (..., n_conditions,
    n_statements, n_options) scored by ``row_score``; arrays of shape (..., n_conditions)."""
    scored = row_score(np.asarray(rows, dtype=float))
    return {axis: np.asarray(scored[axis], dtype=float) for axis in axes}


def persona_means(positions: Mapping[str, np.ndarray], personas: Sequence[str]) -> dict[str, dict[str, np.ndarray]]:
    """Per persona (in first-seen order), per axis, the mean position over its conditions
    (the last axis of each array of ``positions`` is the conditions, labelled by ``personas``)."""
    groups = _groups(personas)
    return {
        persona: {axis: values[..., index].mean(axis=-1) for axis, values in positions.items()}
        for persona, index in groups.items()
    }


def persona_shifts(means: Mapping[str, Mapping[str, np.ndarray]], base: str) -> dict[str, dict[str, np.ndarray]]:
    """Per persona other than ``base``, its shift from the base case per axis and its Euclidean ``distance``."""
    shifts = {}
    for persona, position in means.items():
        if persona == base:
            continue
        delta = {axis: position[axis] - means[base][axis] for axis in position}
        delta["distance"] = np.sqrt(sum(value**2 for value in delta.values()))
        shifts[persona] = delta
    return shifts


def variance_share(values: np.ndarray, groups: Sequence[str]) -> float:
    """Between-group sum of squares over the total sum of squares of ``values`` (eta squared); NaN
    when the values do not vary, or there is one group or no group with two values (the share would
    be 0 or 1 by construction)."""
    values = np.asarray(values, dtype=float)
    if len(set(groups)) in (1, len(groups)):
        return float("nan")
    total = float(((values - values.mean()) ** 2).sum())
    if total <= 1e-12:
        return float("nan")
    between = sum(len(index) * (values[index].mean() - values.mean()) ** 2 for index in _groups(groups).values())
    return float(between / total)


def side_shares(sides: Sequence[str]) -> np.ndarray:
    """The shares of agree, disagree and none among ``sides``."""
    counts = np.array([list(sides).count(side) for side in SIDES], dtype=float)
    return counts / counts.sum()


def total_variation(closed: Sequence[str], open_: Sequence[str]) -> float:
    """``0.5 * sum_k |p_closed,k - p_open,k|`` over the sides of one statement's answers."""
    return float(0.5 * np.abs(side_shares(closed) - side_shares(open_)).sum())


def open_closed_tvd(closed: Mapping[object, Sequence[str]], open_: Mapping[object, Sequence[str]]) -> tuple[float, int]:
    """The mean TVD over the statements both settings answered (``{statement: sides}`` each), and
    how many statements that is; NaN and 0 when none."""
    shared = [key for key in closed if key in open_ and closed[key] and open_[key]]
    if not shared:
        return float("nan"), 0
    return float(np.mean([total_variation(closed[key], open_[key]) for key in shared])), len(shared)


def _groups(labels: Sequence[str]) -> dict[str, np.ndarray]:
    found: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        found[label].append(index)
    return {label: np.array(index) for label, index in found.items()}
