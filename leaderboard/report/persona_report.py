"""Results of a persona task of an axis instrument (``<family>_personas_*``, Wright et al., "LLM
Tropes", 2024), from its rescored answer records: the task's :class:`PersonaGrid` read per
persona value (position on every axis, shift from the base case), per condition (persona,
template), per persona over its templates (the spread), and the answers' statuses.

The conditions are never pooled into one answer set: each is scored by the instrument on its own
(:mod:`opinionbench.tasks.common.persona_scoring`). Intervals are the grid's answer draws: from
the option probabilities (log-likelihoods, per condition too), or from a persona's answers over
its templates (generations; a single template gives none, shown ``n/a``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from opinionbench.families import Family
from opinionbench.tasks.common.persona_conditions import label, persona_records
from opinionbench.tasks.common.persona_scoring import STATUSES, PersonaGrid, persona_grid
from opinionbench.tasks.common.personas import BASE

from .rescoring import RescoredTask
from .tables import INTERVAL

BASE_LABEL = label(BASE)


@dataclass(frozen=True)
class PersonaReport:
    """One persona task of one run: its rescored samples, answer records and grid."""

    scores: RescoredTask
    records: list[dict]
    grid: PersonaGrid

    @property
    def family(self) -> Family:
        return self.scores.family

    @property
    def axes(self) -> tuple[str, ...]:
        return self.family.instrument.axes

    @property
    def logprob(self) -> bool:
        """Whether the answers are log-likelihoods (intervals per condition), else generations."""
        return "probabilities" in self.records[0]

    @property
    def personas(self) -> list[str]:
        return self.grid.persona_ids

    def templates(self, persona: str) -> list[str]:
        return [template for p, template in self.grid.conditions if p == persona]

    def has_interval(self, persona: str) -> bool:
        """Log-likelihood answers always have one; generated ones only over several templates."""
        return self.logprob or len(self.templates(persona)) > 1

    def persona_rows(self) -> list[dict]:
        """Per persona value: its position on every axis and its shift from the base case (per axis
        and the Euclidean distance; ``None`` for the base case), each with its 95 % interval, and
        its templates' spread."""
        rows = []
        for persona in self.personas:
            row = {"persona": persona, "label": label(persona), "base_case": persona == BASE}
            row["templates"] = len(self.templates(persona))
            names = [(axis, f"{persona}/{axis}") for axis in self.axes]
            names += [(f"shift_{name}", f"{persona}/shift_{name}") for name in (*self.axes, "distance")]
            for column, name in names:
                own = persona == BASE and column.startswith("shift_")  # the base case's shift from itself
                row |= {column: None if own else self.grid.values.get(name, math.nan)}
                row |= self._interval(persona, name, column)
            rows.append(row | self.spread(persona))
        return rows

    def condition_rows(self) -> list[dict]:
        """Per (persona, template): its position on every axis (an interval for log-likelihoods only)."""
        rows = []
        for index, (persona, template) in enumerate(self.grid.conditions):
            row = {"persona": persona, "label": label(persona), "base_case": persona == BASE, "template": template}
            for axis in self.axes:
                row[axis] = float(self.grid.positions[axis][index])
                found = self.grid.estimates.get(f"{persona}/{template}/{axis}") if self.logprob else None
                row |= _bounds(axis, found)
            rows.append(row)
        return rows

    def spread(self, persona: str) -> dict:
        """Min, max and SD (ddof=0) of the persona's template positions on every axis."""
        found = {}
        for axis, values in self.template_positions(persona).items():
            found |= {f"{axis}_min": float(values.min()), f"{axis}_max": float(values.max())}
            found[f"{axis}_sd"] = float(values.std(ddof=0))
        return found

    def template_positions(self, persona: str) -> dict[str, np.ndarray]:
        """Per axis, the persona's template positions (in run order)."""
        index = [i for i, (p, _) in enumerate(self.grid.conditions) if p == persona]
        return {axis: self.grid.positions[axis][index] for axis in self.axes}

    def variance_rows(self) -> list[dict]:
        """Per axis: the share of the condition positions' variance the persona and the template explain."""
        persona, template = self.grid.variance_shares("persona"), self.grid.variance_shares("template")
        return [{"axis": axis, "persona_share": persona[axis], "template_share": template[axis]} for axis in self.axes]

    def status_rows(self) -> list[dict]:
        """Per persona value: how many answers had each status (:data:`STATUSES`) and their shares."""
        rows = []
        for persona in self.personas:
            statuses = [record["status"] for record in self.records if record["persona"] == persona]
            row = {"persona": persona, "label": label(persona), "base_case": persona == BASE, "answers": len(statuses)}
            row |= {status: statuses.count(status) for status in STATUSES}
            row |= {f"{status}_rate": statuses.count(status) / len(statuses) for status in STATUSES}
            rows.append(row)
        return rows

    def headline(self) -> str:
        """One line: the base case's position, the mean shift and how many conditions."""
        base = ", ".join(f"{axis} {self.grid.values.get(f'{BASE}/{axis}', math.nan):.2f}" for axis in self.axes)
        shift = self.grid.values.get("persona_shift", math.nan)
        n_templates = len({template for _, template in self.grid.conditions})
        return (
            f"{BASE_LABEL} {base}; mean shift of {len(self.personas) - 1} persona "
            f"value{'s' if len(self.personas) > 2 else ''} {shift:.2f} "
            f"({len(self.grid.conditions)} conditions: {len(self.personas)} personas x {n_templates} "
            f"template{'s' if n_templates > 1 else ''}, "
            f"{self.scores.documents_text('answers')})"
        )

    def _interval(self, persona: str, name: str, column: str) -> dict:
        has = self.has_interval(persona) and (persona == BASE or self.has_interval(BASE))
        return _bounds(column, self.grid.estimates.get(name) if has else None)


def _bounds(column: str, estimate) -> dict:
    values = (math.nan, math.nan) if estimate is None else (estimate.ci_low, estimate.ci_high)
    return {f"{column}_{end}": value for end, value in zip(INTERVAL, values)}


def persona_report(scores: RescoredTask) -> PersonaReport:
    """The persona task's report (its payloads are persona answer records)."""
    records = persona_records(scores.payloads)
    return PersonaReport(scores=scores, records=records, grid=persona_grid(records))
