"""The MENAValues metrics against the paper's worked example, hand calculations and SciPy."""

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import entropy

from opinionbench.metrics import (
    alignment_score,
    clcs,
    fcs,
    kl_divergence,
    logit_leakage,
    mena,
    nvas,
    nvas_expected,
    nvas_paper,
    spd,
)

PAIR_SCORES = [alignment_score, nvas, fcs, clcs, spd]


def test_worked_example_jordan_q1():
    # Jordan, Q1: scale 1..4, human mean 1.02, model answer 1
    expected = 100 * (1 - 0.02 / 3)
    assert nvas(1, 1.02, 1, 4) == pytest.approx(expected)
    assert alignment_score(1, 1.02, 1, 4) == pytest.approx(expected)
    assert expected == pytest.approx(99.3333333)


@pytest.mark.parametrize("score", PAIR_SCORES)
def test_pair_scores_by_hand(score):
    assert score(3, 7, 1, 10) == pytest.approx(100 * (1 - 4 / 9))
    assert score(7, 3, 1, 10) == pytest.approx(100 * (1 - 4 / 9))  # symmetric
    assert score(1, 10, 1, 10) == pytest.approx(0.0)
    assert score(5, 5, 1, 10) == pytest.approx(100.0)
    assert score(2, 4, 0, 10) == pytest.approx(100 * (1 - 2 / 10))


def test_pair_scores_are_the_alignment_score_under_their_argument_names():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(1, 5, 20), rng.uniform(1, 5, 20)
    expected = alignment_score(a, b, 1, 5)
    np.testing.assert_allclose(nvas(answer=a, reference=b, scale_min=1, scale_max=5), expected)
    np.testing.assert_allclose(fcs(persona=a, observer=b, scale_min=1, scale_max=5), expected)
    np.testing.assert_allclose(clcs(english=a, native=b, scale_min=1, scale_max=5), expected)
    np.testing.assert_allclose(spd(neutral=a, persona=b, scale_min=1, scale_max=5), expected)


def test_values_outside_the_scale_are_not_clipped():
    # a reference mean below the scale's minimum: the formula as given, below 0 for the far end
    assert alignment_score(1, 0.7, 1, 4) == pytest.approx(100 * (1 - 0.3 / 3))
    assert alignment_score(4, 0.7, 1, 4) == pytest.approx(100 * (1 - 3.3 / 3))
    assert alignment_score(4, 0.7, 1, 4) < 0
    assert alignment_score(-9, 10, 1, 10) == pytest.approx(100 * (1 - 19 / 9))


def test_broadcasting_with_per_item_scales():
    answers = np.array([[1, 4, 10], [2, 2, 2]])
    references = np.array([2.5, 3, 1])
    scale_min = np.array([1, 1, 0])
    scale_max = np.array([4, 5, 10])
    expected = np.array(
        [
            [100 * (1 - 1.5 / 3), 100 * (1 - 1 / 4), 100 * (1 - 9 / 10)],
            [100 * (1 - 0.5 / 3), 100 * (1 - 1 / 4), 100 * (1 - 1 / 10)],
        ]
    )
    result = nvas(answers, references, scale_min, scale_max)
    assert result.shape == (2, 3)
    np.testing.assert_allclose(result, expected)
    # one answer (neutral prompt) against several countries' references
    np.testing.assert_allclose(nvas(2, [1, 2, 4], 1, 4), [100 * (1 - 1 / 3), 100.0, 100 * (1 - 2 / 3)])


def test_nan_and_none_propagate():
    result = alignment_score([1, np.nan, 3, None], [np.nan, 2, 3, 3], 1, 5)
    assert np.isnan(result[:2]).all() and np.isnan(result[3])
    assert result[2] == pytest.approx(100.0)
    assert np.isnan(nvas(None, 2, 1, 4))
    assert np.isnan(nvas([np.nan, 1], [2, 2], 1, 4, nominal=True)[0])  # nominal too


def test_nominal_items_score_by_exact_agreement():
    a = np.array([3, 3, 1, 4, np.nan])
    b = np.array([3, 2, 2, 1, 1])
    nominal = np.array([True, True, False, True, True])
    expected = [100.0, 0.0, 100 * (1 - 1 / 4), 0.0, np.nan]
    np.testing.assert_allclose(alignment_score(a, b, 1, 5, nominal=nominal), expected)
    # a near miss on a nominal item is a miss, whatever the distance
    assert alignment_score(2, 3, 1, 5, nominal=True) == 0.0
    assert alignment_score(5, 5, 1, 5, nominal=True) == 100.0


def test_nvas_paper_applies_the_numeric_distance_to_nominal_items_too():
    # nominal Q152 (codes 1..4), Egypt's modal code 1: the paper's released NOVAS (Aya, reasoning)
    # is 66.67 for answer 2, 100 * (1 - 1/3); exact agreement gives 0
    assert nvas_paper(2, 1, 1, 4) == pytest.approx(200 / 3)
    assert nvas(2, 1, 1, 4, nominal=True) == 0.0
    # codes 1..5, mode 3: answers 3, 1, 5, 4 by hand
    np.testing.assert_allclose(nvas_paper([3, 1, 5, 4], 3, 1, 5), [100.0, 50.0, 50.0, 75.0])
    # ordinal items (a mean as the reference): nvas_paper is nvas
    assert nvas_paper(3, 2.2, 1, 4) == pytest.approx(100 * (1 - 0.8 / 3)) == nvas(3, 2.2, 1, 4)
    assert np.isnan(nvas_paper(np.nan, 3, 1, 5))


def test_nvas_expected_by_the_papers_rule_on_a_nominal_item():
    # P = (0.1, 0.6, 0.3) over codes 1, 2, 5; mode 5 on 1..5: expected answer 2.8
    p, codes = [0.1, 0.6, 0.3], [1, 2, 5]
    assert nvas_expected(p, codes, 5, 1, 5, nominal=False) == pytest.approx(100 * (1 - 2.2 / 4))
    assert nvas_expected(p, codes, 5, 1, 5, nominal=True) == pytest.approx(30.0)


def test_nvas_expected_ordinal_is_nvas_of_the_expected_answer():
    p = np.array([0.1, 0.2, 0.3, 0.4])
    codes = np.array([1, 2, 3, 4])
    mean = 0.1 * 1 + 0.2 * 2 + 0.3 * 3 + 0.4 * 4  # 3.0
    assert nvas_expected(p, codes, 2.2, 1, 4) == pytest.approx(100 * (1 - abs(mean - 2.2) / 3))
    assert isinstance(nvas_expected(p, codes, 2.2, 1, 4), float)


def test_nvas_expected_nominal_is_the_probability_of_the_reference_code():
    p = [0.1, 0.6, 0.3]
    assert nvas_expected(p, [1, 2, 5], 2, 1, 5, nominal=True) == pytest.approx(60.0)
    assert nvas_expected(p, [1, 2, 5], 5, 1, 5, nominal=True) == pytest.approx(30.0)
    assert nvas_expected(p, [1, 2, 5], 3, 1, 5, nominal=True) == pytest.approx(0.0)  # code not offered


def test_nvas_expected_rows_match_a_direct_numpy_computation():
    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(4), size=6)
    codes = np.array([1, 2, 3, 4])
    reference = rng.uniform(1, 4, 6).round(2)
    reference[[1, 4]] = [2, 4]  # nominal rows need a code as reference
    nominal = np.array([False, True, False, False, True, False])
    expected = np.empty(6)
    for row in range(6):
        if nominal[row]:
            expected[row] = 100 * p[row][codes == reference[row]].sum()
        else:
            expected[row] = 100 * (1 - abs(p[row] @ codes - reference[row]) / 3)
    result = nvas_expected(p, codes, reference, 1, 4, nominal=nominal)
    assert result.shape == (6,)
    np.testing.assert_allclose(result, expected)


def test_nvas_expected_per_row_codes_scales_and_missing_references():
    p = np.array([[0.5, 0.5, 0.0], [0.0, 0.25, 0.75]])
    codes = np.array([[1, 2, 3], [0, 5, 10]])
    result = nvas_expected(p, codes, [1.5, np.nan], [1, 0], [3, 10])
    assert result[0] == pytest.approx(100.0)
    assert np.isnan(result[1])
    assert np.isnan(nvas_expected([0.5, 0.5], [1, 2], np.nan, 1, 2, nominal=True))
    # one distribution (neutral prompt) against several countries' references
    expected = [100 * (1 - abs(1.75 - r) / 2) for r in (1.0, 2.0, 3.0)]
    np.testing.assert_allclose(nvas_expected([0.25, 0.75], [1, 2], [1, 2, 3], 1, 3), expected)


def test_nvas_expected_of_a_one_hot_equals_nvas_of_the_answer():
    assert nvas_expected([0, 1, 0, 0], [1, 2, 3, 4], 1.02, 1, 4) == pytest.approx(nvas(2, 1.02, 1, 4))


weights = st.floats(min_value=0, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def distribution_pairs(draw):
    size = draw(st.integers(1, 12))
    p = draw(arrays(float, size, elements=weights).filter(lambda a: a.sum() > 1e-6))
    q = draw(arrays(float, size, elements=weights).filter(lambda a: a.sum() > 1e-6))
    return p, q


def _floored(q, epsilon):
    q = np.maximum(q / q.sum(), epsilon)
    return q / q.sum()


@settings(max_examples=300, deadline=None)
@given(distribution_pairs(), st.sampled_from([1e-8, 1e-4, 0.01]))
def test_kl_divergence_equals_scipy_entropy_against_the_floored_model(pair, epsilon):
    p, q = pair
    expected = entropy(p, _floored(q, epsilon))
    assert kl_divergence(p, q, epsilon=epsilon) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 20), st.integers(2, 8), st.integers(0, 2**32 - 1))
def test_kl_divergence_rows_equal_pair_by_pair(n_rows, n_options, seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(n_options), size=n_rows)
    q = rng.dirichlet(np.ones(n_options), size=n_rows)
    q[:, 0] = 0.0  # options the model rules out
    result = kl_divergence(p, q)
    assert result.shape == (n_rows,)
    np.testing.assert_allclose(result, [entropy(a, _floored(b, 1e-8)) for a, b in zip(p, q)], rtol=1e-9)


def test_kl_divergence_zero_in_the_model_costs_about_minus_log_epsilon():
    epsilon = 1e-8
    # p = [1, 0], q = [0, 1] -> q floored = [eps, 1] / (1 + eps); only p's first option counts
    expected = math.log(1 / (epsilon / (1 + epsilon)))
    assert kl_divergence([1, 0], [0, 1]) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(-math.log(epsilon), rel=1e-6)  # ~18.42 nats, the paper's saturated values
    # half of the human mass on a ruled-out option
    q = np.array([epsilon, 1.0]) / (1 + epsilon)
    expected = 0.5 * math.log(0.5 / q[0]) + 0.5 * math.log(0.5 / q[1])
    assert kl_divergence([0.5, 0.5], [0, 1]) == pytest.approx(expected, rel=1e-12)


def test_kl_divergence_direction_terms_and_edge_cases():
    assert kl_divergence([0.3, 0.7], [0.3, 0.7]) == pytest.approx(0.0, abs=1e-12)
    # options where p is 0 contribute nothing, however small q is there
    assert kl_divergence([0, 1], [0, 1]) == pytest.approx(math.log(1 + 1e-8), abs=1e-12)
    # not symmetric: KL(p || q) with p the first argument
    p, q = [0.9, 0.1], [0.5, 0.5]
    assert kl_divergence(p, q) == pytest.approx(0.9 * math.log(0.9 / 0.5) + 0.1 * math.log(0.1 / 0.5))
    assert kl_divergence(p, q) != pytest.approx(kl_divergence(q, p))
    assert kl_divergence([30, 70], [3, 7]) == pytest.approx(0.0, abs=1e-12)  # weights are normalised
    assert math.isnan(kl_divergence([0, 0], [0.5, 0.5]))
    assert math.isnan(kl_divergence([0.5, 0.5], [0, 0]))


@pytest.mark.parametrize(
    ("refused", "top_probability", "leaked"),
    [
        (True, 0.9, True),
        (True, 0.76, True),
        (True, 0.75, False),  # strictly greater than the threshold
        (True, 0.5, False),
        (False, 0.9, False),
        (False, 0.75, False),
        (False, 0.1, False),
        (True, None, False),  # no log-likelihood answer
    ],
)
def test_logit_leakage_truth_table(refused, top_probability, leaked):
    assert bool(logit_leakage(refused, top_probability)) is leaked


def test_logit_leakage_arrays_and_threshold():
    refused = np.array([True, True, False, True])
    top = np.array([0.8, 0.6, 0.99, np.nan])
    np.testing.assert_array_equal(logit_leakage(refused, top), [True, False, False, False])
    np.testing.assert_array_equal(logit_leakage(refused, top, threshold=0.5), [True, True, False, False])
    assert logit_leakage(refused, top).dtype == bool


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nvas(1, 2, 4, 4), "scale_max must be greater than scale_min; got scale_min=4, scale_max=4"),
        (lambda: fcs([1, 2], [1, 2], [1, 5], [4, 3]), "scale_max must be greater than scale_min; got scale_min=5"),
        (lambda: nvas(1, 2, np.nan, 4), r"scale_min contains NaN"),
        (lambda: nvas(1, 2, 1, np.inf), "scale_max contains infinite values"),
        (lambda: nvas(np.inf, 2, 1, 4), "answer contains infinite values"),
        (lambda: clcs("x", 2, 1, 4), "english must be a number or an array-like of numbers"),
        (lambda: spd([1, 2], [1, 2, 3], 1, 4), r"shapes do not broadcast: neutral \(2,\), persona \(3,\)"),
        (lambda: alignment_score(1, 2, [1, 1], [4, 4, 4]), r"scale_min \(2,\), scale_max \(3,\)"),
        (lambda: alignment_score(1, 2, 1, 4, nominal=[1, 0]), "nominal must be a bool or an array-like of bools"),
        (lambda: nvas_expected([0.5, 0.6], [1, 2], 1, 1, 2), "probabilities must sum to 1 .* summing to 1.1"),
        (lambda: nvas_expected([[0.5, 0.5], [0.2, 0.7]], [1, 2], 1, 1, 2), "summing to 0.9"),
        (lambda: nvas_expected([1.5, -0.5], [1, 2], 1, 1, 2), "probabilities contains negative values"),
        (lambda: nvas_expected([0.5, np.nan], [1, 2], 1, 1, 2), "probabilities contains NaN"),
        (lambda: nvas_expected(np.full((1, 1, 2), 0.5), [1, 2], 1, 1, 2), "probabilities must be 1-D"),
        (lambda: nvas_expected([0.5, 0.5], [1, 2, 3], 1, 1, 3), r"probabilities \(2,\), codes \(3,\)"),
        (lambda: nvas_expected([0.5, 0.5], [1, np.nan], 1, 1, 2), "codes contains NaN"),
        (lambda: nvas_expected([[0.5, 0.5]] * 2, [1, 2], [1, 2, 1], 1, 2), r"rows \(2,\), reference \(3,\)"),
        (lambda: nvas_expected([0.5, 0.5], [1, 2], 1, 2, 2), "scale_max must be greater than scale_min"),
        (lambda: kl_divergence([0.5, 0.5], [-0.5, 1.5]), "q contains negative values"),
        (lambda: kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5]), r"shapes do not broadcast: p \(2,\), q \(3,\)"),
        (lambda: kl_divergence([0.5, 0.5], [0.5, 0.5], epsilon=0), "epsilon must be between 0 and 1"),
        (lambda: kl_divergence(0.5, [0.5]), "p must have an option axis"),
        (lambda: logit_leakage([1, 0], [0.9, 0.9]), "refused must be a bool or an array-like of bools"),
        (lambda: logit_leakage(True, 1.2), r"top_probability must lie in \[0, 1\]"),
        (lambda: logit_leakage([True, False], [0.9, 0.9, 0.9]), r"refused \(2,\), top_probability \(3,\)"),
        (lambda: logit_leakage(True, 0.9, threshold=1), "threshold must be between 0 and 1"),
    ],
)
def test_bad_input_is_rejected_with_the_argument_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_docstring_examples_run():
    assert doctest.testmod(mena).failed == 0
