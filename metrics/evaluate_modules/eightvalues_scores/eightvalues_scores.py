"""8values axis scores, labels and closest ideology as a Hugging Face ``evaluate`` metric."""

import evaluate

from opinionbench.metrics import eightvalues_scores
from opinionbench.metrics.evaluate_support import answer_features, axis_spreads, score_answer_sets, unanswered

_AXES = ("econ", "dipl", "govt", "scty")

_DESCRIPTION = """
The 8values result of one answer per question (70, in quiz order; 1 Strongly Agree, 0.5 Agree,
0 Neutral/Unsure, -0.5 Disagree, -1 Strongly Disagree, None unanswered, which adds nothing):
per axis 100 * (max + raw) / (2 * max), the percentage of the high pole (Equality, World, Liberty,
Progress), with the site's axis labels and closest ideology (read from the scores as displayed,
toFixed(1)). With `groups`, each group's rows are one complete quiz, and the result is the mean,
lowest and highest score per axis over groups.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of 70 answers (1, 0.5, 0, -0.5, -1 or None) in quiz order; with groups, 70 per group.
    groups: optional list of labels, one per answer: the rows of each label are one quiz.
Returns:
    eightvalues_econ, _dipl, _govt, _scty (0-100, unrounded); without groups eightvalues_displayed,
    eightvalues_labels and eightvalues_ideology; with groups each axis' _min and _max;
    eightvalues_unanswered (answers that are None).
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("eightvalues_scores"))
    >>> metric.compute(predictions=[-0.5] * 70)["eightvalues_displayed"]["govt"]
    '56.3'
"""

_CITATION = """
@misc{8values,
  title  = {8values},
  author = {{8values}},
  year   = {2017},
  url    = {https://github.com/8values/8values.github.io},
  note   = {MIT licence}
}
"""


class EightvaluesScores(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=answer_features(),
        )

    def _compute(self, predictions, groups=None):
        results = score_answer_sets(eightvalues_scores, predictions, groups)
        if groups is None:
            [result] = results
            return {
                **{f"eightvalues_{axis}": result[axis] for axis in _AXES},
                "eightvalues_displayed": result["displayed"],
                "eightvalues_labels": result["labels"],
                "eightvalues_ideology": result["ideology"],
                "eightvalues_unanswered": unanswered(predictions),
            }
        return {**axis_spreads("eightvalues", _AXES, results), "eightvalues_unanswered": unanswered(predictions)}
