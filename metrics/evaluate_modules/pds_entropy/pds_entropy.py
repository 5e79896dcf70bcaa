"""WorldView-Bench's Perspectives Distribution Score (PDS) entropy as a Hugging Face ``evaluate`` metric."""

import datasets
import evaluate
import numpy as np

from opinionbench.metrics import pds, pds_entropy
from opinionbench.metrics.evaluate_support import group_rows, module_errors, spread

_DESCRIPTION = """
PDS entropy (WorldView-Bench): a judge counts, per answer, the references to each of K cultural
perspectives; PDS is the share of each perspective among the references of all answers, and PDS
entropy its Shannon entropy in percent of the maximum, 100 * H / ln K (0: one perspective only,
100: all K equally represented). `pooling="pooled"` (default) adds up the references of all answers;
`"per_answer"` averages each answer's shares. Answers without any reference take no part. With
`groups` (e.g. question domains), PDS entropy per group, then the mean, lowest and highest over groups.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of per-answer reference counts, K non-negative numbers per answer (one per perspective).
    pooling: "pooled" (default) or "per_answer".
    n_perspectives: optional K when it is more than the number of columns (default: the number of columns).
    groups: optional list of group labels (e.g. domains), one per answer.
Returns:
    pds_entropy (0-100); without groups pds (the shares); with groups pds_entropy_min and
    pds_entropy_max; pds_entropy_skipped (answers without any reference).
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("pds_entropy"))
    >>> metric.compute(predictions=[[3, 0, 0], [0, 0, 0]])
    {'pds_entropy': 0.0, 'pds': [1.0, 0.0, 0.0], 'pds_entropy_skipped': 1.0}
"""

_CITATION = """
@article{mushtaq2025worldviewbench,
  title   = {WorldView-Bench: A Benchmark for Evaluating Global Cultural Perspectives in Large Language Models},
  author  = {Mushtaq, Abdullah and Taj, Imran and Naeem, Rafay and Ghaznavi, Ibrahim and Qadir, Junaid},
  journal = {arXiv preprint arXiv:2505.09595},
  year    = {2025}
}
"""

_ERRORS = {"counts": "predictions", "shares": "predictions"}


class PdsEntropy(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.List(datasets.Value("float64"))}),
        )

    def _compute(self, predictions, pooling="pooled", n_perspectives=None, groups=None):
        if not predictions:
            raise ValueError("predictions is empty")
        width = len(predictions[0])
        for answer, row in enumerate(predictions):
            if len(row) != width:
                raise ValueError(
                    f"every answer needs one count per perspective: predictions[0] has {width}, "
                    f"predictions[{answer}] has {len(row)}"
                )
        counts = np.array(predictions, dtype=float)
        with module_errors(_ERRORS):
            shares = pds(counts, pooling=pooling)  # checks the counts and the pooling rule
        skipped = float((counts.sum(axis=1) == 0).sum())
        if groups is None:
            with module_errors(_ERRORS):
                entropy = float(pds_entropy(shares, n_perspectives=n_perspectives))
            return {"pds_entropy": entropy, "pds": shares.tolist(), "pds_entropy_skipped": skipped}
        entropies = []
        for group, rows in group_rows(len(counts), groups):
            with module_errors(_ERRORS, group=group):
                entropies.append(float(pds_entropy(pds(counts[rows], pooling=pooling), n_perspectives=n_perspectives)))
        return {**spread("pds_entropy", entropies), "pds_entropy_skipped": skipped}
