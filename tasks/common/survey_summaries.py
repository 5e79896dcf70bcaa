"""The summary numbers of the survey-distribution tasks in lm-eval's table: the aggregation
functions that turn a metric's per-document group payloads into a float (each country's mean
over the questions it answered, then the macro mean, minimum or maximum over countries), their
bootstrap standard errors and 95 % intervals over questions (:data:`opinionbench.intervals.POLICY`), and
:data:`SUMMARY_KEYS`, the keys every survey family's generated ``_metrics_yaml`` lists (a task
reports the keys its ``process_results`` gives).

A survey family's ``utils.py`` provides these aggregations to its YAML with
``from opinionbench.tasks.common.survey_summaries import *`` (``__all__``: the aggregations).
"""

from __future__ import annotations

import numpy as np

from opinionbench import summary_keys
from opinionbench.intervals import POLICY
from opinionbench.lm_eval_outputs import payload_pairs
from opinionbench.metrics.aggregation import BootstrapEstimate
from opinionbench.summary_keys import LM_EVAL_MEAN, SummaryKey, reuse_last, stderr_aggregation

from . import generated_files


def _summary(scores: np.ndarray, groups: list[str], items: list[str], *, resample: bool = False):
    """The per-country summary of the pairs (with its intervals when ``resample``), or None if none was scored."""
    if not groups or np.isnan(scores).all():
        return None
    return POLICY.summarize_by_group(scores, groups, items, resample=resample)


def macro_mean(payloads) -> float:
    """Mean over countries of each country's mean over the questions it answered."""
    summary = _summary(*payload_pairs(payloads))
    return float("nan") if summary is None else summary.macro_mean


def group_min(payloads) -> float:
    """The lowest country mean."""
    summary = _summary(*payload_pairs(payloads))
    return float("nan") if summary is None else summary.min


def group_max(payloads) -> float:
    """The highest country mean."""
    summary = _summary(*payload_pairs(payloads))
    return float("nan") if summary is None else summary.max


def skipped_pairs(payloads) -> float:
    """How many (question, country) pairs had no score (e.g. no ordinal scale)."""
    return float(sum(score is None for entry in payloads for score in entry["scores"]))


def steerability(payloads) -> float:
    """Mean over target countries of (steered - unsteered) similarity to that country.

    Payloads carry ``steered``: True for answers to a prompt steered towards the country,
    False for the unsteered answer to the same question; only questions with both count.
    """
    summary = _summary(*_steering_pairs(payloads))
    return float("nan") if summary is None else summary.macro_mean


def _steering_pairs(payloads) -> tuple[np.ndarray, list[str], list[str]]:
    """Per (question, target country) answered both ways: steered - unsteered score, country, question."""
    steered, unsteered = {}, {}
    for entry in payloads:
        target = steered if entry["steered"] else unsteered
        for group, score in zip(entry["groups"], entry["scores"]):
            if score is not None:
                target[(entry["item"], group)] = score
    both = [pair for pair in steered if pair in unsteered]
    differences = np.array([steered[pair] - unsteered[pair] for pair in both], dtype=float)
    return differences, [country for _, country in both], [item for item, _ in both]


# --- bootstrap interval and standard error over questions --------------------------------------


@reuse_last
def _resampled_summary(payloads):
    """The per-country summary with the intervals and standard errors of its macro mean, minimum
    and maximum, which come from one bootstrap: the three keys of one metric share it."""
    return _summary(*payload_pairs(payloads), resample=True)


def _estimate(summary, statistic: str) -> BootstrapEstimate:
    """``statistic`` (``macro_mean``, ``min``, ``max``) of a summary as a :class:`BootstrapEstimate`."""
    if summary is None:
        return BootstrapEstimate(float("nan"), float("nan"), float("nan"))
    return BootstrapEstimate(*getattr(summary, f"{statistic}_ci"), getattr(summary, f"{statistic}_se"))


def macro_mean_estimate(payloads) -> BootstrapEstimate:
    """Interval and standard error of :func:`macro_mean`."""
    return _estimate(_resampled_summary(payloads), "macro_mean")


def group_min_estimate(payloads) -> BootstrapEstimate:
    """Interval and standard error of :func:`group_min`."""
    return _estimate(_resampled_summary(payloads), "min")


def group_max_estimate(payloads) -> BootstrapEstimate:
    """Interval and standard error of :func:`group_max`."""
    return _estimate(_resampled_summary(payloads), "max")


def steerability_estimate(payloads) -> BootstrapEstimate:
    """Interval and standard error of :func:`steerability`."""
    return _estimate(_summary(*_steering_pairs(payloads), resample=True), "macro_mean")


macro_mean_stderr = stderr_aggregation(macro_mean_estimate)
group_min_stderr = stderr_aggregation(group_min_estimate)
group_max_stderr = stderr_aggregation(group_max_estimate)
steerability_stderr = stderr_aggregation(steerability_estimate)
mean_stderr = summary_keys.mean_stderr

# --- lm-eval's table ------------------------------------------------------------------------------

# Every key a survey task may report, in table order (a task reports those its process_results gives).
SUMMARY_KEYS = (
    SummaryKey("js_similarity", "macro_mean", True),
    SummaryKey("js_similarity_min", "group_min", True),
    SummaryKey("js_similarity_max", "group_max", True),
    SummaryKey("wasserstein_similarity", "macro_mean", True),
    SummaryKey("wasserstein_similarity_skipped", "skipped_pairs", False, uncertainty=False),
    SummaryKey("uniform_js_similarity", "macro_mean", True),
    SummaryKey("uniform_js_similarity_min", "group_min", True),
    SummaryKey("uniform_js_similarity_max", "group_max", True),
    SummaryKey("uniform_wasserstein_similarity", "macro_mean", True),
    SummaryKey("option_mass", LM_EVAL_MEAN, True),
    SummaryKey("refusal_rate", LM_EVAL_MEAN, False),
    SummaryKey("js_similarity_unsteered", "macro_mean", True),
    SummaryKey("steerability", "steerability", True),
    SummaryKey("nvas", "macro_mean", True),
    SummaryKey("nvas_expected", "macro_mean", True),
    SummaryKey("uniform_nvas_expected", "macro_mean", True),
    SummaryKey("kl_divergence", "macro_mean", False),
    SummaryKey("valid_answer_rate", LM_EVAL_MEAN, True),
)
# The aggregation functions the generated metric lists name.
__all__ = [
    "group_max",
    "group_max_stderr",
    "group_min",
    "group_min_stderr",
    "macro_mean",
    "macro_mean_stderr",
    "mean_stderr",
    "skipped_pairs",
    "steerability",
    "steerability_stderr",
]


def metrics_file() -> dict[str, str]:
    """A survey family's generated ``_metrics_yaml``."""
    note = (
        "Summary floats of the survey-distribution tasks (tasks/common/survey_summaries.py). Each\n"
        "process_results returns a per-country payload for these keys; a task reports only the keys its\n"
        "process_results produces (refusal_rate: generative variants; js_similarity_unsteered and\n"
        "steerability: persona variants; nvas, kl_divergence, valid_answer_rate: MENAValues). Every key\n"
        "but counts (*_skipped) has <key>_stderr: its bootstrap standard error over questions, which lm-eval\n"
        "shows in the Stderr column of the key's row."
    )
    return generated_files.metrics_file(SUMMARY_KEYS, note)
