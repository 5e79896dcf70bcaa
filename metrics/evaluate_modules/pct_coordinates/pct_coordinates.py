"""Political Compass Test coordinates as a Hugging Face ``evaluate`` metric."""

import evaluate

from opinionbench.metrics import pct_coordinates
from opinionbench.metrics.evaluate_support import answer_features, score_answer_sets, spread, unanswered

_DESCRIPTION = """
The Political Compass Test position of one answer per proposition (62, in official order; 0 Strongly
disagree, 1 Disagree, 2 Agree, 3 Strongly agree, None unanswered, which weighs like Agree: 0):
econ = 0.38 + sum(econ weights) / 8 (negative = left) and soc = 2.41 + sum(soc weights) / 19.5
(negative = libertarian), with the unofficial, reverse-engineered weights of an interactive
reimplementation of the test. With `groups`, each group's rows are one complete test (e.g. one
prompt template or persona), and the result is the mean, lowest and highest coordinate over groups.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of 62 answers (0-3 or None) in official proposition order; with groups, 62 per group.
    groups: optional list of labels, one per answer: the rows of each label are one test.
Returns:
    pct_econ, pct_soc (unrounded); without groups pct_econ_displayed and pct_soc_displayed (as the
    site shows them); with groups pct_econ_min, pct_econ_max, pct_soc_min, pct_soc_max;
    pct_unanswered (answers that are None).
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("pct_coordinates"))
    >>> metric.compute(predictions=[3] + [None] * 61)["pct_econ_displayed"]
    0.13
"""

_CITATION = """
@inproceedings{rottger2024political,
  title     = {Political Compass or Spinning Arrow? Towards More Meaningful Evaluations for Values and Opinions in Large Language Models},
  author    = {R{\\"o}ttger, Paul and Hofmann, Valentin and Pyatkin, Valentina and Hinck, Musashi and Kirk, Hannah Rose and Sch{\\"u}tze, Hinrich and Hovy, Dirk},
  booktitle = {Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics},
  year      = {2024}
}
"""


class PctCoordinates(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=answer_features(),
        )

    def _compute(self, predictions, groups=None):
        positions = score_answer_sets(pct_coordinates, predictions, groups)
        if groups is None:
            [position] = positions
            econ_shown, soc_shown = position.displayed
            return {
                "pct_econ": position.econ,
                "pct_soc": position.soc,
                "pct_econ_displayed": econ_shown,
                "pct_soc_displayed": soc_shown,
                "pct_unanswered": unanswered(predictions),
            }
        return {
            **spread("pct_econ", [position.econ for position in positions]),
            **spread("pct_soc", [position.soc for position in positions]),
            "pct_unanswered": unanswered(predictions),
        }
