"""Jensen-Shannon opinion similarity as a Hugging Face ``evaluate`` metric."""

import evaluate

from opinionbench.metrics import js_similarity
from opinionbench.metrics.aggregation import stack_ragged, summary_floats
from opinionbench.metrics.evaluate_support import distribution_pair_features, module_errors

_DESCRIPTION = """
1 - Jensen-Shannon distance (base 2 by default) between a model's answer distribution and a
human group's, per (question, group) pair. With `groups`, the result is GlobalOpinionQA's
summary: each group's mean over the questions it answered, then the macro mean over groups
(`js_similarity`), and the lowest and highest group means.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of model answer distributions (lists of non-negative floats).
    references: list of human answer distributions, aligned option by option with predictions.
    groups: optional list of group (country) labels, one per pair.
    items: optional list of question ids, one per pair (default: one question per pair).
    base: logarithm base (default 2; use `math.e` to match SciPy's default).
Returns:
    js_similarity, and with groups js_similarity_min and js_similarity_max; js_similarity_skipped.
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("js_similarity"))
    >>> metric.compute(predictions=[[0.5, 0.5]], references=[[0.5, 0.5]])["js_similarity"]
    1.0
"""

_CITATION = """
@misc{durmus2023measuring,
  title  = {Towards Measuring the Representation of Subjective Global Opinions in Language Models},
  author = {Durmus, Esin and others},
  year   = {2023},
  eprint = {2306.16388},
  archivePrefix = {arXiv}
}
"""


class JsSimilarity(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=distribution_pair_features(),
        )

    def _compute(self, predictions, references, groups=None, items=None, base=2.0):
        with module_errors({"p": "predictions", "q": "references"}):
            scores = js_similarity(stack_ragged(predictions, fill=0.0), stack_ragged(references, fill=0.0), base=base)
        return summary_floats("js_similarity", scores, groups, items)
