"""SapplyValues: three axes from -10 to 10 (Left/Right, Lib/Auth, Con/Prog)."""

from __future__ import annotations

import numpy as np

from ._political_common import (
    as_option_rows,
    js_math_round,
    js_to_fixed,
    one_hot_rows,
    probability_rows,
    scoring_key,
)


def sapplyvalues_scores(answers) -> dict:
    """The SapplyValues result for one answer per question.

    Per axis, over the answered questions on it: ``10 * Σ answer * sign / Σ |sign|`` (0 when
    none is answered). Each question moves one axis by +1 or -1. Neutral answers count in the
    denominator and pull the score toward 0; skipped questions do not count.

    Parameters
    ----------
    answers : sequence of 46 values or None
        Per question in id order: 1 (Strongly Agree), 0.5 (Agree), 0 (Neutral/Unsure),
        -0.5 (Disagree), -1 (Strongly Disagree); ``None`` skips the question.

    Returns
    -------
    dict
        ``"right"``, ``"auth"``, ``"prog"``: unrounded floats in [-10, 10]; ``"displayed"``:
        {axis: the site's ``(Math.round(score * 100) / 100).toFixed(2)``}, where ``Math.round``
        rounds halves toward +infinity (0.625 -> "0.63", -0.625 -> "-0.62"). The site writes
        ``0`` for an axis with nothing answered; here it is "0.00".

    Examples
    --------
    >>> result = sapplyvalues_scores([1] * 46)  # Strongly Agree to everything
    >>> result["displayed"]
    {'right': '0.67', 'auth': '0.67', 'prog': '0.00'}
    """
    key = scoring_key("sapplyvalues")
    return _result(one_hot_rows("answers", answers, key["answer_values"], len(key["questions"])))


def sapplyvalues_expected_scores(probabilities) -> dict:
    """The SapplyValues result for the expected answers under the model's distribution per question.

    The denominator depends only on which questions are answered, so each axis is linear in
    the answers and this is the expected score.

    Parameters
    ----------
    probabilities : sequence of 46 rows or None
        Per question, 5 probabilities in site order (Strongly Agree, Agree, Neutral/Unsure,
        Disagree, Strongly Disagree) summing to 1 within 1e-6, or ``None`` (skipped).

    Returns
    -------
    dict
        As :func:`sapplyvalues_scores`.

    Examples
    --------
    >>> rows = [[0.5, 0, 0, 0, 0.5]] * 46  # as likely Strongly Agree as Strongly Disagree
    >>> sapplyvalues_expected_scores(rows)["displayed"]
    {'right': '0.00', 'auth': '0.00', 'prog': '0.00'}
    """
    key = scoring_key("sapplyvalues")
    return _result(probability_rows("probabilities", probabilities, key["answer_scale"], len(key["questions"])))


def sapplyvalues_row_scores(rows) -> dict[str, np.ndarray]:
    """The three axis scores of stacks of option rows, vectorised over the leading axes.

    The same score as :func:`sapplyvalues_scores` and :func:`sapplyvalues_expected_scores`:
    one-hot rows score answers, probability rows the expected scores, zero rows skipped
    questions; e.g. the answer sets drawn for the intervals.

    Parameters
    ----------
    rows : array-like of shape (..., 46, 5)
        Per question in id order, its row over the options in site order (Strongly Agree ...
        Strongly Disagree).

    Returns
    -------
    dict
        ``"right"``, ``"auth"``, ``"prog"``: arrays of shape ``rows.shape[:-2]`` (0 where no
        question of the axis is answered).

    Examples
    --------
    >>> rows = np.zeros((2, 46, 5))
    >>> rows[0, :, 2] = 1.0  # every question Neutral; nothing answered in the second set
    >>> sapplyvalues_row_scores(rows)["right"].tolist()
    [0.0, 0.0]
    """
    key = scoring_key("sapplyvalues")
    return _axis_scores(as_option_rows(rows, len(key["questions"]), len(key["answer_values"])))


def _axis_scores(rows: np.ndarray) -> dict[str, np.ndarray]:
    key = scoring_key("sapplyvalues")
    answered = rows.sum(axis=-1) > 0
    values = rows @ np.asarray(key["answer_values"])
    axes = np.array([question["axis"] for question in key["questions"]])
    signs = np.array([question["sign"] for question in key["questions"]], dtype=float)
    scores = {}
    for axis in key["axes"]:
        counted = answered & (axes == axis)
        maximum = np.where(counted, np.abs(signs), 0.0).sum(axis=-1)
        total = np.where(counted, values * signs, 0.0).sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[axis] = np.where(maximum > 0, total * 10 / maximum, 0.0)
    return scores


def _result(rows: np.ndarray) -> dict:
    scores = {axis: float(value) for axis, value in _axis_scores(rows).items()}
    displayed = {axis: js_to_fixed(js_math_round(score * 100) / 100, 2) for axis, score in scores.items()}
    return {**scores, "displayed": displayed}
