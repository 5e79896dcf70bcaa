"""Scoring a task's logged samples again with the task's own code.

Each logged model output (the options' log-likelihoods, or the generations) goes through the
task's ``process_results`` with its document from the dataset, and the task's aggregation
functions turn the payloads into the summary numbers (with the bounds of their bootstrap
intervals, ``<key>_ci_low`` and ``<key>_ci_high``), which must equal lm-eval's table. The payloads
are kept for the kind-specific reports (per country, per instrument), once per key: the bounds'
keys carry their key's payloads.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from opinionbench import families
from opinionbench.errors import OpinionBenchError
from opinionbench.families import Family
from opinionbench.lm_eval_outputs import EvaluationRun, is_bound


class NotOurTask(OpinionBenchError):
    """The samples belong to a task OpinionBench does not define (lm-eval's own tasks, say)."""


@dataclass(frozen=True)
class RescoredTask:
    """One task of one run scored again: its family, every payload per metric key (not the bounds'
    keys), the summary numbers (recomputed, and lm-eval's)."""

    family: Family
    task: str
    model: str
    n_documents: int
    payloads: dict[str, list]
    summary: dict[str, float]
    lm_eval_summary: dict[str, float]
    aggregations: dict  # the task's lm-eval aggregation function of every key, bounds included

    def mismatches(self, tolerance: float = 1e-9) -> list[str]:
        """Summary numbers that differ from lm-eval's table (there should be none)."""
        return [
            f"{key}: recomputed {value!r}, lm-eval {self.lm_eval_summary[key]!r}"
            for key, value in self.summary.items()
            if key in self.lm_eval_summary and not _same(value, self.lm_eval_summary[key], tolerance)
        ]

    def comparison(self) -> str:
        """One line: do the recomputed numbers equal lm-eval's table?"""
        compared = [key for key in self.summary if key in self.lm_eval_summary]
        if self.mismatches():
            return "MISMATCH with lm-eval's table: " + "; ".join(self.mismatches())
        return f"all {len(compared)} numbers of lm-eval's table recomputed from the samples log (equal)."


def rescore(run: EvaluationRun, task_name: str) -> RescoredTask:
    """Score ``task_name``'s logged samples again with the task's ``process_results`` and aggregations."""
    task = _load_task(run, task_name)
    docs = task.test_docs()
    payloads: dict[str, list] = defaultdict(list)
    n_documents = 0
    for sample in run.samples(task_name):
        doc = _matching_doc(docs, sample, run.samples_file(task_name))
        outputs = _model_outputs(sample["filtered_resps"], task.OUTPUT_TYPE)
        for key, value in task.process_results(doc, outputs).items():
            payloads[key].append(value)
        n_documents += 1
    if not n_documents:
        raise OpinionBenchError(f"{run.samples_file(task_name)} holds no samples.")
    aggregations = task.aggregation()
    summary = {key: float(aggregations[key](values)) for key, values in payloads.items() if key in aggregations}
    return RescoredTask(
        family=families.of_task(task_name),
        task=task_name,
        model=run.model_name,
        n_documents=n_documents,
        payloads={key: values for key, values in payloads.items() if not is_bound(key)},
        summary=summary,
        lm_eval_summary=run.summary(task_name),
        aggregations=dict(aggregations),
    )


def _load_task(run: EvaluationRun, task_name: str):
    from lm_eval.tasks import TaskManager, get_task_dict

    metadata = run.results["configs"].get(task_name, {}).get("metadata") or {}
    if families.of_task(task_name) is None:
        raise NotOurTask(f"{task_name} is not an OpinionBench task; it cannot be recomputed.")
    manager = TaskManager(include_path=families.task_paths(), include_defaults=False, metadata=metadata)
    if task_name not in manager.all_subtasks:
        raise NotOurTask(f"{task_name} is not an OpinionBench task; it cannot be recomputed.")
    return get_task_dict([task_name], manager)[task_name]


def _matching_doc(docs, sample: dict, samples_file) -> dict:
    doc_id = sample.get("doc_id")
    if not isinstance(doc_id, int) or not 0 <= doc_id < len(docs):
        raise OpinionBenchError(f"{samples_file}: doc_id {doc_id!r} is not a document of the dataset.")
    doc = docs[doc_id]
    logged = sample.get("doc", {}).get("id")
    if doc["id"] != logged:
        raise OpinionBenchError(
            f"{samples_file}: document {doc_id} is {logged!r} in the log but {doc['id']!r} in the dataset; "
            "the run used a different build of the source."
        )
    return doc


def _model_outputs(filtered_resps: list, output_type: str) -> list:
    """lm-eval logs numbers as text: ``[["-1.25", "False"], ...]`` -> ``[(-1.25, False), ...]``."""
    if output_type == "multiple_choice":
        return [(float(loglikelihood), str(greedy) == "True") for loglikelihood, greedy in filtered_resps]
    return filtered_resps


def _same(a: float, b: float, tolerance: float) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return math.isnan(a)
    return abs(a - b) <= tolerance
