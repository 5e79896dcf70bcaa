"""SapplyValues axis scores as a Hugging Face ``evaluate`` metric."""

import evaluate

from opinionbench.metrics import sapplyvalues_scores
from opinionbench.metrics.evaluate_support import answer_features, axis_spreads, score_answer_sets, unanswered

_AXES = ("right", "auth", "prog")

_DESCRIPTION = """
The SapplyValues result of one answer per question (46, in id order; 1 Strongly Agree, 0.5 Agree,
0 Neutral/Unsure, -0.5 Disagree, -1 Strongly Disagree, None skips the question): per axis
10 * sum(answer * sign) / sum(|sign|) over the answered questions on it, from -10 to 10 (Left/Right,
Lib/Auth, Con/Prog), and the scores as the site displays them. With `groups`, each group's rows are
one complete quiz, and the result is the mean, lowest and highest score per axis over groups.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of 46 answers (1, 0.5, 0, -0.5, -1 or None) in id order; with groups, 46 per group.
    groups: optional list of labels, one per answer: the rows of each label are one quiz.
Returns:
    sapplyvalues_right, _auth, _prog (-10 to 10, unrounded); without groups sapplyvalues_displayed;
    with groups each axis' _min and _max; sapplyvalues_unanswered (answers that are None).
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("sapplyvalues_scores"))
    >>> metric.compute(predictions=[1] * 46)["sapplyvalues_displayed"]
    {'right': '0.67', 'auth': '0.67', 'prog': '0.00'}
"""

_CITATION = """
@misc{sapplyvalues,
  title  = {SapplyValues},
  author = {{SapplyValues}},
  year   = {2020},
  url    = {https://github.com/SapplyValues/SapplyValues.github.io},
  note   = {MIT licence}
}
"""


class SapplyvaluesScores(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=answer_features(),
        )

    def _compute(self, predictions, groups=None):
        results = score_answer_sets(sapplyvalues_scores, predictions, groups)
        if groups is None:
            [result] = results
            return {
                **{f"sapplyvalues_{axis}": result[axis] for axis in _AXES},
                "sapplyvalues_displayed": result["displayed"],
                "sapplyvalues_unanswered": unanswered(predictions),
            }
        return {**axis_spreads("sapplyvalues", _AXES, results), "sapplyvalues_unanswered": unanswered(predictions)}
