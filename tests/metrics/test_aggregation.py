"""Per-group aggregation and bootstrap intervals, checked by hand and against scipy.stats.bootstrap."""

import math

import numpy as np
import pytest
from scipy import stats

from opinionbench.metrics import bootstrap_ci, summarize_by_group
from opinionbench.metrics.aggregation import answer_draw_estimates, stack_ragged, summary_floats


def test_group_means_are_over_the_items_each_group_answered():
    # Country A answered q1, q2, q3; B answered q1 only; C's only pair was skipped (NaN).
    scores = [0.9, 0.6, 0.3, 0.2, math.nan]
    groups = ["A", "A", "A", "B", "C"]
    items = ["q1", "q2", "q3", "q1", "q2"]
    summary = summarize_by_group(scores, groups, items, n_resamples=200)
    assert summary.groups == ["A", "B", "C"]
    np.testing.assert_allclose(summary.means[:2], [0.6, 0.2])
    assert math.isnan(summary.means[2])
    assert summary.n_items.tolist() == [3, 1, 0]
    assert summary.n_skipped.tolist() == [0, 0, 1]
    assert summary.macro_mean == pytest.approx((0.6 + 0.2) / 2)  # macro: C has no scored item
    assert (summary.min, summary.min_group) == (pytest.approx(0.2), "B")
    assert (summary.max, summary.max_group) == (pytest.approx(0.6), "A")
    for value, (low, high) in [
        (summary.macro_mean, summary.macro_mean_ci),
        (summary.min, summary.min_ci),
        (summary.max, summary.max_ci),
    ]:
        assert low <= value <= high
    rows = summary.as_rows()
    assert rows[0] == {
        "group": "A",
        "n_items": 3,
        "n_skipped": 0,
        "mean": pytest.approx(0.6),
        "ci_low": summary.ci_low[0],
        "ci_high": summary.ci_high[0],
    }


def test_bootstrap_ci_matches_scipy_percentile_bootstrap():
    values = np.random.default_rng(7).beta(2, 5, size=400)
    low, high = bootstrap_ci(values, n_resamples=20_000, random_state=1)
    reference = stats.bootstrap(
        (values,), np.mean, n_resamples=20_000, method="percentile", random_state=2
    ).confidence_interval
    assert low == pytest.approx(reference.low, abs=2e-3)
    assert high == pytest.approx(reference.high, abs=2e-3)


def test_group_interval_of_a_single_group_matches_scipy():
    values = np.random.default_rng(3).uniform(size=300)
    summary = summarize_by_group(values, ["only"] * 300, range(300), n_resamples=20_000, random_state=4)
    reference = stats.bootstrap((values,), np.mean, n_resamples=20_000, method="percentile", random_state=5)
    assert summary.ci_low[0] == pytest.approx(reference.confidence_interval.low, abs=3e-3)
    assert summary.ci_high[0] == pytest.approx(reference.confidence_interval.high, abs=3e-3)
    assert summary.macro_mean_ci == pytest.approx((summary.ci_low[0], summary.ci_high[0]))


def test_bootstrap_is_reproducible_and_narrows_with_more_items():
    rng = np.random.default_rng(0)
    small, large = rng.uniform(size=30), rng.uniform(size=3000)
    assert bootstrap_ci(small, random_state=11) == bootstrap_ci(small, random_state=11)
    (small_low, small_high), (large_low, large_high) = bootstrap_ci(small), bootstrap_ci(large)
    assert large_high - large_low < (small_high - small_low) / 4


def test_bootstrap_ci_other_statistic_and_level():
    values = np.arange(100.0)
    low90, high90 = bootstrap_ci(values, statistic=np.median, confidence_level=0.9)
    low99, high99 = bootstrap_ci(values, statistic=np.median, confidence_level=0.99)
    assert low99 <= low90 <= 49.5 <= high90 <= high99


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bootstrap_ci([]), "values is empty"),
        (lambda: bootstrap_ci([0.1, math.nan]), "drop skipped items first"),
        (lambda: bootstrap_ci([[0.1]]), "one-dimensional"),
        (lambda: bootstrap_ci([0.1, 0.2], confidence_level=95), "confidence_level must be between 0 and 1"),
        (lambda: bootstrap_ci([0.1, 0.2], n_resamples=0), "n_resamples must be a positive integer"),
        (lambda: summarize_by_group([0.1, 0.2], ["A"], ["q1", "q2"]), "groups has 1 entries but scores has 2"),
        (lambda: summarize_by_group([], [], []), "scores is empty"),
        (lambda: summarize_by_group([math.inf], ["A"], ["q"]), "infinite"),
    ],
)
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_summary_floats_with_and_without_groups():
    scores = [1.0, 0.0, 0.5, math.nan]
    assert summary_floats("m", scores) == {"m": pytest.approx(0.5), "m_skipped": 1.0}
    grouped = summary_floats("m", scores, groups=["A", "A", "B", "B"], items=["q1", "q2", "q1", "q2"])
    assert grouped == {"m": pytest.approx(0.5), "m_min": 0.5, "m_max": 0.5, "m_skipped": 1.0}
    assert all(type(value) is float for value in grouped.values())


def test_stack_ragged_pads_with_the_fill_value():
    stacked = stack_ragged([[0.5, 0.5], [0.2, 0.3, 0.5]], fill=np.nan)
    assert stacked.shape == (2, 3)
    assert np.isnan(stacked[0, 2]) and stacked[1, 2] == 0.5


def test_answer_draws_leave_a_row_s_missing_mass_unanswered():
    """Item 1 answers option 1 with probability 0.3, else nothing (a sampled run: 3 of 10 repeats
    usable); item 2 always option 0. The count of option-1 answers is Bernoulli(0.3): standard
    error sqrt(0.3 * 0.7), and the answered count is 1 or 2 with probability 0.7 / 0.3."""
    rows = np.array([[0.0, 0.3], [1.0, 0.0]])

    def statistics(drawn):
        return {"ones": drawn[..., 1].sum(axis=-1), "answered": drawn.sum(axis=(-1, -2))}

    found = answer_draw_estimates(statistics, rows, n_resamples=4000)
    assert found["ones"].stderr == pytest.approx(math.sqrt(0.3 * 0.7), rel=0.05)
    assert (found["answered"].ci_low, found["answered"].ci_high) == (1.0, 2.0)
    with pytest.raises(ValueError, match=r"sums to more than 1 \(row 1\)"):
        answer_draw_estimates(statistics, [[0.5, 0.5], [0.7, 0.6]])
