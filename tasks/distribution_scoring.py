"""What every survey-distribution task shares: documents, option labels, per-document
scores, and their aggregation into the lm-eval results table.

``process_results`` of a task returns, per metric key, a small JSON payload
``{"item": id, "groups": [...], "scores": [...]}`` with one score per (question, country)
pair (``None`` for a skipped pair); the aggregation functions below turn the list of
payloads into the summary floats: each country's mean over its questions, then the
macro mean, minimum or maximum over countries, and into their 95 % bootstrap intervals over
questions (:mod:`.summary_intervals`).
"""

from __future__ import annotations

import re

import datasets
import numpy as np

from opinionbench.metrics import js_similarity, summarize_by_group, wasserstein_similarity
from opinionbench.tasks import summary_intervals as intervals
from opinionbench.tasks import variants
from opinionbench.tasks.backend_checks import require_distinct_loglikelihoods

# Metric keys every distribution task reports (the group keys of each family's YAML).
GROUP_METRICS = (
    "js_similarity",
    "js_similarity_min",
    "js_similarity_max",
    "wasserstein_similarity",
    "wasserstein_similarity_skipped",
    "uniform_js_similarity",
    "uniform_js_similarity_min",
    "uniform_js_similarity_max",
    "uniform_wasserstein_similarity",
)


def load_documents(source: str, variant: str | None = None, **_lm_eval_metadata) -> datasets.DatasetDict:
    """lm-eval ``custom_dataset``: the cached build of ``source`` (built on first use), presented as
    the robustness ``variant`` (from the task's ``dataset_kwargs`` or ``--metadata``) if given."""
    from opinionbench.dataset_cache import load_built_dataset

    return datasets.DatasetDict({"test": variants.apply_variant(load_built_dataset(source), source, variant)})


REFUSAL = re.compile(
    r"\b(i (cannot|can't|can not|won't|am not able to|am unable to)|as an ai|i do not have (personal )?(opinions|"
    r"beliefs|views)|i don't have (personal )?(opinions|beliefs|views)|i'm not able to|i prefer not to)\b",
    re.IGNORECASE,
)
# An option letter at the start of an answer: "Answer: B", "The answer is (B)", "(B)", "B)", "B.", "B".
# A bare capital followed by more words ("I think ...", "A great deal") is not a letter answer.
_LETTER = re.compile(
    r"^[\s\"'*]*(?:"
    r"(?i:(?:the\s+)?(?:answer|option|choice)(?:\s+is)?)[\s:]*\(?(?P<named>[A-Z])\b"
    r"|\((?P<bracketed>[A-Z])\)"
    r"|(?P<marked>[A-Z])(?:[).:,*]|$))"
)


def parse_option_letter(text: str, doc: dict) -> str:
    """The option letter a free-text answer chooses, ``"refusal"``, or ``"invalid"``.

    Accepted, at the start of the answer: the full text of an option (longest first), or a
    marked letter ("Answer: B", "(B)", "B)", "B.", "B"). A letter that is not an option,
    or anything else, is invalid: no guessing.
    """
    letters = variants.labels(doc)
    stripped = text.strip()
    lowered = stripped.lower()
    for letter, option in sorted(zip(letters, doc["options"]), key=lambda pair: -len(pair[1])):
        if lowered.startswith(option.lower()):
            return letter
    match = _LETTER.match(stripped)
    letter = match and (match["named"] or match["bracketed"] or match["marked"])
    if letter in letters:
        return letter
    return "refusal" if REFUSAL.search(stripped) else "invalid"


def model_distribution(doc: dict, results) -> tuple[np.ndarray, float]:
    """The softmax over the options' log-likelihoods, in the canonical option order, and the raw
    probability mass on the options.

    ``results`` are lm-eval's ``(loglikelihood, is_greedy)`` pairs, one per option as displayed
    (a robustness variant may show the options in another order: see :mod:`.variants`). Stops
    when every option has the same log-likelihood (:mod:`.backend_checks`).
    """
    loglikelihoods = variants.canonical_loglikelihoods(doc, results).astype(float)
    require_distinct_loglikelihoods(doc, loglikelihoods)
    shifted = np.exp(loglikelihoods - loglikelihoods.max())
    return shifted / shifted.sum(), float(np.exp(loglikelihoods).sum())


def payload(doc: dict, groups: list[str], scores) -> dict:
    """One document's per-country scores as JSON (NaN becomes None)."""
    return {
        "item": doc["id"],
        "groups": list(groups),
        "scores": [None if np.isnan(score) else float(score) for score in np.atleast_1d(scores)],
    }


def distribution_scores(doc: dict, model: np.ndarray | None, selected: np.ndarray) -> dict[str, dict]:
    """Payloads of every key in ``GROUP_METRICS`` for one document.

    ``model`` is the model's distribution over the options (None when it gave no usable
    answer: every pair is skipped); ``selected`` masks the groups that are scored.
    """
    groups = [group for group, keep in zip(doc["groups"], selected) if keep]
    human = np.asarray(doc["distributions"], dtype=float)[selected]
    positions = np.array(doc["ordinal"], dtype=float)
    uniform = np.full(len(doc["options"]), 1.0 / len(doc["options"]))
    skipped = np.full(len(groups), np.nan)
    if len(groups) == 0:
        js = w1 = uniform_js = uniform_w1 = skipped
    else:
        js = skipped if model is None else js_similarity(model, human)
        w1 = skipped if model is None else wasserstein_similarity(model, human, positions)
        uniform_js = js_similarity(uniform, human)
        uniform_w1 = wasserstein_similarity(uniform, human, positions)
    values = {
        "js_similarity": js,
        "wasserstein_similarity": w1,
        "uniform_js_similarity": uniform_js,
        "uniform_wasserstein_similarity": uniform_w1,
    }
    return {key: payload(doc, groups, values[_base_metric(key)]) for key in GROUP_METRICS}


def _base_metric(key: str) -> str:
    """The metric a summary key is computed from: ``js_similarity_min`` -> ``js_similarity``."""
    for suffix in ("_min", "_max", "_skipped"):
        key = key.removesuffix(suffix)
    return key


def payload_pairs(payloads) -> tuple[np.ndarray, list[str], list[str]]:
    """All (question, country) pairs of a list of payloads: scores (NaN if skipped), groups, items."""
    scores, groups, items = [], [], []
    for entry in payloads:
        scores += [np.nan if score is None else score for score in entry["scores"]]
        groups += entry["groups"]
        items += [entry["item"]] * len(entry["groups"])
    return np.asarray(scores, dtype=float), groups, items


def _summary(scores: np.ndarray, groups: list[str], items: list[str], n_resamples: int = 0):
    """:func:`summarize_by_group` of the pairs (intervals with ``n_resamples``), or None if none was scored."""
    if not groups or np.isnan(scores).all():
        return None
    return summarize_by_group(scores, groups, items, n_resamples=n_resamples, random_state=intervals.RANDOM_STATE)


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


# --- 95 % bootstrap intervals over questions (see summary_intervals.py) -----------------------


def _interval(pairs, statistic: str) -> tuple[float, float]:
    summary = _summary(*pairs, n_resamples=intervals.N_RESAMPLES)
    return (float("nan"), float("nan")) if summary is None else getattr(summary, statistic)


def macro_mean_interval(payloads) -> tuple[float, float]:
    """Interval of :func:`macro_mean`."""
    return _interval(payload_pairs(payloads), "macro_mean_ci")


def group_min_interval(payloads) -> tuple[float, float]:
    """Interval of :func:`group_min`."""
    return _interval(payload_pairs(payloads), "min_ci")


def group_max_interval(payloads) -> tuple[float, float]:
    """Interval of :func:`group_max`."""
    return _interval(payload_pairs(payloads), "max_ci")


def steerability_interval(payloads) -> tuple[float, float]:
    """Interval of :func:`steerability`."""
    return _interval(_steering_pairs(payloads), "macro_mean_ci")


macro_mean_ci_low, macro_mean_ci_high = intervals.bound_aggregations(macro_mean_interval)
group_min_ci_low, group_min_ci_high = intervals.bound_aggregations(group_min_interval)
group_max_ci_low, group_max_ci_high = intervals.bound_aggregations(group_max_interval)
steerability_ci_low, steerability_ci_high = intervals.bound_aggregations(steerability_interval)
