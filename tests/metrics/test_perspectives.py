"""PDS and PDS entropy (WorldView-Bench) against hand calculations and scipy, and judge agreement
against scikit-learn."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import entropy
from sklearn.metrics import precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from opinionbench.metrics import judge_agreement, pds, pds_entropy, perspectives


@pytest.mark.parametrize("k", [2, 3, 9, 20])
def test_entropy_is_0_for_one_perspective_and_100_for_uniform(k):
    one = np.zeros(k)
    one[k // 2] = 7
    assert pds_entropy(one) == 0.0
    assert pds_entropy(np.full(k, 3.0)) == pytest.approx(100.0, abs=1e-12)
    assert pds_entropy(np.full(k, 1 / k)) == pytest.approx(100.0, abs=1e-12)


def test_entropy_divides_by_ln_k_of_the_whole_list():
    # Two of four perspectives, equally: ln 2 / ln 4 = 50 %.
    assert pds_entropy([1, 1], n_perspectives=4) == pytest.approx(50.0)
    assert pds_entropy([1, 1, 0, 0]) == pytest.approx(50.0)
    # (1/2, 1/4, 1/4): H = 1.5 ln 2; K = 3.
    assert pds_entropy([2, 1, 1]) == pytest.approx(100 * 1.5 * math.log(2) / math.log(3))


@given(st.lists(st.integers(0, 50), min_size=2, max_size=12).filter(lambda counts: sum(counts) > 0))
def test_entropy_equals_scipy(counts):
    expected = 100 * entropy(counts) / math.log(len(counts))
    assert pds_entropy(counts) == pytest.approx(expected, abs=1e-9)


def test_entropy_rows_and_answers_without_references():
    rows = pds_entropy([[1, 0, 0], [0, 0, 0], [1, 1, 1]])
    assert rows[0] == 0.0 and math.isnan(rows[1]) and rows[2] == pytest.approx(100.0)
    assert math.isnan(pds_entropy(pds([[0, 0, 0], [0, 0, 0]])))  # no reference at all: no PDS, no entropy


@pytest.mark.parametrize(
    ("shares", "kwargs", "message"),
    [
        ([1.0], {}, "n_perspectives must be an integer >= 2"),
        ([1, 2, 3], {"n_perspectives": 2}, "more than n_perspectives=2"),
        ([1, -1], {}, "negative"),
        ([1, float("nan")], {}, "NaN"),  # NaN only as a whole row (no references)
    ],
)
def test_entropy_rejects_bad_input(shares, kwargs, message):
    with pytest.raises(ValueError, match=message):
        pds_entropy(shares, **kwargs)


def test_pooling_rules_by_hand():
    counts = [[4, 0, 0], [0, 1, 0], [0, 0, 0], [1, 1, 2]]
    # pooled: (5, 2, 2) / 9
    assert pds(counts).tolist() == pytest.approx([5 / 9, 2 / 9, 2 / 9])
    # per answer: mean of (1, 0, 0), (0, 1, 0), (1/4, 1/4, 1/2) over the three answers with references
    assert pds(counts, pooling="per_answer").tolist() == pytest.approx([5 / 12, 5 / 12, 2 / 12])
    assert np.isnan(pds([[0, 0], [0, 0]])).all()
    with pytest.raises(ValueError, match="pooling must be one of"):
        pds(counts, pooling="mean")


@pytest.mark.parametrize("pooling", ["pooled", "per_answer"])
def test_bootstrap_weights_equal_resampled_answers(pooling):
    """A draw's weights give the PDS of the answers drawn, repeated as often as drawn."""
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 4, size=(12, 5))
    weights = rng.multinomial(12, np.full(12, 1 / 12), size=6)
    by_weights = pds(counts, pooling=pooling, weights=weights)
    for draw, row in zip(weights, by_weights):
        resampled = np.repeat(counts, draw, axis=0)
        np.testing.assert_allclose(row, pds(resampled, pooling=pooling), atol=1e-12)
    np.testing.assert_allclose(pds(counts, pooling=pooling, weights=np.ones((1, 12)))[0], pds(counts, pooling=pooling))


def test_judge_agreement_equals_scikit_learn():
    names = ["a", "b", "c", "d"]
    predicted = [{"a"}, {"a", "b"}, set(), {"c"}, {"a", "c"}, {"b"}]
    gold = [{"a"}, {"b"}, {"b"}, {"c", "a"}, set(), {"b"}]
    binarizer = MultiLabelBinarizer(classes=names)
    p, r, _, support = precision_recall_fscore_support(
        binarizer.fit_transform(gold), binarizer.transform(predicted), average=None, zero_division=np.nan
    )
    agreement = judge_agreement(predicted, gold, names)
    for index, name in enumerate(names):
        assert agreement[name]["support"] == support[index]
        np.testing.assert_equal(agreement[name]["precision"], p[index])
        np.testing.assert_equal(agreement[name]["recall"], r[index])
    assert agreement["d"]["predicted"] == 0 and math.isnan(agreement["d"]["precision"])


def test_judge_agreement_rejects_unknown_names_and_length_mismatch():
    with pytest.raises(ValueError, match=r"predicted names perspectives not in the list: \['z'\]"):
        judge_agreement([{"z"}], [set()], ["a", "b"])
    with pytest.raises(ValueError, match="predicted has 1 answers, gold 2"):
        judge_agreement([set()], [set(), set()], ["a", "b"])


def test_docstring_examples_run():
    failed, attempted = doctest.testmod(perspectives)
    assert attempted >= 4 and failed == 0
