"""Persona tasks across tasks (Wright et al., "LLM Tropes", 2024; see :mod:`.persona_scoring`):
which tasks and documents are persona ones, and the family declarations' ``conditions`` hook of
the axis instruments: per model, each run's closed-generation and open-generation persona tasks
of one grid paired, and per persona value the paper's open-vs-closed total variation distance
(:func:`.persona_scoring.open_closed_tvd`) beside the closed answers' invalid and refusal rates
and the open answers' none rate.

The hook's result names the report module that writes it (:attr:`OpenClosedReport.files_module`);
the tasks never import the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from opinionbench.errors import OpinionBenchError

from .persona_configs import MODES
from .persona_scoring import INVALID, NONE, REFUSAL, UNDETERMINED, open_closed_tvd
from .personas import BASE, parse_persona

RECORD_FIELDS = ("persona", "template")  # what makes an answer record (or a document) a persona one
SUMMARY_KEY = "persona_shift"  # the summary number only persona tasks report
CLOSED_GEN, OPEN_GEN = "closed_gen", "open_gen"


def is_persona_record(value) -> bool:
    """Whether a payload (or a logged document) is a persona condition's answer record."""
    return isinstance(value, Mapping) and all(name in value for name in RECORD_FIELDS)


def persona_records(payloads: Mapping[str, list]) -> list[dict] | None:
    """The answer records of a task's payloads (by key), or ``None`` when it is no persona task."""
    return next((values for values in payloads.values() if values and is_persona_record(values[0])), None)


def is_persona_task(payloads: Mapping[str, list]) -> bool:
    """Whether a task's payloads (by key) are a persona task's answer records."""
    return persona_records(payloads) is not None


def reports_personas(summary: Mapping) -> bool:
    """Whether a task's table (lm-eval's numbers, no samples needed) is a persona task's."""
    return SUMMARY_KEY in summary


def persona_mode(task: str) -> tuple[str, str] | None:
    """``(grid prefix, mode)`` of a persona task's name (``pct_personas_full``, ``open_gen``)."""
    for mode in MODES:
        if task.endswith(f"_{mode}"):
            return task.removesuffix(f"_{mode}"), mode
    return None


def label(persona: str) -> str:
    """A persona id for people (``base case``, ``age: 18``)."""
    return parse_persona(persona).label


@dataclass(frozen=True)
class PersonaTVD:
    """One persona value's open-vs-closed TVD over ``n_statements`` and the rates beside it."""

    persona: str
    tvd: float
    n_statements: int
    closed_answers: int
    closed_invalid_rate: float
    closed_refusal_rate: float
    open_answers: int
    open_none_rate: float

    def row(self) -> dict:
        return {"persona": self.persona, "label": label(self.persona), "base_case": self.persona == BASE} | {
            name: getattr(self, name) for name in self.__dataclass_fields__ if name != "persona"
        }


@dataclass(frozen=True)
class OpenClosedPair:
    """A run's closed- and open-generation persona tasks of one grid, and their TVD per persona value."""

    run: str
    closed_task: str
    open_task: str
    personas: tuple[PersonaTVD, ...]

    def rows(self) -> list[dict]:
        head = {"run": self.run, "closed_task": self.closed_task, "open_task": self.open_task}
        return [head | persona.row() for persona in self.personas]


@dataclass(frozen=True)
class OpenClosedReport:
    """The open-vs-closed TVD of one model's persona tasks of one family, per paired run and grid."""

    files_module: ClassVar[str] = "opinionbench.leaderboard.report.persona_tvd_files"

    model: str
    pairs: tuple[OpenClosedPair, ...]

    @property
    def sources(self) -> list[tuple[str, str]]:
        """``(run label, task)`` of every task used."""
        return [(pair.run, task) for pair in self.pairs for task in (pair.closed_task, pair.open_task)]

    @property
    def runs(self) -> list[str]:
        return sorted({pair.run for pair in self.pairs})

    def rows(self) -> list[dict]:
        return [row for pair in self.pairs for row in pair.rows()]

    def headline(self) -> str:
        parts = [
            f"{pair.open_task.removesuffix('_' + OPEN_GEN)} ({pair.run}): "
            + ", ".join(f"{label(p.persona)} {p.tvd:.3f}" for p in pair.personas if not math.isnan(p.tvd))
            for pair in self.pairs
        ]
        return "open-vs-closed TVD per persona value: " + "; ".join(parts)


def open_closed_report(model: str, tasks: Iterable[tuple[str, str, dict[str, list]]]) -> OpenClosedReport | None:
    """The family declarations' ``conditions`` hook: ``tasks`` are ``(run label, task, payloads by
    key)`` of one model's tasks of a family; every run's closed- and open-generation persona tasks
    of one grid are paired (``None`` when there is no pair)."""
    found: dict[tuple[str, str], dict[str, tuple[str, list[dict]]]] = {}
    for run, task, payloads in tasks:
        records, named = persona_records(payloads), persona_mode(task)
        if records is None or named is None or named[1] not in (CLOSED_GEN, OPEN_GEN):
            continue
        modes = found.setdefault((run, named[0]), {})
        if named[1] in modes:
            raise OpinionBenchError(f"{run}: {task} and {modes[named[1]][0]} are both {named[1]}; expected one.")
        modes[named[1]] = (task, records)
    pairs = tuple(
        _pair(run, *modes[CLOSED_GEN], *modes[OPEN_GEN])
        for (run, _), modes in sorted(found.items())
        if CLOSED_GEN in modes and OPEN_GEN in modes
    )
    return OpenClosedReport(model=model, pairs=pairs) if pairs else None


def _pair(run: str, closed_task: str, closed: list[dict], open_task: str, open_: list[dict]) -> OpenClosedPair:
    tvd = open_closed_tvd(closed, open_)
    rows = []
    for persona in dict.fromkeys(record["persona"] for record in closed):
        if persona not in tvd:
            continue
        asked = [record for record in closed if record["persona"] == persona]
        judged = [record for record in open_ if record["persona"] == persona]
        value, n = tvd[persona]
        rows.append(
            PersonaTVD(
                persona=persona,
                tvd=value,
                n_statements=n,
                closed_answers=len(asked),
                closed_invalid_rate=_rate(asked, lambda r: r["status"] == INVALID),
                closed_refusal_rate=_rate(asked, lambda r: r["status"] == REFUSAL),
                open_answers=len(judged),
                open_none_rate=_rate(
                    judged, lambda r: r.get("stance") == "None" or r["status"] in (NONE, UNDETERMINED)
                ),
            )
        )
    return OpenClosedPair(run, closed_task, open_task, tuple(rows))


def _rate(records: list[dict], counted) -> float:
    return sum(map(counted, records)) / len(records) if records else math.nan
