"""SapplyValues: three axes from -10 to 10 (Left/Right, Lib/Auth, Con/Prog)."""

from __future__ import annotations

import numpy as np

from ._political_common import (
    as_statement_weights,
    js_math_round,
    js_to_fixed,
    one_hot_rows,
    option_rows,
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


def sapplyvalues_weighted_scores(statement_weights, *, answers=None, probabilities=None) -> dict[str, np.ndarray]:
    """The three axis scores with each question counted ``statement_weights`` times.

    Both sums of :func:`sapplyvalues_scores` (``Σ answer * sign`` and ``Σ |sign|`` over the
    answered questions of an axis) become weighted sums: with bootstrap counts, the scores of
    a resampled quiz; with weights 1, the scorers' result.

    Parameters
    ----------
    statement_weights : array-like of shape (46,) or (n_draws, 46)
        Non-negative weight of each question (in id order).
    answers, probabilities
        Exactly one of them, as in :func:`sapplyvalues_scores` or :func:`sapplyvalues_expected_scores`.

    Returns
    -------
    dict
        ``"right"``, ``"auth"``, ``"prog"``: arrays of shape ``statement_weights.shape[:-1]``
        (0 where no answered question of the axis has weight).

    Examples
    --------
    >>> answers = [1.0, 0.0] + [None] * 44  # two questions on Left/Right, both with sign +1
    >>> sapplyvalues_weighted_scores([[1.0] * 46, [3.0, 1.0] + [1.0] * 44], answers=answers)["right"].tolist()
    [5.0, 7.5]
    """
    key = scoring_key("sapplyvalues")
    n_statements = len(key["questions"])
    rows = option_rows(answers, probabilities, key["answer_values"], key["answer_scale"], n_statements)
    return _axis_scores(rows, as_statement_weights(statement_weights, n_statements))


def _axis_scores(rows: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
    key = scoring_key("sapplyvalues")
    answered = rows.sum(axis=1) > 0
    values = rows @ np.asarray(key["answer_values"])
    axes = np.array([question["axis"] for question in key["questions"]])
    signs = np.array([question["sign"] for question in key["questions"]], dtype=float)
    scores = {}
    for axis in key["axes"]:
        counted = answered & (axes == axis)
        maximum = weights @ np.where(counted, np.abs(signs), 0.0)
        total = weights @ np.where(counted, values * signs, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[axis] = np.where(maximum > 0, total * 10 / maximum, 0.0)
    return scores


def _result(rows: np.ndarray) -> dict:
    scores = {axis: float(value) for axis, value in _axis_scores(rows, np.ones(len(rows))).items()}
    displayed = {axis: js_to_fixed(js_math_round(score * 100) / 100, 2) for axis, score in scores.items()}
    return {**scores, "displayed": displayed}
