"""95 % bootstrap intervals of the summary numbers in lm-eval's table.

Every summary key of a task except counts (``*_skipped``) has two more keys, ``<key>_ci_low``
and ``<key>_ci_high``: ``process_results`` gives them the key's own payload
(:func:`with_intervals`), and the YAML aggregates them with the bounds of the key's interval
function (:func:`bound_aggregations`), a percentile bootstrap over the items (questions,
statements) that recomputes the key's own statistic: :data:`N_RESAMPLES` resamples, seed
:data:`RANDOM_STATE`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from opinionbench.metrics import bootstrap_interval

BOUNDS = ("ci_low", "ci_high")
CONFIDENCE_LEVEL = 0.95
N_RESAMPLES = 1000
RANDOM_STATE = 0
COUNT_SUFFIX = "_skipped"  # counts have no interval


def method(items: str) -> str:
    """How the intervals are computed, for reports: ``items`` names what is resampled."""
    return f"{CONFIDENCE_LEVEL:.0%} percentile bootstrap over {items} ({N_RESAMPLES} resamples, seed {RANDOM_STATE})"


def with_intervals(results: dict) -> dict:
    """``results`` (a ``process_results`` dict) plus ``<key>_ci_low`` and ``<key>_ci_high``, holding
    the key's own payload, for every key but counts."""
    bounds = {
        f"{key}_{bound}": value for key, value in results.items() if not key.endswith(COUNT_SUFFIX) for bound in BOUNDS
    }
    return {**results, **bounds}


def is_bound(key: str) -> bool:
    """Whether ``key`` is the bound of another key's interval (``js_similarity_ci_low``, ...)."""
    return key.endswith(tuple(f"_{bound}" for bound in BOUNDS))


def interval(statistic: Callable[[np.ndarray], np.ndarray], n_items: int) -> tuple[float, float]:
    """The table's interval of ``statistic(item_weights)`` over ``n_items`` items (see
    :func:`opinionbench.metrics.bootstrap_interval`)."""
    return bootstrap_interval(
        statistic, n_items, confidence_level=CONFIDENCE_LEVEL, n_resamples=N_RESAMPLES, random_state=RANDOM_STATE
    )


def bound_aggregations(interval_of: Callable[[list], tuple[float, float]]) -> tuple[Callable, Callable]:
    """The lm-eval aggregation functions of the lower and upper bound of ``interval_of(payloads)``,
    named ``<interval_of>_ci_low`` and ``..._ci_high`` without an ``_interval`` suffix."""
    stem = interval_of.__name__.removesuffix("_interval")

    def bound(position: int, name: str) -> Callable:
        def aggregate(payloads: list) -> float:
            return float(interval_of(payloads)[position])

        aggregate.__name__ = aggregate.__qualname__ = f"{stem}_{name}"
        aggregate.__module__ = interval_of.__module__
        aggregate.__doc__ = f"The {'lower' if position == 0 else 'upper'} bound of :func:`{interval_of.__name__}`."
        return aggregate

    low, high = (bound(position, name) for position, name in enumerate(BOUNDS))
    return low, high


def mean_interval(values: list) -> tuple[float, float]:
    """Interval of lm-eval's ``mean`` aggregation: the mean over documents, resampled."""
    sample = np.asarray(values, dtype=float)
    return interval(lambda weights: weights @ sample / sample.size, sample.size)


mean_ci_low, mean_ci_high = bound_aggregations(mean_interval)
