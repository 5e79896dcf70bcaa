"""8values: four axes in percent of their "high" pole, axis labels and the closest ideology."""

from __future__ import annotations

import operator

import numpy as np

from ._political_common import as_option_rows, js_to_fixed, one_hot_rows, probability_rows, scoring_key

_COMPARISONS = {">": operator.gt, ">=": operator.ge}


def eightvalues_scores(answers) -> dict:
    """The 8values result for one answer per question.

    ``score = 100 * (max + raw) / (2 * max)`` per axis, with ``raw = Σ multiplier * effect``
    and ``max = Σ |effect|`` over all 70 questions. The score is the percentage of the high
    pole: Equality (econ), World (dipl), Liberty (govt), Progress (scty).

    As on the site, the labels and the ideology come from the *displayed* scores: quiz.html
    puts ``score.toFixed(1)`` into the results URL, and results.html compares those numbers
    (e.g. a scty score of 60.017, shown as "60.0", is labelled "Neutral", not "Progressive").
    Axis label: >90, >75, >60, >=40, >=25, >=10, >=0 pick label 0 to 6. Closest ideology: the
    smallest ``|Δecon|^2 + |Δgovt|^2 + |Δdipl|^1.73856063 + |Δscty|^1.73856063``; on a tie the
    earlier ideology in the site's list wins.

    Parameters
    ----------
    answers : sequence of 70 multipliers or None
        Per question in quiz order: 1 (Strongly Agree), 0.5 (Agree), 0 (Neutral/Unsure),
        -0.5 (Disagree), -1 (Strongly Disagree); ``None`` (unanswered) adds nothing.

    Returns
    -------
    dict
        ``"econ"``, ``"dipl"``, ``"govt"``, ``"scty"``: unrounded floats in [0, 100];
        ``"displayed"``: {axis: ``toFixed(1)`` string}; ``"labels"``: {axis: label};
        ``"ideology"``: the closest ideology's name.

    Examples
    --------
    >>> result = eightvalues_scores([-0.5] * 70)  # Disagree to everything
    >>> result["govt"], result["displayed"]["govt"], result["labels"]["govt"], result["ideology"]
    (56.25, '56.3', 'Moderate', 'Centrist')
    """
    key = scoring_key("eightvalues")
    return _result(one_hot_rows("answers", answers, key["multipliers"], len(key["effects"])))


def eightvalues_expected_scores(probabilities) -> dict:
    """The 8values result for the expected answers under the model's distribution per question.

    The axis scores are linear in the answers, so they are the expected scores; labels and
    ideology are read from their ``toFixed(1)`` values, as in :func:`eightvalues_scores`.

    Parameters
    ----------
    probabilities : sequence of 70 rows or None
        Per question, 5 probabilities in site order (Strongly Agree, Agree, Neutral/Unsure,
        Disagree, Strongly Disagree) summing to 1 within 1e-6, or ``None`` (unanswered).

    Returns
    -------
    dict
        As :func:`eightvalues_scores`.

    Examples
    --------
    >>> result = eightvalues_expected_scores([[0.5, 0, 0, 0, 0.5]] * 70)  # as likely SA as SD
    >>> result["displayed"], result["ideology"]
    ({'econ': '50.0', 'dipl': '50.0', 'govt': '50.0', 'scty': '50.0'}, 'Centrist')
    """
    key = scoring_key("eightvalues")
    return _result(probability_rows("probabilities", probabilities, key["answer_scale"], len(key["effects"])))


def eightvalues_row_scores(rows) -> dict[str, np.ndarray]:
    """The four axis scores of stacks of option rows, vectorised over the leading axes.

    The same score as :func:`eightvalues_scores` and :func:`eightvalues_expected_scores`:
    one-hot rows score answers, probability rows the expected scores, zero rows unanswered
    questions; e.g. the answer sets drawn for the intervals.

    Parameters
    ----------
    rows : array-like of shape (..., 70, 5)
        Per question in quiz order, its row over the options in site order (Strongly Agree ...
        Strongly Disagree).

    Returns
    -------
    dict
        ``"econ"``, ``"dipl"``, ``"govt"``, ``"scty"``: arrays of shape ``rows.shape[:-2]``.

    Examples
    --------
    >>> rows = np.zeros((2, 70, 5))
    >>> rows[0, :, 0] = 1.0  # every question Strongly Agree; nothing answered in the second set
    >>> scty = eightvalues_row_scores(rows)["scty"]
    >>> bool(scty[0] == eightvalues_scores([1.0] * 70)["scty"]), float(scty[1])
    (True, 50.0)
    """
    key = scoring_key("eightvalues")
    return _axis_scores(as_option_rows(rows, len(key["effects"]), len(key["multipliers"])))


def _axis_scores(rows: np.ndarray) -> dict[str, np.ndarray]:
    key = scoring_key("eightvalues")
    effects = np.asarray(key["effects"], dtype=float)
    raw = (rows @ np.asarray(key["multipliers"])) @ effects
    maximum = np.abs(effects).sum(axis=0)
    scores = 100 * (maximum + raw) / (2 * maximum)
    return {axis: scores[..., index] for index, axis in enumerate(key["axes"])}


def _result(rows: np.ndarray) -> dict:
    key = scoring_key("eightvalues")
    scores = {axis: float(value) for axis, value in _axis_scores(rows).items()}
    displayed = {axis: js_to_fixed(score, 1) for axis, score in scores.items()}
    shown = {axis: float(text) for axis, text in displayed.items()}  # what results.html reads from the URL
    labels = {axis: _label(shown[axis], key["labels"][axis], key["label_thresholds"]) for axis in key["axes"]}
    return {**scores, "displayed": displayed, "labels": labels, "ideology": _closest_ideology(shown, key)}


def _label(score: float, labels: list[str], thresholds: list) -> str:
    return next(label for label, (op, bound) in zip(labels, thresholds) if _COMPARISONS[op](score, bound))


def _closest_ideology(shown: dict[str, float], key: dict) -> str:
    def distance(ideology: dict) -> float:
        total = 0.0  # summed in the site's order: econ, govt, dipl, scty
        for axis, exponent in key["ideology_exponents"]:
            total += abs(ideology[axis] - shown[axis]) ** exponent
        return total

    return min(key["ideologies"], key=distance)["name"]  # min keeps the first of equal distances
