"""KL(human || model) between answer distributions (MENAValues) as a Hugging Face ``evaluate`` metric."""

import evaluate
import numpy as np

from opinionbench.metrics import kl_divergence
from opinionbench.metrics.aggregation import summary_floats
from opinionbench.metrics.evaluate_support import MENA_VALUES_CITATION, distribution_pair_features, module_errors

_DESCRIPTION = """
Kullback-Leibler divergence KL(human || model) in nats between a human group's answer distribution
(the reference) and a model's (the prediction), per (item, group) pair, as in MENAValues. Both rows
are normalised; the model's is floored at `epsilon` (1e-8) and renormalised, so an option the model
rules out costs about -ln(epsilon) = 18.4 nats instead of infinity. With `groups`, each group's mean
over its items, then the mean over groups (`kl_divergence`), and the lowest and highest group means.
Lower is closer.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of model answer distributions (lists of non-negative floats).
    references: list of human answer distributions, aligned option by option with predictions.
    epsilon: the floor of the model's probabilities, in (0, 1) (default 1e-8).
    groups: optional list of group (country) labels, one per pair.
    items: optional list of item ids, one per pair (default: one item per pair).
Returns:
    kl_divergence (nats), and with groups kl_divergence_min and kl_divergence_max; kl_divergence_skipped.
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("kl_divergence"))
    >>> metric.compute(predictions=[[0.5, 0.5]], references=[[0.5, 0.5]])
    {'kl_divergence': 0.0, 'kl_divergence_skipped': 0.0}
"""


class KlDivergence(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=MENA_VALUES_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=distribution_pair_features(),
        )

    def _compute(self, predictions, references, epsilon=1e-8, groups=None, items=None):
        if not predictions:
            raise ValueError("predictions is empty")
        for pair, (model, human) in enumerate(zip(predictions, references)):
            if len(model) != len(human):
                raise ValueError(
                    f"predictions[{pair}] has {len(model)} options but references[{pair}] has {len(human)}"
                )
        # Not padded to one width: the floor would give a padded option epsilon and shift the divergence.
        scores = np.empty(len(predictions))
        lengths = np.array([len(row) for row in predictions])
        for length in np.unique(lengths):
            rows = np.flatnonzero(lengths == length)
            with module_errors({"p": "references", "q": "predictions"}):
                scores[rows] = kl_divergence(
                    np.array([references[row] for row in rows], dtype=float),
                    np.array([predictions[row] for row in rows], dtype=float),
                    epsilon=epsilon,
                )
        return summary_floats("kl_divergence", scores, groups, items)
