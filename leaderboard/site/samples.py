"""What the site computes from the samples logs, with the report's own code: per-country
tables of the tasks of survey families (:mod:`.rescoring`, :mod:`.country_report`) and the robustness
spread of tasks run with their variants (:mod:`.robustness_report`). Entries without a samples
log are skipped; a log that cannot be scored is noted, never fatal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from opinionbench.errors import OpinionBenchError
from opinionbench.families import Kind
from opinionbench.library_logs import quiet_logger
from opinionbench.tasks.common import variants

from ..report.survey_report import CountryReport, country_report
from ..robustness.inputs import group_prompts, read_prompt_answers
from ..robustness.report import CANONICAL, RobustnessReport, robustness_report
from .ingest import Entry


@dataclass
class SampleResults:
    """Per-country reports by task (``[(model, report)]``), robustness reports, and notes on
    samples logs that could not be used."""

    countries: dict[str, list[tuple[str, CountryReport]]] = field(default_factory=lambda: defaultdict(list))
    robustness: list[RobustnessReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def sample_results(entries: list[Entry]) -> SampleResults:
    """Per-country tables of the survey tasks (canonical prompts) and the robustness reports."""
    found = SampleResults()
    logged = [entry for entry in entries if entry.run.samples_file(entry.task).is_file()]
    for entry in logged:
        if entry.family and entry.family.kind is Kind.SURVEY and not _is_variant_task(entry):
            _try(found, entry, lambda e=entry: found.countries[e.task].append((e.model, _country_report(e))))
    by_family = defaultdict(list)
    for entry in logged:
        if entry.family and entry.family.robustness is not None:
            by_family[(entry.model, entry.family.name)].append(entry)
    answers = []
    for group in (group for group in by_family.values() if len(group) > 1):
        for entry in group:
            _try(found, entry, lambda e=entry: answers.append(read_prompt_answers(e.run, e.task)))
    for prompts in group_prompts([answer for answer in answers if answer is not None]).values():
        if CANONICAL in prompts and len(prompts) > 1:
            found.robustness.append(robustness_report(prompts))
    return found


def _country_report(entry: Entry) -> CountryReport:
    from ..report.rescoring import rescore

    with quiet_logger("lm_eval"):
        return country_report(rescore(entry.run, entry.task))


def _try(found: SampleResults, entry: Entry, step) -> None:
    try:
        step()
    except OpinionBenchError as err:
        found.notes.append(f"{entry.model} {entry.task}: samples log not used ({err})")


def _is_variant_task(entry: Entry) -> bool:
    """Whether the entry is one of its family's generated robustness variant tasks."""
    names = variants.variant_names(entry.family)
    return entry.task in {variants.task_name(entry.family.name, variant) for variant in names}
