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
from opinionbench.metrics.tail_risk import cvar
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


def tail_loss(payloads) -> float:
    """CVaR95 of the per-pair loss ``1 - score`` (a similarity on [0, 1]): the mean of the worst 5 %
    of the scored (question, country) pairs (:func:`opinionbench.metrics.cvar`)."""
    return float(cvar(_losses(payloads, 1.0)[0]))


def tail_loss_percent(payloads) -> float:
    """CVaR95 of the per-pair loss ``100 - score`` (a score on 0-100, NVAS)."""
    return float(cvar(_losses(payloads, 100.0)[0]))


def _losses(payloads, best: float) -> tuple[np.ndarray, np.ndarray, int]:
    """The scored pairs' losses ``best - score``, the index of each pair's question and the number
    of questions (a pair weighs what its question weighs in a bootstrap over questions)."""
    scores, _, items = payload_pairs(payloads)
    scored = np.isfinite(scores)
    _, question, counts = np.unique(np.asarray(items, dtype=object)[scored], return_inverse=True, return_counts=True)
    return best - scores[scored], question, counts.size


def _tail_estimate(payloads, best: float) -> BootstrapEstimate:
    losses, question, n_questions = _losses(payloads, best)
    if losses.size == 0:
        return BootstrapEstimate(float("nan"), float("nan"), float("nan"))

    def statistic(weights: np.ndarray) -> np.ndarray:
        chunks = range(0, len(weights), _TAIL_CHUNK)  # (draws x pairs) weights a chunk at a time
        return np.concatenate([cvar(losses, weights[start : start + _TAIL_CHUNK][:, question]) for start in chunks])

    return POLICY.estimate(statistic, n_questions)


_TAIL_CHUNK = 50


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


def tail_loss_estimate(payloads) -> BootstrapEstimate:
    """Interval and standard error of :func:`tail_loss` (questions resampled, with their pairs)."""
    return _tail_estimate(payloads, 1.0)


def tail_loss_percent_estimate(payloads) -> BootstrapEstimate:
    """Interval and standard error of :func:`tail_loss_percent`."""
    return _tail_estimate(payloads, 100.0)


def steerability_estimate(payloads) -> BootstrapEstimate:
    """Interval and standard error of :func:`steerability`."""
    return _estimate(_summary(*_steering_pairs(payloads), resample=True), "macro_mean")


macro_mean_stderr = stderr_aggregation(macro_mean_estimate)
group_min_stderr = stderr_aggregation(group_min_estimate)
group_max_stderr = stderr_aggregation(group_max_estimate)
steerability_stderr = stderr_aggregation(steerability_estimate)
tail_loss_stderr = stderr_aggregation(tail_loss_estimate)
tail_loss_percent_stderr = stderr_aggregation(tail_loss_percent_estimate)
mean_stderr = summary_keys.mean_stderr

# --- lm-eval's table ------------------------------------------------------------------------------

# Every key a survey task may report, in table order (a task reports those its process_results gives).
SUMMARY_KEYS = (
    SummaryKey("js_similarity", "macro_mean", True),
    SummaryKey("js_similarity_min", "group_min", True),
    SummaryKey("js_similarity_max", "group_max", True),
    SummaryKey("wasserstein_similarity", "macro_mean", True),
    SummaryKey("wasserstein_similarity_skipped", "skipped_pairs", False, uncertainty=False),
    SummaryKey("js_loss_cvar", "tail_loss", False),  # tail risk: the worst 5 % of 1 - js_similarity
    SummaryKey("wasserstein_loss_cvar", "tail_loss", False),  # ... of the normalised W1 distance
    SummaryKey("uniform_js_similarity", "macro_mean", True),
    SummaryKey("uniform_js_similarity_min", "group_min", True),
    SummaryKey("uniform_js_similarity_max", "group_max", True),
    SummaryKey("uniform_wasserstein_similarity", "macro_mean", True),
    SummaryKey("option_mass", LM_EVAL_MEAN, True),
    SummaryKey("refusal_rate", LM_EVAL_MEAN, False),
    SummaryKey("js_similarity_unsteered", "macro_mean", True),
    SummaryKey("steerability", "steerability", True),
    SummaryKey("nvas", "macro_mean", True),
    SummaryKey("nvas_loss_cvar", "tail_loss_percent", False),  # the worst 5 % of 100 - nvas
    SummaryKey("nvas_expected", "macro_mean", True),
    SummaryKey("uniform_nvas_expected", "macro_mean", True),
    SummaryKey("nvas_paper", "macro_mean", True),  # the paper's rule: numeric distance on nominal items too
    SummaryKey("nvas_paper_expected", "macro_mean", True),
    SummaryKey("uniform_nvas_paper_expected", "macro_mean", True),
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
    "tail_loss",
    "tail_loss_percent",
    "tail_loss_percent_stderr",
    "tail_loss_stderr",
]


def metrics_file() -> dict[str, str]:
    """A survey family's generated ``_metrics_yaml``."""
    note = (
        "Summary floats of the survey-distribution tasks (tasks/common/survey_summaries.py). Each\n"
        "process_results returns a per-country payload for these keys; a task reports only the keys its\n"
        "process_results produces (refusal_rate: generative variants; js_similarity_unsteered and\n"
        "steerability: persona variants; nvas*, kl_divergence, valid_answer_rate: MENAValues; *_loss_cvar:\n"
        "the mean of the worst 5 % of the per-pair losses). Every key\n"
        "but counts (*_skipped) has <key>_stderr: its bootstrap standard error over questions, which lm-eval\n"
        "shows in the Stderr column of the key's row."
    )
    return generated_files.metrics_file(SUMMARY_KEYS, note)
