"""CVaR95 of per-item losses (SHARP's tail statistic), against Rockafellar and Uryasev's
minimisation computed directly, and its survey summary keys."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opinionbench.metrics import cvar
from opinionbench.tasks.common import survey_summaries


def _rockafellar_uryasev(losses: np.ndarray, alpha: float) -> float:
    """min over t of t + E[(X - t)+] / alpha (the minimum is at a data point, the VaR)."""
    return min(t + np.maximum(losses - t, 0.0).mean() / alpha for t in losses)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)), min_size=1, max_size=60),
    st.sampled_from([0.05, 0.1, 0.25, 0.5, 1.0]),
)
def test_cvar_equals_the_rockafellar_uryasev_minimum(values, alpha):
    losses = np.array(values)
    assert cvar(losses, alpha=alpha) == pytest.approx(_rockafellar_uryasev(losses, alpha), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1, allow_nan=False), st.integers(0, 4)), min_size=1, max_size=30))
def test_weights_count_as_repeated_losses(pairs):
    losses, weights = (np.array(column) for column in zip(*pairs))
    if weights.sum() == 0:
        assert math.isnan(cvar(losses, weights))
        return
    expanded = np.repeat(losses, weights)
    assert cvar(losses, weights) == pytest.approx(_rockafellar_uryasev(expanded, 0.05), abs=1e-9)
    rows = np.stack([weights, np.ones_like(weights)])
    np.testing.assert_allclose(cvar(losses, rows), [cvar(losses, weights), cvar(losses)], atol=1e-12)


def test_worked_examples():
    assert cvar(np.arange(1.0, 21.0)) == 20.0  # 5 % of 20 losses: the largest
    assert cvar(np.arange(1.0, 41.0)) == 39.5  # of 40: the two largest
    assert cvar(np.arange(1.0, 31.0)) == pytest.approx((30 + 29 * 0.5) / 1.5)  # 1.5 losses: half of 29
    assert cvar([2.0, 2.0, 2.0, 1.0]) == 2.0  # a tie at the quantile changes nothing
    assert cvar([0.3, math.nan, 0.9]) == 0.9  # NaN (unscored) losses are left out


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="alpha must lie in"):
        cvar([1.0], alpha=0)
    with pytest.raises(ValueError, match="2 weights for 3 losses"):
        cvar([1.0, 2.0, 3.0], [1, 1])
    with pytest.raises(ValueError, match="non-negative"):
        cvar([1.0, 2.0], [1, -1])


def _payloads(scores_per_question: list[list[float | None]]) -> list[dict]:
    countries = ["A", "B", "C"]
    return [
        {"item": f"q{i}", "groups": countries[: len(scores)], "scores": scores}
        for i, scores in enumerate(scores_per_question)
    ]


def test_survey_tail_keys_pool_the_scored_pairs():
    similarities = [[0.9, 0.2, None], [0.8, 0.7, 0.1], [0.5, 0.95]] * 10  # 70 scored pairs of 90 listed
    payloads = _payloads(similarities)
    losses = 1 - np.array([s for scores in similarities for s in scores if s is not None])
    assert survey_summaries.tail_loss(payloads) == pytest.approx(_rockafellar_uryasev(losses, 0.05))
    percent = _payloads([[None if s is None else 100 * s for s in scores] for scores in similarities])
    assert survey_summaries.tail_loss_percent(percent) == pytest.approx(100 * survey_summaries.tail_loss(payloads))
    estimate = survey_summaries.tail_loss_estimate(payloads)
    assert estimate.ci_low <= survey_summaries.tail_loss(payloads) <= estimate.ci_high
    assert survey_summaries.tail_loss_stderr(payloads) == pytest.approx(estimate.stderr) and estimate.stderr > 0


def test_identical_questions_give_a_zero_width_interval():
    payloads = _payloads([[0.4, 0.6, 0.8]] * 12)  # every resample of questions holds the same pairs
    estimate = survey_summaries.tail_loss_estimate(payloads)
    assert estimate.ci_low == pytest.approx(0.6) and estimate.ci_high == pytest.approx(0.6)
    assert estimate.stderr == pytest.approx(0.0, abs=1e-12)
