"""The distribution metrics against SciPy, on random inputs (hypothesis) and edge cases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

from opinionbench.metrics import js_similarity, restrict_to_ordinal, wasserstein_similarity
from opinionbench.metrics import wasserstein_distance as metric_wasserstein_distance

weights = st.floats(min_value=0, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def distribution_pairs(draw, min_options=1, max_options=12):
    size = draw(st.integers(min_options, max_options))
    p = draw(arrays(float, size, elements=weights).filter(lambda a: a.sum() > 1e-6))
    q = draw(arrays(float, size, elements=weights).filter(lambda a: a.sum() > 1e-6))
    return p, q


@settings(max_examples=300, deadline=None)
@given(distribution_pairs(), st.sampled_from([2.0, math.e, 10.0]))
def test_js_similarity_equals_one_minus_scipy_jensenshannon(pair, base):
    p, q = pair
    # SciPy takes the square root of a divergence that rounding can push just below 0 for
    # (nearly) equal distributions, and returns NaN there; the distance is 0.
    expected = 1 - np.nan_to_num(jensenshannon(p, q, base=base), nan=0.0)
    assert js_similarity(p, q, base=base) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.integers(2, 8), st.integers(0, 2**32 - 1))
def test_js_similarity_batch_equals_pair_by_pair(n_pairs, n_options, seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(n_options), size=n_pairs)
    q = rng.dirichlet(np.ones(n_options), size=n_pairs)
    batch = js_similarity(p, q)
    assert batch.shape == (n_pairs,)
    np.testing.assert_allclose(batch, [1 - jensenshannon(a, b, base=2) for a, b in zip(p, q)], atol=1e-9)


def test_js_similarity_edge_cases():
    assert js_similarity([0.2, 0.8], [0.2, 0.8]) == pytest.approx(1.0)
    assert js_similarity([1, 0], [0, 1]) == pytest.approx(0.0)  # disjoint one-hots: distance 1 in base 2
    assert js_similarity([1, 0, 0], [1, 0, 0]) == pytest.approx(1.0)
    assert js_similarity(np.full(5, 0.2), np.full(5, 0.2)) == pytest.approx(1.0)
    assert js_similarity([3, 1], [0.75, 0.25]) == pytest.approx(1.0)  # unnormalised input is normalised
    # base e: the distance shrinks by sqrt(ln 2), as SciPy's default
    assert 1 - js_similarity([1, 0], [0, 1], base=math.e) == pytest.approx(math.sqrt(math.log(2)))
    assert math.isnan(js_similarity([0, 0], [0.5, 0.5]))


def test_js_similarity_broadcasts_one_model_distribution_against_many_groups():
    model = np.array([0.6, 0.3, 0.1])
    groups = np.array([[0.6, 0.3, 0.1], [0.1, 0.3, 0.6], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(
        js_similarity(model, groups), [1 - jensenshannon(model, g, base=2) for g in groups], atol=1e-12
    )


@st.composite
def ordinal_items(draw):
    """Two distributions and positions with some options off the scale (NaN)."""
    size = draw(st.integers(2, 10))
    p = draw(arrays(float, size, elements=weights))
    q = draw(arrays(float, size, elements=weights))
    positions = draw(arrays(float, size, elements=st.floats(-50, 50, allow_nan=False).map(lambda x: round(x, 2))))
    off_scale = draw(arrays(bool, size))
    positions[off_scale] = np.nan
    return p, q, positions


def _scipy_wasserstein_similarity(p, q, positions):
    on = np.isfinite(positions)
    if on.sum() < 2 or p[on].sum() <= 0 or q[on].sum() <= 0 or np.ptp(positions[on]) == 0:
        return math.nan
    values = positions[on]
    distance = wasserstein_distance(values, values, p[on] / p[on].sum(), q[on] / q[on].sum())
    return 1 - distance / (values.max() - values.min())


@settings(max_examples=400, deadline=None)
@given(ordinal_items())
def test_wasserstein_similarity_equals_scipy_on_the_ordinal_options(item):
    p, q, positions = item
    expected = _scipy_wasserstein_similarity(p, q, positions)
    result = wasserstein_similarity(p, q, positions)
    if math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == pytest.approx(expected, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(ordinal_items())
def test_raw_wasserstein_distance_equals_scipy_on_the_answer_codes(item):
    p, q, positions = item
    on = np.isfinite(positions)
    result = metric_wasserstein_distance(p, q, positions, normalize="none")
    if math.isnan(_scipy_wasserstein_similarity(p, q, positions)):
        assert math.isnan(result)
        return
    values = positions[on]
    expected = wasserstein_distance(values, values, p[on] / p[on].sum(), q[on] / q[on].sum())
    assert result == pytest.approx(expected, abs=1e-9)
    normalised = metric_wasserstein_distance(p, q, positions)
    assert normalised == pytest.approx(expected / np.ptp(values), abs=1e-9)
    assert normalised == pytest.approx(1 - wasserstein_similarity(p, q, positions), abs=1e-12)


def test_wasserstein_distance_names_an_unknown_normalisation():
    with pytest.raises(ValueError, match=r"normalize must be one of \('range', 'none'\), not 'max'"):
        metric_wasserstein_distance([1, 0], [0, 1], [1, 2], normalize="max")


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 25), st.integers(0, 2**32 - 1))
def test_wasserstein_batch_with_per_row_positions_equals_loop(n_pairs, seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(5), size=n_pairs)
    q = rng.dirichlet(np.ones(5), size=n_pairs)
    positions = rng.permutation(np.array([1.0, 2.0, 4.0, 7.0, np.nan]))[None, :].repeat(n_pairs, axis=0)
    for row in positions:
        rng.shuffle(row)
    expected = [_scipy_wasserstein_similarity(a, b, s) for a, b, s in zip(p, q, positions)]
    np.testing.assert_allclose(wasserstein_similarity(p, q, positions), expected, atol=1e-9)


def test_wasserstein_edge_cases():
    scale = [1, 2, 3, 4]
    assert wasserstein_similarity([1, 0, 0, 0], [0, 0, 0, 1], scale) == pytest.approx(0.0)
    assert wasserstein_similarity([0.25] * 4, [0.25] * 4, scale) == pytest.approx(1.0)
    # point masses one step apart on a 1..4 scale: W1 = 1, range 3
    assert wasserstein_similarity([1, 0, 0, 0], [0, 1, 0, 0], scale) == pytest.approx(2 / 3)
    # non-consecutive ordinals: the support is the positions themselves (OpinionQA)
    assert wasserstein_similarity([1, 0, 0], [0, 1, 0], [1, 2, 5]) == pytest.approx(1 - 1 / 4)
    # option order does not matter, only positions
    assert wasserstein_similarity([0, 0, 1], [0, 1, 0], [5, 2, 1]) == pytest.approx(1 - 1 / 4)
    assert wasserstein_similarity([1, 0, 0], [0, 0, 1], [5, 2, 1]) == pytest.approx(0.0)
    # a refusal option is dropped and both sides renormalised
    assert wasserstein_similarity([0.5, 0, 0.5], [1, 0, 0], [1, 2, None]) == pytest.approx(1.0)
    # unnormalised input
    assert wasserstein_similarity([2, 2], [1, 1], [0, 1]) == pytest.approx(1.0)


def test_wasserstein_skips_items_without_a_scale():
    assert math.isnan(wasserstein_similarity([0.5, 0.5], [0.2, 0.8], [1, None]))  # one ordinal option
    assert math.isnan(wasserstein_similarity([0.5, 0.5], [0.2, 0.8], [None, None]))  # nominal item
    assert math.isnan(wasserstein_similarity([0, 0, 1], [0.5, 0.5, 0], [1, 2, None]))  # no ordinal mass
    assert math.isnan(wasserstein_similarity([0.5, 0.5], [0.2, 0.8], [3, 3]))  # zero-width scale
    batch = wasserstein_similarity([[1, 0], [1, 0]], [[0, 1], [0, 1]], [[1, 2], [1, None]])
    assert batch[0] == 0.0 and math.isnan(batch[1])


def test_restrict_to_ordinal_renormalises_and_marks_rows_without_mass():
    np.testing.assert_allclose(restrict_to_ordinal([0.2, 0.6, 0.2], [1, 2, None]), [0.25, 0.75, 0.0])
    assert np.isnan(restrict_to_ordinal([0.0, 0.0, 1.0], [1, 2, None])).all()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: js_similarity([0.5, -0.5], [0.5, 0.5]), "p contains negative values"),
        (lambda: js_similarity([0.5, 0.5], [np.nan, 1]), "q contains NaN"),
        (lambda: js_similarity([0.5, 0.5], [0.2, 0.3, 0.5]), r"shapes do not broadcast: p \(2,\), q \(3,\)"),
        (lambda: js_similarity([0.5, 0.5], [0.5, 0.5], base=1), "base must be"),
        (lambda: js_similarity(0.5, [0.5]), "p must have an option axis"),
        (lambda: js_similarity([[]], [[]]), "p has no options"),
        (lambda: js_similarity(["a", "b"], [0.5, 0.5]), "p must be numeric"),
        (lambda: wasserstein_similarity([1, 0], [0, 1], [1, np.inf]), "positions contains infinite"),
        (lambda: wasserstein_similarity([1, 0], [0, 1], [1, 2, 3]), "shapes do not broadcast"),
    ],
)
def test_bad_input_is_rejected_with_the_argument_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
