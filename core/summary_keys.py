"""The summary numbers of lm-eval's table, specified once: every task's ``metric_list`` is written
from a list of :class:`SummaryKey` (:func:`metric_list_yaml`).

Every key but counts has two more keys, ``<key>_ci_low`` and ``<key>_ci_high`` (the bound-key
convention of :mod:`opinionbench.lm_eval_outputs`): the 95 % interval of the key's own statistic
under :data:`opinionbench.intervals.POLICY`. They are aggregated by the two functions that
:func:`bound_aggregations` makes from the key's interval function, which share one bootstrap:
the lower bound computes the interval and the upper bound, called next on the same payloads,
reuses it (:func:`reuse_last`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from opinionbench.intervals import POLICY
from opinionbench.lm_eval_outputs import BOUNDS

LM_EVAL_MEAN = "mean"  # lm-eval's own aggregation; its bounds are :func:`mean_ci_low`, :func:`mean_ci_high`


@dataclass(frozen=True)
class SummaryKey:
    """One number of a task's table.

    ``aggregation`` is :data:`LM_EVAL_MEAN` or the name of the aggregation function that the
    family's ``utils.py`` provides (with ``<aggregation>_ci_low`` and ``<aggregation>_ci_high``
    beside it when the key has an interval); ``higher_is_better`` is ``None`` for positions
    (compass coordinates), which are not qualities; counts have no ``interval``.
    """

    name: str
    aggregation: str
    higher_is_better: bool | None
    interval: bool = True

    def entries(self) -> list[tuple[str, str, bool | None]]:
        """``(metric, aggregation in YAML, higher_is_better)`` of the key and of its bounds."""
        own = LM_EVAL_MEAN if self.aggregation == LM_EVAL_MEAN else f"!function utils.{self.aggregation}"
        entries = [(self.name, own, self.higher_is_better)]
        if self.interval:
            entries += [
                (f"{self.name}_{bound}", f"!function utils.{self.aggregation}_{bound}", self.higher_is_better)
                for bound in BOUNDS
            ]
        return entries


def metric_list_yaml(keys: Sequence[SummaryKey]) -> str:
    """The ``metric_list`` of a task's YAML for ``keys``, in their order."""
    names = {"True": "true", "False": "false", "None": "null"}
    lines = ["metric_list:"]
    for key in keys:
        for metric, aggregation, better in key.entries():
            lines += [f"  - metric: {metric}", f"    aggregation: {aggregation}"]
            lines.append(f"    higher_is_better: {names[str(better)]}")
    return "\n".join(lines) + "\n"


def reuse_last(function: Callable[[list], object]) -> Callable[[list], object]:
    """``function(payloads)``, which gives its last result again when it is next called on equal
    payloads (compared element by element: lm-eval hands each metric key its own list of the
    same payloads) instead of computing it again."""
    last: dict[str, object] = {}

    @functools.wraps(function)
    def reusing(payloads: list):
        if "payloads" not in last or last["payloads"] != payloads:
            last["payloads"], last["value"] = list(payloads), function(payloads)
        return last["value"]

    return reusing


def bound_aggregations(interval_of: Callable[[list], tuple[float, float]]) -> tuple[Callable, Callable]:
    """The lm-eval aggregation functions of the lower and upper bound of ``interval_of(payloads)``,
    named ``<interval_of>_ci_low`` and ``..._ci_high`` without an ``_interval`` suffix; the
    second reuses the bootstrap of the first on the same payloads."""
    stem = interval_of.__name__.removesuffix("_interval")
    computed = reuse_last(interval_of)

    def bound(position: int, name: str) -> Callable:
        def aggregate(payloads: list) -> float:
            return float(computed(payloads)[position])

        aggregate.__name__ = aggregate.__qualname__ = f"{stem}_{name}"
        aggregate.__module__ = interval_of.__module__
        aggregate.__doc__ = f"The {'lower' if position == 0 else 'upper'} bound of :func:`{interval_of.__name__}`."
        return aggregate

    low, high = (bound(position, name) for position, name in enumerate(BOUNDS))
    return low, high


def mean_interval(values: list) -> tuple[float, float]:
    """Interval of lm-eval's ``mean`` aggregation: the mean over documents, resampled."""
    sample = np.asarray(values, dtype=float)
    return POLICY.interval(lambda weights: weights @ sample / sample.size, sample.size)


mean_ci_low, mean_ci_high = bound_aggregations(mean_interval)
