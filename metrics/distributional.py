"""Similarity between a model's and a human group's answer distributions.

Every function works on the last axis (the answer options) and broadcasts over any
leading batch axes, so one call scores many (item, group) pairs.
"""

from __future__ import annotations

import numpy as np
from scipy.special import rel_entr

from ._validation import as_positions, as_weights, broadcast, scalar_or_array


def js_similarity(p, q, *, base: float = 2.0):
    """One minus the Jensen-Shannon distance between ``p`` and ``q`` (GlobalOpinionQA).

    Parameters
    ----------
    p, q : array-like of shape (..., n_options)
        Non-negative weights over the same options; each is normalised to sum to 1
        (as :func:`scipy.spatial.distance.jensenshannon` does). Shapes broadcast.
    base : float, default 2
        Logarithm base. Base 2 gives a distance in [0, 1]; base e (SciPy's default)
        gives [0, sqrt(ln 2)], i.e. ``d_e = sqrt(ln 2) * d_2``.

    Returns
    -------
    similarity : ndarray of shape (...) (a float for one pair)
        ``1 - sqrt(JSD(p, q))``; NaN where ``p`` or ``q`` has zero total weight.

    Examples
    --------
    >>> round(float(js_similarity([1, 0], [0, 1])), 6)
    0.0
    >>> round(float(js_similarity([0.5, 0.5], [0.5, 0.5])), 6)
    1.0
    """
    if not np.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(f"base must be a positive number other than 1; got {base!r}")
    p, q = broadcast(p=as_weights("p", p), q=as_weights("q", q))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = p / p.sum(axis=-1, keepdims=True)
        q = q / q.sum(axis=-1, keepdims=True)
        mid = (p + q) / 2
        # rel_entr(x, m) = x * log(x / m), and 0 where x = 0; NaN rows (zero weight) stay NaN
        divergence = (rel_entr(p, mid).sum(axis=-1) + rel_entr(q, mid).sum(axis=-1)) / (2 * np.log(base))
    return scalar_or_array(1.0 - np.sqrt(np.clip(divergence, 0.0, None)))


def restrict_to_ordinal(p, positions):
    """Zero the options off the scale (NaN position) and renormalise the rest to sum to 1.

    Rows with no weight left on the scale become NaN. This is OpinionQA's treatment
    of refusal options before the Wasserstein distance.

    Examples
    --------
    >>> restrict_to_ordinal([0.2, 0.6, 0.2], [1, 2, None]).round(3).tolist()
    [0.25, 0.75, 0.0]
    """
    p, positions = broadcast(p=as_weights("p", p), positions=as_positions("positions", positions))
    return _restrict(p, np.isfinite(positions))


NORMALIZATIONS = ("range", "none")


def wasserstein_similarity(p, q, positions):
    """One minus the normalised 1-Wasserstein distance on the ordinal scale (OpinionQA).

    ``1 - W1(p, q) / (max(positions) - min(positions))``, after dropping the options
    without a position and renormalising both distributions over the rest: ``1 -
    wasserstein_distance(p, q, positions)``. The support is the positions themselves, so
    non-consecutive scales are measured as given.

    Parameters
    ----------
    p, q : array-like of shape (..., n_options)
        Non-negative weights over the same options. Shapes broadcast.
    positions : array-like of shape (..., n_options)
        Ordinal position of each option; NaN (or None) for options off the scale
        (don't know, refused, nominal items). Broadcasts with ``p`` and ``q``.

    Returns
    -------
    similarity : ndarray of shape (...) (a float for one pair)
        In [0, 1]. NaN where fewer than two options have a position, where all
        positions are equal, or where ``p`` or ``q`` has no weight on the scale:
        such pairs are skipped, and aggregations count them.

    Examples
    --------
    >>> float(wasserstein_similarity([1, 0, 0], [0, 0, 1], [1, 2, 3]))
    0.0
    >>> float(wasserstein_similarity([0.5, 0.5, 0], [0, 0.5, 0.5], [1, 2, 3]))
    0.5
    """
    return scalar_or_array(1.0 - np.asarray(wasserstein_distance(p, q, positions)))


def wasserstein_distance(p, q, positions, *, normalize: str = "range"):
    """The 1-Wasserstein distance between ``p`` and ``q`` on the ordinal scale ``positions``.

    The options without a position are dropped and both distributions renormalised over the
    rest (as in :func:`wasserstein_similarity`, which takes the same arguments).
    ``normalize="range"`` (OpinionQA's, the default) divides by ``max(positions) -
    min(positions)``, giving [0, 1]; ``normalize="none"`` gives the distance in the units of the
    positions (the answer codes), as studies that report raw W1 do.

    Returns NaN for the pairs :func:`wasserstein_similarity` skips.

    Examples
    --------
    >>> float(wasserstein_distance([1, 0, 0, 0], [0, 0, 0, 1], [1, 2, 3, 4], normalize="none"))
    3.0
    >>> float(wasserstein_distance([0.5, 0.5, 0], [0, 0.5, 0.5], [1, 2, 3]))
    0.5
    """
    if normalize not in NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {NORMALIZATIONS}, not {normalize!r}")
    p, q, positions = broadcast(
        p=as_weights("p", p), q=as_weights("q", q), positions=as_positions("positions", positions)
    )
    on_scale = np.isfinite(positions)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = _restrict(p, on_scale) - _restrict(q, on_scale)
    scale = np.where(on_scale, positions, -np.inf)
    listed_in_order = ((np.maximum.accumulate(scale, axis=-1) == scale) | ~on_scale).all(axis=-1)
    if not listed_in_order.all():  # sort only the rows whose options are not in scale order
        rows = ~listed_in_order
        order = np.argsort(np.where(on_scale[rows], positions[rows], np.inf), axis=-1)
        gap[rows] = np.take_along_axis(gap[rows], order, axis=-1)
        scale[rows] = np.take_along_axis(scale[rows], order, axis=-1)
    low = np.min(np.where(on_scale, positions, np.inf), axis=-1)
    high = np.max(scale, axis=-1)
    # Options off the scale carry no weight; giving them the position of the option
    # before them (a running maximum) makes their steps zero.
    filled = np.maximum.accumulate(scale, axis=-1)
    filled = np.where(np.isneginf(filled), low[..., None], filled)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.sum(np.abs(np.cumsum(gap, axis=-1)[..., :-1]) * np.diff(filled, axis=-1), axis=-1)
        if normalize == "range":
            distance = distance / (high - low)
    scored = (on_scale.sum(axis=-1) >= 2) & (high > low)
    return scalar_or_array(np.where(scored, distance, np.nan))


def _restrict(p: np.ndarray, on_scale: np.ndarray) -> np.ndarray:
    kept = np.where(on_scale, p, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return kept / kept.sum(axis=-1, keepdims=True)
