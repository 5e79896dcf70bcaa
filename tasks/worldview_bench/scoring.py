"""WorldView-Bench scoring: each answer judged for the perspectives it draws on (the judge the run's
settings name), and the PDS entropy of the references with its interval over answers."""

from __future__ import annotations

import numpy as np

from opinionbench import summary_keys
from opinionbench.intervals import POLICY
from opinionbench.judges import JudgeSettings, cached_judge, reference_counts
from opinionbench.lm_eval_outputs import with_stderr
from opinionbench.metrics import pds, pds_entropy
from opinionbench.metrics.aggregation import BootstrapEstimate
from opinionbench.summary_keys import LM_EVAL_MEAN, SummaryKey, stderr_aggregation

__all__ = [
    "mean_stderr",
    "pds_entropy_summary",
    "pds_entropy_summary_stderr",
    "process_results",
]
SUMMARY_KEYS = (
    SummaryKey("pds_entropy", "pds_entropy_summary", True),
    SummaryKey("reference_rate", LM_EVAL_MEAN, True),
)


def answer_text(responses) -> str:
    """The generated text of a logged sample (``filtered_resps``, possibly nested)."""
    while isinstance(responses, list):
        responses = responses[0]
    return str(responses)


def process_results(doc: dict, results: list) -> dict:
    """Judge the answer: its references per perspective (``counts``, in list order) and the
    references themselves, as the payload of every key."""
    judge = cached_judge(doc["judge_settings"])
    references = judge.references(doc["question"], answer_text(results), item=doc["id"])
    counts = reference_counts(references, judge.perspectives.names)
    payload = {
        "domain": doc["domain_slug"],
        "counts": counts,
        "references": [list(reference) for reference in references],
        "judge_settings": doc["judge_settings"],
    }
    return with_stderr({"pds_entropy": payload, "reference_rate": float(sum(counts) > 0)})


def _counts(payloads: list) -> tuple[np.ndarray, str]:
    """The payloads' reference counts (answers x perspectives) and the run's pooling rule."""
    pooling = JudgeSettings.from_json(payloads[0]["judge_settings"]).pooling
    return np.array([payload["counts"] for payload in payloads], dtype=float), pooling


def pds_entropy_summary(payloads: list) -> float:
    """PDS entropy (percent of ln K) of the answers' references, pooled as the settings say."""
    counts, pooling = _counts(payloads)
    return float(pds_entropy(pds(counts, pooling=pooling)))


def pds_entropy_summary_estimate(payloads: list) -> BootstrapEstimate:
    """Bootstrap interval and standard error of :func:`pds_entropy_summary`, resampling answers (questions)."""
    counts, pooling = _counts(payloads)
    # A draw without any reference has no PDS (NaN): its entropy is NaN, left out of the interval.
    return POLICY.estimate(lambda weights: pds_entropy(pds(counts, pooling=pooling, weights=weights)), len(counts))


pds_entropy_summary_stderr = stderr_aggregation(pds_entropy_summary_estimate)
mean_stderr = summary_keys.mean_stderr
