"""Per-country results of a survey-distribution task, recomputed from lm-eval's samples log.

Each logged model output (the options' log-likelihoods, or the parsed generations) is
scored again by the task's own ``process_results`` against the dataset's human
distributions, and the task's own aggregation functions give the summary numbers, so
they equal lm-eval's table; per-country means get percentile-bootstrap intervals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from opinionbench.errors import OpinionBenchError
from opinionbench.metrics import GroupSummary, summarize_by_group
from opinionbench.tasks.distribution_scoring import payload_pairs

from .lm_eval_outputs import EvaluationRun

# Per-country columns, in table order, when the task reports them.
COUNTRY_METRICS = (
    "js_similarity",
    "uniform_js_similarity",
    "wasserstein_similarity",
    "uniform_wasserstein_similarity",
    "js_similarity_unsteered",
)
RANKED_BY = "js_similarity"
_ABSENT = {"mean": math.nan, "ci_low": math.nan, "ci_high": math.nan, "n_items": 0}


class NotOurTask(OpinionBenchError):
    """The samples belong to a task OpinionBench does not define (lm-eval's own tasks, say)."""


@dataclass(frozen=True)
class TaskReport:
    """One task of one run: summary numbers (recomputed and lm-eval's) and per-country summaries."""

    task: str
    model: str
    n_documents: int
    summary: dict[str, float]
    lm_eval_summary: dict[str, float]
    by_country: dict[str, GroupSummary]

    def mismatches(self, tolerance: float = 1e-9) -> list[str]:
        """Summary numbers that differ from lm-eval's table (there should be none)."""
        return [
            f"{key}: recomputed {value!r}, lm-eval {self.lm_eval_summary[key]!r}"
            for key, value in self.summary.items()
            if key in self.lm_eval_summary and not _same(value, self.lm_eval_summary[key], tolerance)
        ]

    def country_rows(self) -> list[dict]:
        """One row per country, ranked by js_similarity (1 = most similar)."""
        tables = {
            metric: {row["group"]: row for row in summary.as_rows()} for metric, summary in self.by_country.items()
        }
        rows = []
        for country_row in sorted(tables[RANKED_BY].values(), key=lambda row: -_sortable(row["mean"])):
            country = country_row["group"]
            row = {"country": country, "n_items": country_row["n_items"]}
            for metric, table in tables.items():
                stats = table.get(country, _ABSENT)
                row[metric] = stats["mean"]
                if not metric.startswith("uniform_"):
                    row[f"{metric}_ci_low"], row[f"{metric}_ci_high"] = stats["ci_low"], stats["ci_high"]
                if metric == "wasserstein_similarity":
                    row["wasserstein_items"] = stats["n_items"]
            if "js_similarity_unsteered" in row:
                row["steerability"] = row["js_similarity"] - row["js_similarity_unsteered"]
            rows.append(row)
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank if not math.isnan(row[RANKED_BY]) else None
        return [{"rank": row.pop("rank"), **row} for row in rows]


def recompute(
    run: EvaluationRun,
    task_name: str,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    random_state: int = 0,
) -> TaskReport:
    """Score ``task_name``'s logged samples again and summarise them per country."""
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
    by_country = {
        metric: _group_summary(payloads[metric], confidence_level, n_resamples, random_state)
        for metric in COUNTRY_METRICS
        if metric in payloads and any(entry["groups"] for entry in payloads[metric])
    }
    if RANKED_BY not in by_country:
        raise OpinionBenchError(f"{task_name} is not a survey-distribution task (no per-country {RANKED_BY}).")
    return TaskReport(
        task=task_name,
        model=run.model_name,
        n_documents=n_documents,
        summary=summary,
        lm_eval_summary=run.summary(task_name),
        by_country=by_country,
    )


def _load_task(run: EvaluationRun, task_name: str):
    from lm_eval.tasks import TaskManager, get_task_dict

    from opinionbench.tasks import tasks_path

    metadata = run.results["configs"].get(task_name, {}).get("metadata") or {}
    manager = TaskManager(include_path=tasks_path(), include_defaults=False, metadata=metadata)
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


def _group_summary(entries: list, confidence_level: float, n_resamples: int, random_state: int) -> GroupSummary:
    scores, groups, items = payload_pairs(entries)
    return summarize_by_group(
        scores,
        groups,
        items,
        confidence_level=confidence_level,
        n_resamples=n_resamples,
        random_state=random_state,
    )


def _sortable(value: float) -> float:
    return -math.inf if math.isnan(value) else value


def _same(a: float, b: float, tolerance: float) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return math.isnan(a)
    return abs(a - b) <= tolerance
