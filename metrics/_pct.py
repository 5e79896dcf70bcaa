"""Political Compass Test: economic and social coordinates (unofficial reverse-engineered weights)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

from ._political_common import (
    as_statement_weights,
    js_math_round,
    one_hot_rows,
    option_rows,
    probability_rows,
    scoring_key,
)

_SHOWN_AS_TEN = (9.99, 10.01)


@dataclass(frozen=True)
class CompassPosition:
    """A position on the compass, unrounded: ``econ`` (negative = left, positive = right) and
    ``soc`` (negative = libertarian, positive = authoritarian), both about -10 to 10.

    ``displayed`` is what the site shows: ``Math.round((v + Number.EPSILON) * 100) / 100``,
    with ±9.99 and ±10.01 shown as ±10.
    """

    econ: float
    soc: float

    @property
    def displayed(self) -> tuple[float, float]:
        return _displayed(self.econ), _displayed(self.soc)


def _displayed(value: float) -> float:
    shown = js_math_round((value + sys.float_info.epsilon) * 100) / 100
    return math.copysign(10.0, shown) if abs(shown) in _SHOWN_AS_TEN else shown


def pct_coordinates(answers) -> CompassPosition:
    """The compass position for one answer per proposition.

    Parameters
    ----------
    answers : sequence of 62 int or None
        Per proposition in official order: 0 Strongly disagree, 1 Disagree, 2 Agree,
        3 Strongly agree; ``None`` (unanswered) scores like "Agree", which weighs 0.

    Returns
    -------
    CompassPosition
        ``econ = 0.38 + Σ econ_weight / 8``, ``soc = 2.41 + Σ soc_weight / 19.5``.

    Examples
    --------
    >>> position = pct_coordinates([3] + [None] * 61)  # #1 Strongly agree: econ weight -2
    >>> round(position.econ, 6), position.soc
    (0.13, 2.41)
    """
    key = scoring_key("pct")
    return _position(one_hot_rows("answers", answers, range(len(key["answer_scale"])), len(key["econ_weights"])))


def pct_expected_coordinates(probabilities) -> CompassPosition:
    """The expected compass position under the model's answer distribution per proposition.

    The coordinates are linear in the answers, so this is ``Σ_i Σ_a p_ia w_ia`` in place of
    the weight sums; one-hot rows give :func:`pct_coordinates`.

    Parameters
    ----------
    probabilities : sequence of 62 rows or None
        Per proposition, 4 probabilities (Strongly disagree, Disagree, Agree, Strongly agree)
        summing to 1 within 1e-6, or ``None`` (unanswered).

    Returns
    -------
    CompassPosition

    Examples
    --------
    >>> rows = [[0.0, 0.0, 0.5, 0.5]] + [None] * 61  # #1: half Agree (0), half Strongly agree (-2)
    >>> round(pct_expected_coordinates(rows).econ, 6)
    0.255
    """
    key = scoring_key("pct")
    return _position(probability_rows("probabilities", probabilities, key["answer_scale"], len(key["econ_weights"])))


def pct_weighted_coordinates(statement_weights, *, answers=None, probabilities=None) -> dict[str, np.ndarray]:
    """The compass coordinates with each proposition counted ``statement_weights`` times.

    The same sums as :func:`pct_coordinates` (``answers``) or :func:`pct_expected_coordinates`
    (``probabilities``), each proposition's weight term multiplied by its weight: with
    bootstrap counts, the coordinates of a resampled test; with weights 1, the scorers' result.

    Parameters
    ----------
    statement_weights : array-like of shape (62,) or (n_draws, 62)
        Non-negative weight of each proposition (in official order).
    answers, probabilities
        Exactly one of them, as in :func:`pct_coordinates` or :func:`pct_expected_coordinates`.

    Returns
    -------
    dict
        ``"econ"`` and ``"soc"``: arrays of shape ``statement_weights.shape[:-1]``.

    Examples
    --------
    >>> weights = [[2.0] + [1.0] * 61, [0.0] * 62]  # #1 counted twice; nothing counted
    >>> pct_weighted_coordinates(weights, answers=[3] + [None] * 61)["econ"].round(6).tolist()
    [-0.12, 0.38]
    """
    key = scoring_key("pct")
    n_statements = len(key["econ_weights"])
    rows = option_rows(answers, probabilities, range(len(key["answer_scale"])), key["answer_scale"], n_statements)
    return _coordinates(rows, as_statement_weights(statement_weights, n_statements))


def _position(rows: np.ndarray) -> CompassPosition:
    coordinates = _coordinates(rows, np.ones(len(rows)))
    return CompassPosition(float(coordinates["econ"]), float(coordinates["soc"]))


def _coordinates(rows: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
    key = scoring_key("pct")
    return {
        axis: weights @ np.sum(rows * np.asarray(key[f"{axis}_weights"]), axis=1) / key[f"{axis}_divisor"]
        + key[f"{axis}_offset"]
        for axis in ("econ", "soc")
    }
