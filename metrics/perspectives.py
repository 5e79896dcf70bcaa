"""WorldView-Bench's Perspectives Distribution Score (PDS) and its entropy, and judge agreement.

A judge counts, per answer, the references to each of K perspectives: a (n_answers, K) count
matrix. PDS is the share of each perspective among the references; PDS entropy is the
Shannon entropy of those shares as a percentage of its maximum, ``100 * H / ln K`` (0 when one
perspective takes every reference, 100 when all K are equally represented).

Two pooling rules turn many answers into one distribution:

- ``"pooled"``: add up the references of all answers, then take shares (the default);
- ``"per_answer"``: take each answer's shares, then average them over the answers with at
  least one reference.

Answers without any reference take no part in PDS either way. The paper's own rule is not
known (see the WorldView-Bench task README); both are offered and the one used is reported.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_weights

POOLING_RULES = ("pooled", "per_answer")


def pds_entropy(shares, *, n_perspectives: int | None = None):
    """Normalised Shannon entropy of perspective shares, in percent of ``ln K``.

    Parameters
    ----------
    shares : array-like of shape (..., K)
        Shares or counts per perspective along the last axis (rows are normalised here). A row
        of NaN (the PDS of answers without any reference, from :func:`pds`) gives NaN.
    n_perspectives : int, optional
        K, when it differs from the length of the last axis; at least 2.

    Returns
    -------
    float or ndarray of shape (...)
        ``100 * (-sum p ln p) / ln K``; NaN for a row without any reference.

    Examples
    --------
    >>> pds_entropy([3, 0, 0]), round(pds_entropy([1, 1, 1]), 9)
    (0.0, 100.0)
    """
    array = np.asarray(shares, dtype=float)
    no_references = np.isnan(array).all(axis=-1, keepdims=True) if array.ndim else False
    counts = as_weights("shares", np.where(no_references, 0.0, array))
    k = counts.shape[-1] if n_perspectives is None else n_perspectives
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
        raise ValueError(f"n_perspectives must be an integer >= 2 (entropy is divided by ln K); got {k!r}")
    if counts.shape[-1] > k:
        raise ValueError(f"shares has {counts.shape[-1]} perspectives, more than n_perspectives={k}")
    total = counts.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / total
        terms = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    entropy = 100.0 * terms.sum(axis=-1) / np.log(k)
    entropy = np.where(total[..., 0] > 0, np.clip(entropy, 0.0, 100.0), np.nan)
    return entropy.item() if entropy.ndim == 0 else entropy


def pds(counts, *, pooling: str = "pooled", weights=None) -> np.ndarray:
    """PDS: the share of each perspective among the references of many answers.

    Parameters
    ----------
    counts : array-like of shape (n_answers, K)
        References per answer and perspective.
    pooling : {"pooled", "per_answer"}
        How answers are combined (see the module docstring).
    weights : array-like of shape (n_draws, n_answers), optional
        Bootstrap item weights (how often each answer is drawn); then one PDS per draw.

    Returns
    -------
    ndarray of shape (K,), or (n_draws, K) with ``weights``
        NaN where no answer has a reference.

    Examples
    --------
    >>> pds([[2, 0], [1, 1]]).tolist(), pds([[2, 0], [1, 1]], pooling="per_answer").tolist()
    ([0.75, 0.25], [0.75, 0.25])
    >>> pds([[4, 0], [0, 1]]).tolist(), pds([[4, 0], [0, 1]], pooling="per_answer").tolist()
    ([0.8, 0.2], [0.5, 0.5])
    """
    counts = as_weights("counts", counts)
    if counts.ndim != 2:
        raise ValueError(f"counts must be (n_answers, K); got shape {counts.shape}")
    if pooling not in POOLING_RULES:
        raise ValueError(f"pooling must be one of {POOLING_RULES}; got {pooling!r}")
    draws = np.ones((1, len(counts))) if weights is None else as_weights("weights", weights)
    if draws.ndim != 2 or draws.shape[1] != len(counts):
        raise ValueError(f"weights must be (n_draws, {len(counts)}); got shape {draws.shape}")
    totals = counts.sum(axis=1)
    if pooling == "pooled":
        per_draw = draws @ counts
    else:
        answered = totals > 0
        shares = np.divide(counts, totals[:, None], out=np.zeros_like(counts), where=answered[:, None])
        per_draw = draws @ shares
    with np.errstate(invalid="ignore", divide="ignore"):
        result = per_draw / per_draw.sum(axis=1, keepdims=True)
    return result[0] if weights is None else result


def judge_agreement(predicted, gold, perspectives) -> dict[str, dict[str, float]]:
    """Precision and recall of a judge per perspective, answer by answer, against hand labels.

    Parameters
    ----------
    predicted, gold : sequence of collections of str
        Per answer, the perspectives the judge found and those a human labelled.
    perspectives : sequence of str
        The perspective names (K).

    Returns
    -------
    dict
        Per perspective: ``precision`` (of the answers the judge gave it, the share a human
        labelled so; NaN if the judge never gave it), ``recall`` (of the answers labelled with
        it, the share the judge found; NaN without any), ``support`` (labelled answers) and
        ``predicted`` (answers the judge gave it).

    Examples
    --------
    >>> agreement = judge_agreement([{"a"}, {"a", "b"}, set()], [{"a"}, {"b"}, {"b"}], ["a", "b"])
    >>> agreement["a"]["precision"], agreement["b"]["recall"]
    (0.5, 0.5)
    """
    if len(predicted) != len(gold):
        raise ValueError(f"predicted has {len(predicted)} answers, gold {len(gold)}")
    known = set(perspectives)
    for name, labels in (("predicted", predicted), ("gold", gold)):
        unknown = set().union(*map(set, labels)) - known if labels else set()
        if unknown:
            raise ValueError(f"{name} names perspectives not in the list: {sorted(unknown)}")
    result = {}
    for perspective in perspectives:
        said = np.array([perspective in labels for labels in predicted], dtype=bool)
        true = np.array([perspective in labels for labels in gold], dtype=bool)
        hits = int((said & true).sum())
        result[perspective] = {
            "precision": hits / int(said.sum()) if said.any() else float("nan"),
            "recall": hits / int(true.sum()) if true.any() else float("nan"),
            "support": int(true.sum()),
            "predicted": int(said.sum()),
        }
    return result
