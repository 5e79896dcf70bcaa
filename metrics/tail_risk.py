"""Tail risk of per-item losses: the conditional value at risk (SHARP's CVaR95).

``cvar(losses)`` is the mean of the worst ``alpha`` (5 %) share of the losses: ``E[X | X >= VaR]``
of their empirical distribution, in the form of Rockafellar and Uryasev that stays exact when the
quantile falls inside a tie or inside one item: the losses are taken from the largest down until
their weight reaches ``alpha`` of the total, and the item at the boundary counts with the part of its
weight that is needed. With ``n`` equally weighted losses and ``alpha * n`` whole, it is the mean of
the ``alpha * n`` largest; ties at the quantile do not change the value (tied items are
interchangeable), so no tie rule is needed.
"""

from __future__ import annotations

import numpy as np

TAIL_SHARE = 0.05  # CVaR95: the worst 5 %


def cvar(losses, weights=None, *, alpha: float = TAIL_SHARE):
    """The mean of the worst ``alpha`` share of ``losses`` (NaN losses dropped).

    Parameters
    ----------
    losses : array-like of shape (n,)
    weights : array-like of shape (n,) or (n_resamples, n), optional
        Non-negative weights of the losses (e.g. bootstrap multiplicities); one CVaR per row.
    alpha : float in (0, 1]

    Returns
    -------
    A float (one row of weights or none), else an array of shape (n_resamples,). NaN when no
    finite loss has weight.

    Examples
    --------
    >>> cvar([0.1, 0.9, 0.3, 0.5], alpha=0.5)  # the two largest
    0.7
    >>> round(cvar([0.1, 0.9, 0.3, 0.5], alpha=0.375), 6)  # 0.9 and half of 0.5
    0.766667
    >>> cvar([1.0, 2.0, 3.0], weights=[[1, 1, 1], [2, 1, 0]], alpha=0.5).tolist()
    [2.6666666666666665, 1.6666666666666667]
    """
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must lie in (0, 1], not {alpha}")
    losses = np.asarray(losses, dtype=float)
    finite = np.isfinite(losses)
    weights = np.ones_like(losses) if weights is None else np.asarray(weights, dtype=float)
    if weights.shape[-1] != losses.shape[-1]:
        raise ValueError(f"{weights.shape[-1]} weights for {losses.shape[-1]} losses")
    if (weights < 0).any():
        raise ValueError("weights must be non-negative")
    order = np.argsort(-losses[finite], kind="stable")
    sorted_losses = losses[finite][order]
    sorted_weights = np.atleast_2d(weights)[:, finite][:, order]
    tail = alpha * sorted_weights.sum(axis=-1, keepdims=True)
    taken_before = np.cumsum(sorted_weights, axis=-1) - sorted_weights
    in_tail = np.clip(tail - taken_before, 0.0, sorted_weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = (in_tail @ sorted_losses) / tail[:, 0]
    values = np.where(tail[:, 0] > 0, values, np.nan)
    return float(values[0]) if weights.ndim == 1 else values
