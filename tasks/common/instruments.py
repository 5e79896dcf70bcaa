"""How an instrument family is scored, as its declaration states it: an :class:`AxisInstrument`
(PCT, 8values, SapplyValues: statements scored onto axes by the instrument's key) or a
:class:`PartyInstrument` (Wahl-O-Mat: theses scored as agreement with each party), the picture
the report draws of an axis result (:class:`Compass` or :class:`SplitAxes`), and the keys of
lm-eval's table (:meth:`AxisInstrument.summary_keys`, :meth:`PartyInstrument.summary_keys`).

Each statement's payload names the family (``instrument``), the statement ``number`` and the
axis or the party; :mod:`.instrument_scoring` builds the payloads and aggregates them with
these scorers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from opinionbench.summary_keys import LM_EVAL_MEAN, SummaryKey

# Beside the instrument's scores, every instrument task may report these shares (a mean over statements).
RATES = (
    SummaryKey("option_mass", LM_EVAL_MEAN, True),
    SummaryKey("valid_answer_rate", LM_EVAL_MEAN, True),
    SummaryKey("refusal_rate", LM_EVAL_MEAN, False),
)
EXPECTED, UNIFORM = "{}_expected", "uniform_{}"  # a score's key in expectation / for a uniform answer
CLOSEST_PARTY = "closest_party_agreement"  # a party-agreement instrument's key: the best party's agreement


@dataclass(frozen=True)
class Compass:
    """A two-axis picture, each axis from -10 to 10: the scores ``x`` and ``y``, their axis titles
    and (low, high) poles, and the named quadrants ``(name, lower-left corner, colour)``: the
    Political Compass."""

    x: str
    y: str
    x_label: str
    y_label: str
    x_poles: tuple[str, str]
    y_poles: tuple[str, str]
    quadrants: tuple[tuple[str, tuple[int, int], str], ...]


@dataclass(frozen=True)
class SplitAxes:
    """One split bar per axis: each axis's (left pole, right pole) and the left pole's share in
    percent of a score."""

    poles: Mapping[str, tuple[str, str]]
    left_share: Callable[[float], float]


@dataclass(frozen=True)
class AxisInstrument:
    """How an instrument with axes is scored.

    ``answer_value(doc, option)`` turns an option index into the scorer's answer (an answer
    index for PCT, a multiplier for 8values and SapplyValues); ``score`` and
    ``expected_score`` map the full answer list (``None`` = unanswered) or the per-statement
    probability rows to ``{axis: value, ...}`` (8values adds labels and the closest ideology;
    ``displayed`` adds what the instrument's site shows when the scorer does not);
    ``row_score(rows)`` gives the axes of stacks of option rows of shape (..., n_statements,
    n_options), one-hot for answers (the answer sets drawn for the intervals). ``picture`` is how
    the report draws a result.
    """

    axes: tuple[str, ...]
    n_statements: int
    answer_value: Callable[[dict, int], object]
    score: Callable[[list], Mapping]
    expected_score: Callable[[list], Mapping]
    row_score: Callable[[np.ndarray], Mapping[str, np.ndarray]]
    picture: Compass | SplitAxes
    displayed: Callable[[Mapping], Mapping[str, object]] | None = None

    def keyed(self, doc: dict) -> list[tuple[str, dict]]:
        """``(score key, payload fields)`` of one statement: one per axis."""
        return [(axis, {"axis": axis}) for axis in self.axes]

    def answer(self, doc: dict, option: int) -> object:
        """The scorer's answer for the chosen option."""
        return self.answer_value(doc, option)

    def summary_keys(self) -> list[SummaryKey]:
        """lm-eval's table: each axis at the answers, in expectation and for a uniform answer, then the rates."""
        keys = [
            SummaryKey(pattern.format(axis), "axis_score", None)
            for axis in self.axes
            for pattern in ("{}", EXPECTED, UNIFORM)
        ]
        return keys + list(RATES)

    def result(self, answers: list, *, expected: bool) -> dict:
        """The whole result (every axis and what the instrument displays) of the answers of every
        statement (``None``: unanswered) or, ``expected``, of their probability rows."""
        result = dict(self.expected_score(answers) if expected else self.score(answers))
        if self.displayed is not None:
            result["displayed"] = dict(self.displayed(result))
        return result


@dataclass(frozen=True)
class PartyInstrument:
    """How a party-agreement instrument is scored: the model's position on each thesis (one of
    ``positions``, the options in order) against each party's.

    ``agreement(model_positions, party_positions)`` and ``expected_agreement(model_rows,
    party_positions)`` give ``{party: percent}``; ``row_agreement(rows, party_positions)`` the same
    for stacks of option rows of shape (..., n_theses, 3), one-hot for positions (the answer sets
    drawn for the intervals); ``closest_party`` picks the closest of an agreement mapping.
    ``position_values`` place the positions on [0, 1] (the robustness report's human spread).
    """

    positions: tuple[str, ...]
    agreement: Callable[..., Mapping[str, float]]
    expected_agreement: Callable[..., Mapping[str, float]]
    row_agreement: Callable[..., Mapping[str, np.ndarray]]
    closest_party: Callable[[Mapping[str, float]], str]
    position_values: Mapping[str, float] = field(default_factory=dict)

    def keyed(self, doc: dict) -> list[tuple[str, dict]]:
        """``(score key, payload fields)`` of one thesis: one key, whose payload holds every party's
        position (per-party agreement is a breakdown for the report, not a row of the table)."""
        return [(CLOSEST_PARTY, {"parties": list(doc["parties"]), "party_positions": list(doc["party_positions"])})]

    def answer(self, doc: dict, option: int) -> str:
        """The model's position for the chosen option."""
        return self.positions[option]

    def summary_keys(self) -> list[SummaryKey]:
        """lm-eval's table: the agreement with the closest party at the answers, in expectation and
        for a uniform answer, then the rates."""
        scored = [
            SummaryKey(pattern.format(CLOSEST_PARTY), CLOSEST_PARTY, None) for pattern in ("{}", EXPECTED, UNIFORM)
        ]
        return scored + list(RATES)
