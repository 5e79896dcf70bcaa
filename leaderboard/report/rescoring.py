"""Scoring a task's logged samples again with the task's own code.

Each logged model output (the options' log-likelihoods, or the generations) goes through the
task's ``process_results`` with its document from the dataset, and the task's aggregation
functions turn the payloads into the summary numbers and their bootstrap standard errors
(``<key>_stderr``), which must equal lm-eval's table, and the 95 % intervals from the same
bootstraps (the standard-error aggregation's ``estimate``). The payloads are kept for the
kind-specific reports (per country, per instrument), once per key: the standard errors' keys carry
their key's payloads.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from opinionbench import families
from opinionbench.errors import OpinionBenchError
from opinionbench.families import Family
from opinionbench.lm_eval_outputs import EvaluationRun, is_stderr, option_loglikelihoods, stderr_key
from opinionbench.metrics.aggregation import BootstrapEstimate
from opinionbench.run_info import RunInfo
from opinionbench.summary_keys import estimate_behind


class NotOurTask(OpinionBenchError):
    """The samples belong to a task OpinionBench does not define (lm-eval's own tasks, say)."""


@dataclass(frozen=True)
class RescoredTask:
    """One task of one run scored again: its family, every payload per metric key (not the standard
    errors' keys), the summary numbers and standard errors (recomputed, and lm-eval's), and each
    key's bootstrap estimate (interval and standard error)."""

    family: Family
    task: str
    model: str  # the model's display name
    info: RunInfo  # the run's metadata
    n_documents: int
    payloads: dict[str, list]
    summary: dict[str, float]
    stderrs: dict[str, float]
    estimates: dict[str, BootstrapEstimate]
    lm_eval_summary: dict[str, float]
    lm_eval_stderrs: dict[str, float]
    aggregations: dict  # the task's lm-eval aggregation function of every key, standard errors included

    @property
    def partial(self) -> bool:
        """Whether the run scored only some of the task's documents (``--limit``, ``--samples``)."""
        coverage = self.info.coverage.get(self.task)
        return bool(coverage and coverage.partial)

    def documents_text(self, unit: str) -> str:
        """How many documents were scored: ``"8 of 62 statements, partial run"`` or ``"62 statements"``."""
        coverage = self.info.coverage.get(self.task)
        return coverage.text(unit) if coverage else f"{self.n_documents} {unit}"

    def run_lines(self) -> list[str]:
        """The run behind the numbers, and what a reader must know beside them."""
        flags = self.info.flags(self.task, self.summary)
        return [f"Run: {self.info.summary_line(self.task)}.", *(f"**Note: {flag}.**" for flag in flags)]

    def mismatches(self, tolerance: float = 1e-9) -> list[str]:
        """Numbers and standard errors that differ from lm-eval's table (there should be none)."""
        pairs = [(self.summary, self.lm_eval_summary, ""), (self.stderrs, self.lm_eval_stderrs, " stderr")]
        return [
            f"{key}{what}: recomputed {value!r}, lm-eval {theirs[key]!r}"
            for ours, theirs, what in pairs
            for key, value in ours.items()
            if key in theirs and not _same(value, theirs[key], tolerance)
        ]

    def comparison(self) -> str:
        """One line: do the recomputed numbers equal lm-eval's table?"""
        if self.mismatches():
            return "MISMATCH with lm-eval's table: " + "; ".join(self.mismatches())
        compared = [key for key in self.summary if key in self.lm_eval_summary]
        return (
            f"all {len(compared)} numbers of lm-eval's table and their standard errors recomputed from the "
            "samples log (equal)."
        )


def rescore(run: EvaluationRun, task_name: str) -> RescoredTask:
    """Score ``task_name``'s logged samples again with the task's ``process_results`` and aggregations."""
    task = _load_task(run, task_name)
    docs = task.test_docs()
    payloads: dict[str, list] = defaultdict(list)
    n_documents = 0
    for line_number, sample in run.numbered_samples(task_name):
        doc = _matching_doc(docs, sample, run.samples_file(task_name))
        try:
            scored = task.process_results(doc, _model_outputs(sample.get("filtered_resps"), doc, task.OUTPUT_TYPE))
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            raise OpinionBenchError(f"{run.samples_file(task_name)}: line {line_number}: {exc}.") from None
        for key, value in scored.items():
            payloads[key].append(value)
        n_documents += 1
    if not n_documents:
        raise OpinionBenchError(f"{run.samples_file(task_name)} holds no samples.")
    aggregations = task.aggregation()
    computed = {key: float(aggregations[key](values)) for key, values in payloads.items() if key in aggregations}
    estimates = {
        key: estimate(payloads[key])
        for key in payloads
        if not is_stderr(key) and (estimate := estimate_behind(aggregations.get(stderr_key(key)))) is not None
    }
    return RescoredTask(
        family=families.of_task(task_name),
        task=task_name,
        model=run.model,
        info=run.info,
        n_documents=n_documents,
        payloads={key: values for key, values in payloads.items() if not is_stderr(key)},
        summary={key: value for key, value in computed.items() if not is_stderr(key)},
        stderrs={key: computed[stderr_key(key)] for key in computed if stderr_key(key) in computed},
        estimates=estimates,
        lm_eval_summary=run.summary(task_name),
        lm_eval_stderrs=run.stderrs(task_name),
        aggregations=dict(aggregations),
    )


def _load_task(run: EvaluationRun, task_name: str):
    from lm_eval.tasks import TaskManager

    metadata = run.results["configs"].get(task_name, {}).get("metadata") or {}
    if families.of_task(task_name) is None:
        raise NotOurTask(f"{task_name} is not an OpinionBench task; it cannot be recomputed.")
    manager = TaskManager(include_path=families.task_paths(), include_defaults=False, metadata=metadata)
    if task_name not in manager.all_subtasks:
        raise NotOurTask(f"{task_name} is not an OpinionBench task; it cannot be recomputed.")
    return manager.load([task_name])["tasks"][task_name]


def _matching_doc(docs, sample: dict, samples_file) -> dict:
    doc_id = sample.get("doc_id")
    if not isinstance(doc_id, int) or not 0 <= doc_id < len(docs):
        raise OpinionBenchError(f"{samples_file}: doc_id {doc_id!r} is not a document of the dataset.")
    doc, logged = docs[doc_id], sample.get("doc")
    logged = logged.get("id") if isinstance(logged, dict) else None
    if doc["id"] != logged:
        raise OpinionBenchError(
            f"{samples_file}: document {doc_id} is {logged!r} in the log but {doc['id']!r} in the dataset; "
            "the run used a different build of the source."
        )
    return doc


def _model_outputs(filtered_resps, doc: dict, output_type: str) -> list:
    """A log-likelihood task's ``(log-likelihood, is_greedy)`` per option; the generations as logged."""
    if output_type == "multiple_choice":
        return option_loglikelihoods(filtered_resps, len(doc["options"]))
    return filtered_resps


def _same(a: float, b: float, tolerance: float) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return math.isnan(a)
    return abs(a - b) <= tolerance
