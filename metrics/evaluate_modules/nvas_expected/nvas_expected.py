"""MENAValues' NVAS of the model's answer distribution (the expected NVAS) as a Hugging Face ``evaluate`` metric."""

import datasets
import evaluate
import numpy as np

from opinionbench.metrics import nvas_expected
from opinionbench.metrics.aggregation import stack_ragged, summary_floats
from opinionbench.metrics.evaluate_support import MENA_VALUES_CITATION, check_per_pair, module_errors, per_row

_DESCRIPTION = """
NVAS of a model's answer distribution over an item's codes (OpinionBench's reading of MENAValues
v2's `ev_nvas`): for ordinal items, NVAS of the expected answer sum_k p_k * code_k against the
country's reference, 100 * (1 - |E[answer] - reference| / (scale_max - scale_min)); for nominal
items, 100 * P(reference code). A missing reference (None/NaN) skips the pair. With `groups`, each
country's mean over its items, then the mean over countries, and the lowest and highest country means.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of the model's probabilities over each item's options (each row sums to 1).
    references: list of the human reference values (country mean, or modal code of a nominal item).
    codes: required; the answer code of each option: one list per pair, or one list for every pair.
    scale_min, scale_max: required; the item's lowest and highest code, one number or one per pair.
    nominal: optional bool, or one per pair: items with unordered codes.
    groups: optional list of group (country) labels, one per pair.
    items: optional list of item ids, one per pair (default: one item per pair).
Returns:
    nvas_expected (0-100), and with groups nvas_expected_min and nvas_expected_max; nvas_expected_skipped.
Examples:
    >>> metric = evaluate.load(opinionbench.metrics.evaluate_module_path("nvas_expected"))
    >>> metric.compute(predictions=[[0.5, 0.5, 0, 0]], references=[1.5], codes=[1, 2, 3, 4], scale_min=1, scale_max=4)
    {'nvas_expected': 100.0, 'nvas_expected_skipped': 0.0}
"""


class NvasExpected(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=MENA_VALUES_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {"predictions": datasets.List(datasets.Value("float64")), "references": datasets.Value("float64")}
            ),
        )

    def _compute(
        self,
        predictions,
        references,
        codes=None,
        scale_min=None,
        scale_max=None,
        nominal=False,
        groups=None,
        items=None,
    ):
        if codes is None or scale_min is None or scale_max is None:
            raise ValueError("codes, scale_min and scale_max are required: each option's answer code and the scale")
        n_pairs = len(predictions)
        same_for_all = len(codes) > 0 and not isinstance(codes[0], (list, tuple, np.ndarray))
        code_rows = [codes] * n_pairs if same_for_all else per_row("codes", codes, n_pairs)
        for pair, (row, code_row) in enumerate(zip(predictions, code_rows)):
            if len(row) != len(code_row):
                raise ValueError(
                    f"predictions[{pair}] has {len(row)} probabilities but codes[{pair}] has {len(code_row)}"
                )
        for name, value in (("scale_min", scale_min), ("scale_max", scale_max), ("nominal", nominal)):
            check_per_pair(name, value, n_pairs)
        with module_errors({"probabilities": "predictions", "reference": "references"}):
            # Rows of different lengths are padded with zero probability (and code 0), which adds nothing.
            scores = nvas_expected(
                stack_ragged(predictions, fill=0.0),
                stack_ragged(code_rows, fill=0.0),
                np.asarray(references, dtype=float),
                scale_min,
                scale_max,
                nominal=nominal,
            )
        return summary_floats("nvas_expected", np.broadcast_to(scores, (n_pairs,)), groups, items)
