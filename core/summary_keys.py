"""The summary numbers of lm-eval's table, specified once: every task's ``metric_list`` is written
from a list of :class:`SummaryKey` (:func:`metric_list_yaml`).

Every key but counts has one more key, ``<key>_stderr`` (the stderr-key convention of
:mod:`opinionbench.lm_eval_outputs`): the bootstrap standard error of the key's own statistic
under :data:`opinionbench.intervals.POLICY` (items resampled for surveys and open answers, answers
drawn from the option probabilities for the instruments), which lm-eval shows in its Stderr column
beside the key's row. It is aggregated by the function that :func:`stderr_aggregation` makes from the key's
estimate function; the same function's ``estimate`` gives the report and the site the 95 %
percentile interval from the same bootstrap, computed once per payloads (:func:`reuse_last`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from opinionbench.intervals import POLICY
from opinionbench.lm_eval_outputs import STDERR_SUFFIX
from opinionbench.metrics.aggregation import BootstrapEstimate

LM_EVAL_MEAN = "mean"  # lm-eval's own aggregation; its standard error is :func:`mean_stderr`


@dataclass(frozen=True)
class SummaryKey:
    """One number of a task's table.

    ``aggregation`` is :data:`LM_EVAL_MEAN` or the name of the aggregation function that the
    family's ``utils.py`` provides (with ``<aggregation>_stderr`` beside it when the key has an
    uncertainty); ``higher_is_better`` is ``None`` for positions (compass coordinates), which are
    not qualities; counts have no ``uncertainty``.
    """

    name: str
    aggregation: str
    higher_is_better: bool | None
    uncertainty: bool = True

    def entries(self) -> list[tuple[str, str, bool | None]]:
        """``(metric, aggregation in YAML, higher_is_better)`` of the key and of its standard error."""
        own = LM_EVAL_MEAN if self.aggregation == LM_EVAL_MEAN else f"!function utils.{self.aggregation}"
        entries = [(self.name, own, self.higher_is_better)]
        if self.uncertainty:
            entries.append((f"{self.name}{STDERR_SUFFIX}", f"!function utils.{self.aggregation}{STDERR_SUFFIX}", None))
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


def stderr_aggregation(estimate_of: Callable[[list], BootstrapEstimate]) -> Callable[[list], float]:
    """The lm-eval aggregation of a key's standard error, from ``estimate_of(payloads)``: named
    ``<estimate_of>_stderr`` without an ``_estimate`` suffix, with ``estimate`` (the whole
    estimate: interval and standard error) as an attribute; both share one bootstrap."""
    stem = estimate_of.__name__.removesuffix("_estimate")
    estimate = reuse_last(estimate_of)

    def aggregate(payloads: list) -> float:
        return float(estimate(payloads).stderr)

    aggregate.__name__ = aggregate.__qualname__ = f"{stem}{STDERR_SUFFIX}"
    aggregate.__module__ = estimate_of.__module__
    aggregate.__doc__ = f"The bootstrap standard error of :func:`{stem}` (its ``estimate``: interval too)."
    aggregate.estimate = estimate
    return aggregate


def estimate_behind(aggregation: Callable) -> Callable[[list], BootstrapEstimate] | None:
    """The estimate function behind a standard-error aggregation made by :func:`stderr_aggregation`."""
    return getattr(aggregation, "estimate", None)


def mean_estimate(values: list) -> BootstrapEstimate:
    """Interval and standard error of lm-eval's ``mean`` aggregation: the mean over documents, resampled."""
    sample = np.asarray(values, dtype=float)
    return POLICY.estimate(lambda weights: weights @ sample / sample.size, sample.size)


mean_stderr = stderr_aggregation(mean_estimate)
