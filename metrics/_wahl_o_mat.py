"""Wahl-O-Mat: agreement with each party by the bpb's points rule."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ._political_common import as_option_rows, as_statement_sequence, one_hot_rows, option_index, probability_rows

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


def wahl_o_mat_row_agreement(rows, party_positions, important=None) -> dict[str, np.ndarray]:
    """Each party's agreement with stacks of option rows, vectorised over the leading axes.

    The same rule as :func:`wahl_o_mat_agreement` and :func:`wahl_o_mat_expected_agreement`:
    one-hot rows score positions, probability rows the expected agreement, zero rows skipped
    theses; e.g. the answer sets drawn for the intervals.

    Parameters
    ----------
    rows : array-like of shape (..., n_theses, 3)
        Per thesis, its row over agree, neutral, disagree.
    party_positions, important
        As in :func:`wahl_o_mat_agreement`.

    Returns
    -------
    dict of party -> array of shape ``rows.shape[:-2]``
        NaN for a set of rows with every thesis skipped.

    Examples
    --------
    >>> rows = [[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]]
    >>> wahl_o_mat_row_agreement(rows, {"Party": ["agree", "disagree"]})["Party"].tolist()  # (2 + 1) / 4; 4 / 4
    [75.0, 100.0]
    """
    return _agreement(as_option_rows(rows, None, len(POSITIONS)), party_positions, important)


def _agreement(rows: np.ndarray, party_positions, important) -> dict[str, np.ndarray]:
    """Agreement per party of (stacks of) option rows."""
    n_theses = rows.shape[-2]
    weights = _weights(important, n_theses)
    answered = rows.sum(axis=-1) > 0
    if not answered.any():
        raise ValueError("every thesis is skipped (all model positions are None); agreement is undefined")
    maximum = 2 * (answered @ weights)
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
        points = (rows * _POINTS[party_index]).sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):  # NaN for a set with every thesis skipped
            agreement[party] = 100 * (points @ weights) / maximum
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
