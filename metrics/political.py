"""Scorers of the political instruments: the Political Compass Test, 8values, SapplyValues
and the Wahl-O-Mat, computed as the instruments' own sites compute them.

Each instrument has a scorer for one answer per statement and an ``expected`` scorer for the
model's probabilities over the options; the scores are linear in the answers, so the expected
scorer returns the expected score, and one-hot probabilities give the answer scorer's result.
A ``row`` form scores stacks of option rows (one-hot for answers, probabilities for expected
scores, zeros for unanswered statements) vectorised over the leading axes: the answer sets
drawn for the intervals.
Answers follow each instrument's option order (the ``options`` column of its dataset); the
numbers come from the package data ``scoring_keys/*.json``, taken from the sources.
"""

from ._eightvalues import eightvalues_expected_scores, eightvalues_row_scores, eightvalues_scores
from ._pct import CompassPosition, pct_coordinates, pct_expected_coordinates, pct_row_coordinates
from ._sapplyvalues import sapplyvalues_expected_scores, sapplyvalues_row_scores, sapplyvalues_scores
from ._wahl_o_mat import (
    closest_party,
    wahl_o_mat_agreement,
    wahl_o_mat_expected_agreement,
    wahl_o_mat_row_agreement,
)

__all__ = [
    "CompassPosition",
    "closest_party",
    "eightvalues_expected_scores",
    "eightvalues_row_scores",
    "eightvalues_scores",
    "pct_coordinates",
    "pct_expected_coordinates",
    "pct_row_coordinates",
    "sapplyvalues_expected_scores",
    "sapplyvalues_row_scores",
    "sapplyvalues_scores",
    "wahl_o_mat_agreement",
    "wahl_o_mat_expected_agreement",
    "wahl_o_mat_row_agreement",
]
