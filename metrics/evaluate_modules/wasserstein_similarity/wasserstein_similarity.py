"""Ordinal Wasserstein opinion similarity (OpinionQA) as a Hugging Face ``evaluate`` metric."""

import evaluate

from opinionbench.metrics import wasserstein_similarity
from opinionbench.metrics.aggregation import stack_ragged, summary_floats
from opinionbench.metrics.evaluate_support import distribution_pair_features, module_errors

_DESCRIPTION = """
1 - W1(p, q) / (max position - min position) between a model's and a human group's answer
distributions on the question's ordinal scale (OpinionQA). Options without a position
(None: don't know, refused, nominal items) are dropped and both distributions renormalised;
pairs with fewer than two positioned options are skipped and counted.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of model answer distributions (lists of non-negative floats).
    references: list of human answer distributions, aligned option by option with predictions.
    positions: list of ordinal positions per pair (None for options off the scale).
    groups: optional list of group (country) labels, one per pair.
    items: optional list of question ids, one per pair (default: one question per pair).
Returns:
    wasserstein_similarity, and with groups wasserstein_similarity_min and _max;
    wasserstein_similarity_skipped (pairs without a usable scale).
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("wasserstein_similarity"))
    >>> metric.compute(predictions=[[1, 0, 0]], references=[[0, 0, 1]], positions=[[1, 2, 3]])
    {'wasserstein_similarity': 0.0, 'wasserstein_similarity_skipped': 0.0}
"""

_CITATION = """
@inproceedings{santurkar2023whose,
  title     = {Whose Opinions Do Language Models Reflect?},
  author    = {Santurkar, Shibani and Durmus, Esin and Ladhak, Faisal and Lee, Cinoo and Liang, Percy and Hashimoto, Tatsunori},
  booktitle = {International Conference on Machine Learning},
  year      = {2023}
}
"""


class WassersteinSimilarity(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=distribution_pair_features(),
        )

    def _compute(self, predictions, references, positions, groups=None, items=None):
        with module_errors({"p": "predictions", "q": "references"}):
            scores = wasserstein_similarity(
                stack_ragged(predictions, fill=0.0),
                stack_ragged(references, fill=0.0),
                stack_ragged(positions, fill=float("nan")),
            )
        return summary_floats("wasserstein_similarity", scores, groups, items)
