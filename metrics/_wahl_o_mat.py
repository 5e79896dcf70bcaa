"""Wahl-O-Mat: agreement with each party by the bpb's points rule."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ._political_common import (
    as_statement_sequence,
    as_statement_weights,
    one_hot_rows,
    option_index,
    option_rows,
    probability_rows,
)

POSITIONS = ("agree", "neutral", "disagree")
# Points for (model position, party position), both in POSITIONS order: the same position
# 2, one side neutral 1, opposite positions 0.
_POINTS = np.array([[2.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 2.0]])


def wahl_o_mat_agreement(model_positions, party_positions, important=None) -> dict[str, float]:
    """Each party's agreement with the model's positions, in percent (the bpb rule).

    Per thesis the model earns 2 points for the party's position, 1 when one of the two is
    neutral and the other is not, 0 for the opposite position. Theses marked ``important``
    count double. Agreement = 100 * points / maximum, where the maximum is 2 per thesis
    (4 if important) over the theses the model did not skip.

    Parameters
    ----------
    model_positions : sequence of "agree", "neutral", "disagree" or None
        The model's position per thesis; ``None`` skips the thesis.
    party_positions : mapping of party -> sequence of "agree", "neutral", "disagree"
        Each party's positions, aligned with ``model_positions``.
    important : sequence of bool, optional
        The theses that count double; by default none.

    Returns
    -------
    dict of party -> float
        Agreement in [0, 100], unrounded, in the order of ``party_positions``.

    Raises
    ------
    ValueError
        On an unknown position, a length mismatch, or when every thesis is skipped.

    Examples
    --------
    >>> agreement = wahl_o_mat_agreement(
    ...     ["agree", "neutral", None], {"Party": ["agree", "disagree", "agree"]}, important=[True, False, False]
    ... )
    >>> round(agreement["Party"], 1)  # (2*2 + 1) / (4 + 2)
    83.3
    """
    rows = one_hot_rows("model_positions", model_positions, POSITIONS)
    return _as_floats(_agreement(rows, party_positions, important))


def wahl_o_mat_expected_agreement(model_probabilities, party_positions, important=None) -> dict[str, float]:
    """Each party's expected agreement under the model's distribution over the positions.

    The maximum depends only on the skipped theses, so the agreement is linear in the
    model's answers: per thesis the points are ``Σ_a p_a points(a, party)``.

    Parameters
    ----------
    model_probabilities : sequence of rows or None
        Per thesis, 3 probabilities (agree, neutral, disagree) summing to 1 within 1e-6,
        or ``None`` (skipped).
    party_positions, important
        As in :func:`wahl_o_mat_agreement`.

    Returns
    -------
    dict of party -> float

    Examples
    --------
    >>> agreement = wahl_o_mat_expected_agreement([[0.5, 0.0, 0.5]], {"Party": ["agree"]})
    >>> agreement["Party"]  # half 2 points, half 0 points, of 2
    50.0
    """
    rows = probability_rows("model_probabilities", model_probabilities, POSITIONS)
    return _as_floats(_agreement(rows, party_positions, important))


def closest_party(agreement: Mapping[str, float]) -> str:
    """The party with the highest agreement; on a tie, the first in ``agreement``'s order.

    Examples
    --------
    >>> closest_party({"A": 50.0, "B": 75.0, "C": 75.0})
    'B'
    """
    if not isinstance(agreement, Mapping) or not agreement:
        raise ValueError("agreement must be a non-empty mapping of party -> percentage")
    for party, value in agreement.items():
        if not isinstance(value, (int, float, np.number)) or math.isnan(value):
            raise ValueError(f"agreement[{party!r}] must be a number; got {value!r}")
    return max(agreement, key=agreement.__getitem__)  # max keeps the first of equal values


def wahl_o_mat_weighted_agreement(
    statement_weights, party_positions, *, model_positions=None, model_probabilities=None, important=None
) -> dict[str, np.ndarray]:
    """Each party's agreement with every thesis counted ``statement_weights`` times.

    Points and maximum of :func:`wahl_o_mat_agreement` become weighted sums (on top of the
    double weight of important theses): with bootstrap counts, the agreement over a
    resampled set of theses; with weights 1, the scorers' result.

    Parameters
    ----------
    statement_weights : array-like of shape (n_theses,) or (n_draws, n_theses)
        Non-negative weight of each thesis.
    party_positions, important
        As in :func:`wahl_o_mat_agreement`.
    model_positions, model_probabilities
        Exactly one of them, as in :func:`wahl_o_mat_agreement` or :func:`wahl_o_mat_expected_agreement`.

    Returns
    -------
    dict of party -> array of shape ``statement_weights.shape[:-1]``
        NaN where no answered thesis has weight.

    Examples
    --------
    >>> agreement = wahl_o_mat_weighted_agreement(
    ...     [[1.0, 1.0], [2.0, 0.0]], {"Party": ["agree", "disagree"]}, model_positions=["agree", "neutral"]
    ... )
    >>> agreement["Party"].tolist()  # (2 + 1) / 4; (2 * 2) / (2 * 2)
    [75.0, 100.0]
    """
    rows = option_rows(model_positions, model_probabilities, POSITIONS, POSITIONS, None)
    weights = as_statement_weights(statement_weights, len(rows))
    return _agreement(rows, party_positions, important, weights)


def _agreement(rows: np.ndarray, party_positions, important, statement_weights=None) -> dict[str, np.ndarray]:
    """Agreement per party, each thesis weighted by ``statement_weights`` (by default 1)."""
    n_theses = len(rows)
    weights = _weights(important, n_theses) * (1.0 if statement_weights is None else statement_weights)
    answered = rows.sum(axis=1) > 0
    if not answered.any():
        raise ValueError("every thesis is skipped (all model positions are None); agreement is undefined")
    maximum = 2 * (weights @ answered.astype(float))
    if not isinstance(party_positions, Mapping) or not party_positions:
        raise ValueError("party_positions must be a non-empty mapping of party -> positions")
    agreement = {}
    for party, positions in party_positions.items():
        name = f"party_positions[{party!r}]"
        positions = as_statement_sequence(name, positions)
        if len(positions) != n_theses:
            raise ValueError(f"{name} has {len(positions)} positions but the model has {n_theses}")
        party_index = [
            option_index(f"{name}[{thesis}]", position, POSITIONS) for thesis, position in enumerate(positions)
        ]
        points = (rows * _POINTS[party_index]).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):  # NaN where no answered thesis has weight
            value = 100 * (weights @ points) / maximum
        agreement[party] = value
    return agreement


def _as_floats(agreement: dict[str, np.ndarray]) -> dict[str, float]:
    return {party: float(value) for party, value in agreement.items()}


def _weights(important, n_theses: int) -> np.ndarray:
    if important is None:
        return np.ones(n_theses)
    important = as_statement_sequence("important", important)
    if len(important) != n_theses:
        raise ValueError(f"important has {len(important)} entries but the model has {n_theses} theses")
    for thesis, flag in enumerate(important):
        if not isinstance(flag, (bool, np.bool_)):  # a ValueError, as for every bad input to the scorers
            raise ValueError(f"important[{thesis}] must be True or False; got {flag!r}")  # noqa: TRY004
    return np.where(np.asarray(important, dtype=bool), 2.0, 1.0)
