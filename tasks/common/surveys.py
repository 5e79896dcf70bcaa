"""What every survey-distribution task shares per document: its documents, the model's distribution
over the options, and the per-country scores.

``process_results`` of a task returns, per metric key, a group payload
(:func:`opinionbench.lm_eval_outputs.group_payload`) with one score per (question, country)
pair (``None`` for a skipped pair); :mod:`.survey_summaries` aggregates them into lm-eval's table.
"""

from __future__ import annotations

import re

import datasets
import numpy as np

from opinionbench.lm_eval_outputs import group_payload
from opinionbench.metrics import js_similarity, wasserstein_similarity

from . import variants
from .backend_checks import require_distinct_loglikelihoods

# An English answer that declines to choose (generated answers of the survey tasks).
REFUSAL = re.compile(
    r"\b(i (cannot|can't|can not|won't|am not able to|am unable to)|as an ai|i do not have (personal )?(opinions|"
    r"beliefs|views)|i don't have (personal )?(opinions|beliefs|views)|i'm not able to|i prefer not to)\b",
    re.IGNORECASE,
)

# Metric keys every distribution task reports (the group keys of each family's YAML).
GROUP_METRICS = (
    "js_similarity",
    "js_similarity_min",
    "js_similarity_max",
    "wasserstein_similarity",
    "wasserstein_similarity_skipped",
    "js_loss_cvar",
    "wasserstein_loss_cvar",
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


def human_distributions(doc: dict) -> np.ndarray:
    """The document's human distributions, groups x options (zero rows for an item no group has data for)."""
    return np.asarray(doc["distributions"], dtype=float).reshape(len(doc["groups"]), len(doc["options"]))


def payload(doc: dict, groups: list[str], scores) -> dict:
    """One document's per-country scores (:func:`opinionbench.lm_eval_outputs.group_payload`)."""
    return group_payload(doc["id"], groups, scores)


def distribution_scores(
    doc: dict, model: np.ndarray | None, selected: np.ndarray, asked: np.ndarray | None = None
) -> dict[str, dict]:
    """Payloads of every key in ``GROUP_METRICS`` for one document.

    ``model`` is the model's distribution over the options (None when it gave no usable
    answer: every pair is skipped); ``selected`` masks the groups that are scored. ``asked``
    (groups x options, default every option) masks the options each group was asked: the
    model's and the uniform baseline's mass elsewhere is dropped and the rest renormalised,
    and only the asked options keep their ordinal positions.
    """
    groups = [group for group, keep in zip(doc["groups"], selected) if keep]
    human = human_distributions(doc)[selected]
    asked = np.ones(human.shape, dtype=bool) if asked is None else np.asarray(asked, dtype=bool)[selected]
    positions = np.where(asked, np.array(doc["ordinal"], dtype=float), np.nan)
    uniform = asked / asked.sum(axis=-1, keepdims=True)
    skipped = np.full(len(groups), np.nan)
    if len(groups) == 0:
        js = w1 = uniform_js = uniform_w1 = skipped
    else:
        js = skipped if model is None else js_similarity(np.where(asked, model, 0.0), human)
        w1 = skipped if model is None else wasserstein_similarity(np.where(asked, model, 0.0), human, positions)
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
    """The metric a summary key is computed from: ``js_similarity_min`` -> ``js_similarity``,
    ``js_loss_cvar`` -> ``js_similarity`` (the tail of its losses)."""
    if key.endswith("_loss_cvar"):
        return key.replace("_loss_cvar", "_similarity")
    for suffix in ("_min", "_max", "_skipped"):
        key = key.removesuffix(suffix)
    return key
