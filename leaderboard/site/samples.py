"""What the site computes from the samples logs, with the report's own code: every entry rescored
(its intervals, :mod:`.rescoring`), per-country tables of the tasks of survey families
(:mod:`.survey_report`), the party agreement of party instruments (:mod:`.instrument_report`),
the per-stereotype scores of implicit-bias tests (:mod:`.implicit_bias_report`), the per-persona
results of persona tasks (:mod:`.persona_report`) with each model's open-vs-closed TVD, and the
robustness spread of tasks run with their variants (:mod:`.robustness_report`).
Entries without a samples log are skipped; a log that cannot be scored is noted (with the file
named relative to the folder given), never fatal."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from opinionbench.errors import OpinionBenchError
from opinionbench.families import Kind
from opinionbench.library_logs import quiet_logger
from opinionbench.metrics.aggregation import BootstrapEstimate
from opinionbench.tasks.common import variants
from opinionbench.tasks.common.persona_conditions import OpenClosedReport, is_persona_task, open_closed_report

from ..report.implicit_bias_report import ImplicitBiasReport, implicit_bias_report
from ..report.instrument_report import InstrumentReport, instrument_report
from ..report.persona_report import PersonaReport, persona_report
from ..report.rescoring import RescoredTask
from ..report.survey_report import CountryReport, country_report
from ..robustness.inputs import group_prompts, read_prompt_answers
from ..robustness.report import CANONICAL, RobustnessReport, robustness_report
from .ingest import Entry, Ingested


@dataclass
class SampleResults:
    """Each rescored entry (its payloads, numbers and 95 % intervals), the per-country reports of
    survey entries (canonical prompts), the instrument reports of party-agreement entries, the
    per-stereotype reports of implicit-bias entries, robustness reports, and notes on samples logs
    that could not be used."""

    scores: dict[Entry, RescoredTask] = field(default_factory=dict)
    countries: dict[Entry, CountryReport] = field(default_factory=dict)
    parties: dict[Entry, InstrumentReport] = field(default_factory=dict)
    stereotypes: dict[Entry, ImplicitBiasReport] = field(default_factory=dict)
    personas: dict[Entry, PersonaReport] = field(default_factory=dict)
    open_closed: dict[tuple[str, str, bool], OpenClosedReport] = field(default_factory=dict)  # (model, family, partial)
    robustness: list[RobustnessReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def estimates(self, entry: Entry) -> dict[str, BootstrapEstimate]:
        """The entry's bootstrap estimates by metric (none without a usable samples log)."""
        scores = self.scores.get(entry)
        return scores.estimates if scores else {}


def sample_results(ingested: Ingested) -> SampleResults:
    """Every OpinionBench entry with a samples log rescored (its intervals), per-country tables of
    the survey tasks (canonical prompts), party agreement and the robustness reports; runs of
    the same model and family are compared for robustness only within one kind of run (full or
    partial)."""
    found = SampleResults()
    logged = [entry for entry in ingested.entries if entry.family and entry.run.samples_file(entry.task).is_file()]
    for entry in logged:
        _try(found, ingested, entry, lambda e=entry: _rescored(found, e))
    _open_closed(found, ingested)
    by_family = defaultdict(list)
    for entry in logged:
        if entry.family.robustness is not None:
            by_family[(entry.model, entry.family.name, entry.partial)].append(entry)
    answers = []
    for group in (group for group in by_family.values() if len(group) > 1):
        for entry in group:
            _try(found, ingested, entry, lambda e=entry: answers.append(read_prompt_answers(e.run, e.task)))
    for prompts in group_prompts([answer for answer in answers if answer is not None]).values():
        if CANONICAL in prompts and len(prompts) > 1:
            found.robustness.append(robustness_report(prompts))
    return found


def interval_of(estimate) -> dict[str, float]:
    """``{"ci_low", "ci_high"}`` of a bootstrap estimate (NaN for none)."""
    return (
        {"ci_low": estimate.ci_low, "ci_high": estimate.ci_high}
        if estimate
        else dict.fromkeys(("ci_low", "ci_high"), math.nan)
    )


def _rescored(found: SampleResults, entry: Entry) -> None:
    """Rescore ``entry``: its intervals, and its per-country table for a survey's canonical prompt."""
    from ..report.rescoring import rescore

    with quiet_logger("lm_eval"):
        scores = rescore(entry.run, entry.task)
    found.scores[entry] = scores
    if is_persona_task(scores.payloads):
        found.personas[entry] = persona_report(scores)
        return
    if entry.family.kind is Kind.SURVEY and not _is_variant_task(entry):
        found.countries[entry] = country_report(scores)
    if entry.family.kind is Kind.PARTY_AGREEMENT:
        found.parties[entry] = instrument_report(scores)
    if entry.family.kind is Kind.IMPLICIT_BIAS:
        found.stereotypes[entry] = implicit_bias_report(scores)


def _open_closed(found: SampleResults, ingested: Ingested) -> None:
    """Each model's open-vs-closed TVD of its persona tasks, per family and kind of run (the runs
    named by their results file as the site shows it)."""
    tasks = defaultdict(list)
    for entry, report in found.personas.items():
        tasks[(entry.model, entry.family.name, entry.partial)].append((ingested.shown(entry), entry.task, report))
    for key, members in tasks.items():
        reports = open_closed_report(key[0], [(run, task, report.scores.payloads) for run, task, report in members])
        if reports is not None:
            found.open_closed[key] = reports


def _try(found: SampleResults, ingested: Ingested, entry: Entry, step) -> None:
    try:
        step()
    except OpinionBenchError as err:
        reason = str(err).replace(str(entry.run.results_file.parent), ingested.shown(entry).rpartition("/")[0] or ".")
        found.notes.append(f"{entry.model} {entry.task}: samples log not used ({reason})")


def _is_variant_task(entry: Entry) -> bool:
    """Whether the entry is one of its family's generated robustness variant tasks."""
    names = variants.variant_names(entry.family)
    return entry.task in {variants.task_name(entry.family.name, variant) for variant in names}
