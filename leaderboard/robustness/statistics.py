"""Stability of a model's answers across prompt variants: the numbers, on arrays (numpy).

Option probabilities are ``(n_items, n_options)`` arrays in canonical option order, the rows of
items with fewer options padded with 0. Scale positions on [0, 1] are aligned with them: NaN for
options off the answer scale (don't know, nominal items) and for padding.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from opinionbench.intervals import POLICY
from opinionbench.metrics import restrict_to_ordinal


@dataclass(frozen=True)
class Estimate:
    """A mean over items with its percentile-bootstrap interval over items."""

    mean: float
    ci_low: float
    ci_high: float
    n_items: int


def estimate(per_item) -> Estimate:
    """Mean of the per-item values (NaN marks a skipped item) with its bootstrap interval over items
    (:data:`opinionbench.intervals.POLICY`)."""
    values = np.asarray(per_item, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    low, high = POLICY.mean_interval(values)
    return Estimate(float(values.mean()), low, high, int(values.size))


def softmax(loglikelihoods) -> np.ndarray:
    """Probabilities over the options from their log-likelihoods (``-inf`` padding gets 0)."""
    loglikelihoods = np.asarray(loglikelihoods, dtype=float)
    weights = np.exp(loglikelihoods - loglikelihoods.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)


def total_variation(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per item ``0.5 * sum_i |p_i - q_i|``, in [0, 1]."""
    return 0.5 * np.abs(p - q).sum(axis=-1)


def argmax_changed(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per item 1.0 where the most probable option differs, else 0.0."""
    return (np.argmax(p, axis=-1) != np.argmax(q, axis=-1)).astype(float)


def unit_scale(raw_positions) -> np.ndarray:
    """Ordinal positions mapped to [0, 1] per item: ``(x - min) / (max - min)`` over the item's
    options on the scale; a row without two distinct positions becomes NaN.

    Examples
    --------
    >>> unit_scale([[1, 2, 3, None], [4, None, None, None]]).tolist()
    [[0.0, 0.5, 1.0, nan], [nan, nan, nan, nan]]
    """
    raw = np.asarray(raw_positions, dtype=float)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # rows without any position
        low = np.nanmin(raw, axis=-1, keepdims=True)
        high = np.nanmax(raw, axis=-1, keepdims=True)
        unit = (raw - low) / (high - low)
    return np.where(np.isfinite(unit), unit, np.nan)


def expected_positions(p, positions) -> np.ndarray:
    """Expected scale position ``sum_i p_i x_i`` after renormalising ``p`` over the options on the
    scale; NaN where no option is on the scale or ``p`` has no weight there. Shapes broadcast."""
    restricted = restrict_to_ordinal(p, positions)
    return (restricted * np.nan_to_num(np.asarray(positions, dtype=float))).sum(axis=-1)


def display_masses(p: np.ndarray, display_orders: np.ndarray) -> np.ndarray:
    """The probability at each display position: ``masses[:, j] = p[:, display_orders[:, j]]``."""
    return np.take_along_axis(p, display_orders, axis=-1)


def position_masses(masses: np.ndarray) -> list[Estimate]:
    """Mean probability mass at each display position, with CIs over items.

    ``masses`` is ``(n_prompts, n_items, n_options)`` (NaN where a prompt did not answer an item):
    each item's mass per position is averaged over the prompts that answered it, then over items.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an item no prompt answered
        per_item = np.nanmean(masses, axis=0)
    return [estimate(column) for column in per_item.T]


def spread_over_groups(values) -> np.ndarray:
    """Per item the standard deviation (ddof=0) over its groups' values (``(n_items, n_groups)``,
    NaN for a group without a value); NaN for an item with fewer than two values."""
    values = np.asarray(values, dtype=float)
    counts = np.isfinite(values).sum(axis=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanstd(values, axis=-1, ddof=0)
    return np.where(counts >= 2, spread, np.nan)


@dataclass(frozen=True)
class Spread:
    """Min, max, range and standard deviation (ddof=0) of one number over prompts."""

    n_prompts: int
    min: float
    max: float
    range: float
    sd: float


def spread(values) -> Spread:
    """The spread of ``values`` (one per prompt) over the finite ones."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return Spread(0, math.nan, math.nan, math.nan, math.nan)
    low, high = float(values.min()), float(values.max())
    return Spread(int(values.size), low, high, high - low, float(values.std(ddof=0)))
