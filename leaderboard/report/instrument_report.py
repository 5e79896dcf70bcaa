"""Results of a political-instrument task (PCT, 8values, SapplyValues, Wahl-O-Mat), from its
rescored samples.

The task's payloads hold, per statement, the model's answer (the most probable option, or the
parsed generation; ``None`` when unanswered) and, for log-probability tasks, its probabilities
over the options (the ``*_expected`` keys). The answers of all statements are put back
together and given to the scorers of :mod:`opinionbench.metrics`, which also give what the
sites display: PCT's rounded coordinates, 8values' ``toFixed(1)`` scores with axis labels and
closest ideology, SapplyValues' ``toFixed(2)`` scores, the Wahl-O-Mat's closest party.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from opinionbench.families import Family, Kind
from opinionbench.leaderboard.robustness.statistics import Spread
from opinionbench.tasks.common.instrument_scoring import axis_result, party_agreements, party_estimates

from .rescoring import RescoredTask
from .tables import interval_columns

ANSWER, EXPECTED = "answer", "expected"  # scored at the answers / in expectation over the options
UNIFORM = "uniform"  # the baseline: a uniform answer over the options, in expectation
_FIELDS = {ANSWER: "answer", EXPECTED: "probabilities"}  # the payload field each scoring reads
_KEYS = {ANSWER: "{}", EXPECTED: "{}_expected", UNIFORM: "uniform_{}"}  # a metric's key per scoring


def scoring_key(scoring: str, metric: str) -> str:
    """The summary key of ``metric`` (an axis) under ``scoring``: ``econ``, ``econ_expected``, ``uniform_econ``."""
    return _KEYS[scoring].format(metric)


@dataclass(frozen=True)
class InstrumentReport:
    """One political-instrument task of one run: its rescored samples and the instrument's result
    per scoring (:data:`ANSWER`, and :data:`EXPECTED` for log-probability tasks).

    A result is the scorer's output: ``{axis: score, "displayed": {axis: shown}, ...}`` (8values
    adds ``"labels"`` and ``"ideology"``), or for the Wahl-O-Mat ``{"agreement": {party: percent},
    "closest_party": name}`` (NaN and ``None`` when no thesis was answered). ``baseline`` is the
    result of a uniform answer (:data:`UNIFORM`), if the task reports it. The 95 % intervals are
    the rescored task's ``estimates`` (answers drawn from the option probabilities or from a
    sampled run's repeats; none for greedy generations). ``prompt_spread`` is each summary
    key's spread over the canonical prompt and the robustness variants the report's runs hold.
    """

    scores: RescoredTask
    n_answered: int
    results: dict[str, dict]
    baseline: dict | None = None
    prompt_spread: dict[str, Spread] = dataclasses.field(
        default_factory=dict
    )  # per summary key, over the robustness prompts

    @property
    def family(self) -> Family:
        return self.scores.family

    @property
    def parties(self) -> bool:
        """Whether the instrument scores agreement with parties (else positions on axes)."""
        return self.family.kind is Kind.PARTY_AGREEMENT

    def scorings(self) -> dict[str, dict]:
        """Every result by scoring, the uniform baseline last."""
        return self.results | ({UNIFORM: self.baseline} if self.baseline else {})

    @property
    def generative(self) -> bool:
        """Whether the task parsed generations (it reports valid-answer and refusal rates)."""
        return "valid_answer_rate" in self.scores.summary

    @property
    def sampled(self) -> bool:
        """Whether the generations are several sampled repeats per statement (their shares are kept)."""
        answers = next(values for values in self.scores.payloads.values() if "answer" in _first(values))
        return self.generative and "answer_probabilities" in _first(answers)

    def rows(self) -> list[dict]:
        """The table: per scoring, every axis (score, displayed value, label) for the axis
        instruments; per party, agreement and rank (1 = closest party) for the Wahl-O-Mat."""
        if self.parties:
            return _party_rows(self.scorings())
        rows = []
        for scoring, result in self.scorings().items():
            row = {"scoring": scoring, "statements": self.n_answered if scoring == ANSWER else self.scores.n_documents}
            for axis in self.family.instrument.axes:
                row[axis] = result[axis]
                row |= interval_columns(self.scores, scoring_key(scoring, axis), axis)
                row[f"{axis}_displayed"] = _shown(result["displayed"][axis])
                if "labels" in result:
                    row[f"{axis}_label"] = result["labels"][axis]
            if "ideology" in result:
                row["ideology"] = result["ideology"]
            rows.append(row)
        return rows

    def headline(self) -> str:
        """One line: the displayed result per scoring and how many statements were answered."""
        parts = [
            ("" if scoring == ANSWER else f"{scoring} ") + _result_text(self.parties, result)
            for scoring, result in self.scorings().items()
        ]
        n = self.scores.n_documents
        if self.generative:
            rates = self.scores.summary
            coverage = (
                f"{self.n_answered} of {n} statements answered: valid-answer rate {rates['valid_answer_rate']:.1%}, "
                f"refusal rate {rates['refusal_rate']:.1%}"
            )
            if self.scores.partial:
                coverage += f"; {self.scores.documents_text('statements')}"
        else:
            coverage = self.scores.documents_text("statements")
        return f"{'; '.join(parts)} ({coverage})"


def instrument_report(scores: RescoredTask) -> InstrumentReport:
    """The instrument's results at the answers and (when logged) in expectation."""
    score = _party_result if scores.family.kind is Kind.PARTY_AGREEMENT else _axis_result
    model = {key: values for key, values in scores.payloads.items() if not key.startswith("uniform_")}
    uniform = {key: values for key, values in scores.payloads.items() if key.startswith("uniform_")}
    results = {}
    for scoring, field in _FIELDS.items():
        entries = {key: values for key, values in model.items() if field in _first(values)}
        if entries:
            results[scoring] = score(scores.family, entries)
    baseline = score(scores.family, uniform) if uniform else None
    first_answered = next(values for values in model.values() if "answer" in _first(values))
    n_answered = sum(entry["answer"] is not None for entry in first_answered)
    return InstrumentReport(scores=scores, n_answered=n_answered, results=results, baseline=baseline)


def _first(values: list):
    return values[0] if values and isinstance(values[0], dict) else {}


def _axis_result(family: Family, entries: dict[str, list]) -> dict:
    """The scorer's result for the answers (or probability rows) of every statement by number."""
    return dict(axis_result(next(iter(entries.values()))))


def _party_result(family: Family, entries: dict[str, list]) -> dict:
    """Every party's agreement with the model's positions, with its 95 % interval, and the closest party."""
    [payloads] = entries.values()
    agreement = party_agreements(payloads)
    found = {"agreement": agreement, "estimates": party_estimates(payloads)}
    if all(math.isnan(value) for value in agreement.values()):
        return found | {"closest_party": None}
    return found | {"closest_party": family.instrument.closest_party(agreement)}


def _party_rows(results: dict[str, dict]) -> list[dict]:
    """Parties ranked by agreement at the answers; a rank is the place in that order (equal
    agreements keep the party order, so rank 1 is :func:`closest_party`'s choice). Each agreement
    with its 95 % interval; the uniform answer's (:data:`UNIFORM`) without a rank."""
    ranks = {scoring: _ranks(result["agreement"]) for scoring, result in results.items()}
    rows = []
    for party in sorted(ranks[ANSWER], key=lambda party: ranks[ANSWER][party] or math.inf):
        row = {"rank": ranks[ANSWER][party], "party": party}
        for scoring, result in results.items():
            column = scoring_key(scoring, "agreement")
            if scoring == EXPECTED:
                row["rank_expected"] = ranks[EXPECTED][party]
            row[column] = result["agreement"][party]
            estimate = result["estimates"][party]
            row |= {f"{column}_ci_low": estimate.ci_low, f"{column}_ci_high": estimate.ci_high}
        rows.append(row)
    return rows


def _ranks(agreement: dict[str, float]) -> dict[str, int | None]:
    ordered = sorted(agreement, key=lambda party: -agreement[party] if not math.isnan(agreement[party]) else math.inf)
    return {party: (None if math.isnan(agreement[party]) else rank) for rank, party in enumerate(ordered, start=1)}


def _result_text(parties: bool, result: dict) -> str:
    if parties:
        party = result["closest_party"]
        return "no thesis answered" if party is None else f"closest party {party} ({result['agreement'][party]:.1f}%)"
    labels = result.get("labels", {})
    text = ", ".join(
        f"{axis} {_shown(shown)}" + (f" ({labels[axis]})" if axis in labels else "")
        for axis, shown in result["displayed"].items()
    )
    return text + (f": {result['ideology']}" if "ideology" in result else "")


def _shown(value) -> str:
    """A displayed value as the site shows it: 8values' and SapplyValues' are already text."""
    return value if isinstance(value, str) else f"{value:.2f}"
