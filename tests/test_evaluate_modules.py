"""The ``evaluate`` wrappers load from a local path and return what the pure functions compute."""

import evaluate
import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

from opinionbench.metrics import evaluate_module_path


def test_js_similarity_module_computes_the_macro_mean_over_groups():
    rng = np.random.default_rng(0)
    predictions = [rng.dirichlet(np.ones(n)).tolist() for n in (2, 3, 4, 3)]
    references = [rng.dirichlet(np.ones(len(p))).tolist() for p in predictions]
    groups = ["A", "A", "B", "B"]
    module = evaluate.load(evaluate_module_path("js_similarity"))
    result = module.compute(predictions=predictions, references=references, groups=groups)
    per_pair = [1 - jensenshannon(p, q, base=2) for p, q in zip(predictions, references)]
    group_a, group_b = np.mean(per_pair[:2]), np.mean(per_pair[2:])
    assert result["js_similarity"] == pytest.approx((group_a + group_b) / 2)
    assert result["js_similarity_min"] == pytest.approx(min(group_a, group_b))
    assert result["js_similarity_max"] == pytest.approx(max(group_a, group_b))


def test_wasserstein_module_skips_and_counts_items_without_a_scale():
    module = evaluate.load(evaluate_module_path("wasserstein_similarity"))
    result = module.compute(
        predictions=[[0.7, 0.2, 0.1, 0.0], [0.5, 0.5]],
        references=[[0.1, 0.2, 0.3, 0.4], [0.9, 0.1]],
        positions=[[1, 2, 3, None], [None, None]],
    )
    support = [1.0, 2.0, 3.0]
    expected = 1 - wasserstein_distance(support, support, [0.7, 0.2, 0.1], [1 / 6, 2 / 6, 3 / 6]) / 2
    assert result == {"wasserstein_similarity": pytest.approx(expected), "wasserstein_similarity_skipped": 1.0}


def test_unknown_module_name_is_refused():
    with pytest.raises(ValueError, match="unknown evaluate module 'nope'"):
        evaluate_module_path("nope")
