"""Political Compass Test: economic and social coordinates (unofficial reverse-engineered weights)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

from ._political_common import as_option_rows, js_math_round, one_hot_rows, probability_rows, scoring_key

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


def pct_row_coordinates(rows) -> dict[str, np.ndarray]:
    """The compass coordinates of stacks of option rows, vectorised over the leading axes.

    The same sums as :func:`pct_coordinates` and :func:`pct_expected_coordinates`: one-hot rows
    score answers, probability rows the expected position, zero rows unanswered propositions;
    e.g. the answer sets drawn for the intervals.

    Parameters
    ----------
    rows : array-like of shape (..., 62, 4)
        Per proposition in official order, its row over Strongly disagree, Disagree, Agree,
        Strongly agree.

    Returns
    -------
    dict
        ``"econ"`` and ``"soc"``: arrays of shape ``rows.shape[:-2]``.

    Examples
    --------
    >>> rows = np.zeros((2, 62, 4))
    >>> rows[0, 0, 3] = 1.0  # #1 Strongly agree (econ weight -2); nothing answered in the second set
    >>> pct_row_coordinates(rows)["econ"].round(6).tolist()
    [0.13, 0.38]
    """
    key = scoring_key("pct")
    return _coordinates(as_option_rows(rows, len(key["econ_weights"]), len(key["answer_scale"])))


def _position(rows: np.ndarray) -> CompassPosition:
    coordinates = _coordinates(rows)
    return CompassPosition(float(coordinates["econ"]), float(coordinates["soc"]))


def _coordinates(rows: np.ndarray) -> dict[str, np.ndarray]:
    key = scoring_key("pct")
    return {
        axis: np.sum(rows * np.asarray(key[f"{axis}_weights"]), axis=(-2, -1)) / key[f"{axis}_divisor"]
        + key[f"{axis}_offset"]
        for axis in ("econ", "soc")
    }
