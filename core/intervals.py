"""The one interval policy of every number OpinionBench shows with an interval: lm-eval's table,
the report (per country, per condition, per domain), the robustness report and the site.

Surveys and open answers resample their items (:meth:`IntervalPolicy.estimate`); the political
instruments are fixed lists of statements, so their intervals draw the answers instead
(:meth:`IntervalPolicy.answer_estimates`, a parametric bootstrap from the option probabilities)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IntervalPolicy:
    """Percentile-bootstrap intervals: ``confidence_level``, ``n_resamples`` resamples (of items, or of
    answers drawn from their probabilities), seed ``random_state``."""

    confidence_level: float = 0.95
    n_resamples: int = 1000
    random_state: int = 0

    def method(self, items: str) -> str:
        """How the intervals are computed, for reports: ``items`` names what is resampled."""
        return (
            f"{self.confidence_level:.0%} percentile bootstrap over {items} "
            f"({self.n_resamples} resamples, seed {self.random_state})"
        )

    def answer_method(self) -> str:
        """How the instruments' intervals are computed, for reports."""
        return (
            f"{self.confidence_level:.0%} percentile interval of the scores of {self.n_resamples} answer sets, "
            f"each statement's answer drawn from its option probabilities (seed {self.random_state}); "
            "the statements are fixed, not resampled"
        )

    def estimate(self, statistic: Callable[[np.ndarray], np.ndarray], n_items: int):
        """The interval and standard error of ``statistic(item_weights)`` over ``n_items`` items
        (a :class:`~opinionbench.metrics.aggregation.BootstrapEstimate`, see
        :func:`opinionbench.metrics.aggregation.bootstrap_estimate`)."""
        from opinionbench.metrics.aggregation import bootstrap_estimate

        return bootstrap_estimate(statistic, n_items, **self.options())

    def estimates(self, statistics: Callable[[np.ndarray], Mapping[str, np.ndarray]], n_items: int) -> dict:
        """:meth:`estimate` of several statistics of the same draws (``statistics(weights)`` returns
        ``{name: values}``; see :func:`opinionbench.metrics.aggregation.bootstrap_estimates`)."""
        from opinionbench.metrics.aggregation import bootstrap_estimates

        return bootstrap_estimates(statistics, n_items, **self.options())

    def answer_estimates(self, statistics: Callable[[np.ndarray], Mapping[str, np.ndarray]], probabilities) -> dict:
        """Interval and standard error of statistics of answer sets drawn from the rows of
        ``probabilities`` (one row per statement; see
        :func:`opinionbench.metrics.aggregation.answer_draw_estimates`)."""
        from opinionbench.metrics.aggregation import answer_draw_estimates

        return answer_draw_estimates(statistics, probabilities, **self.options())

    def mean_interval(self, values: Sequence[float]) -> tuple[float, float]:
        """The interval of the mean of ``values`` (one per item)."""
        from opinionbench.metrics import bootstrap_ci

        return bootstrap_ci(values, **self.options())

    def summarize_by_group(self, scores, groups, items, *, resample: bool = True):
        """:func:`opinionbench.metrics.summarize_by_group` under this policy (``resample=False``:
        the point estimates only)."""
        from opinionbench.metrics import summarize_by_group

        options = self.options() if resample else {**self.options(), "n_resamples": 0}
        return summarize_by_group(scores, groups, items, **options)

    def options(self) -> dict:
        """The policy as the keyword arguments of :mod:`opinionbench.metrics`' bootstrap functions."""
        return {
            "confidence_level": self.confidence_level,
            "n_resamples": self.n_resamples,
            "random_state": self.random_state,
        }


POLICY = IntervalPolicy()
