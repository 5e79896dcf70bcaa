"""lm-eval hooks of the WorldView-Bench tasks (Mushtaq et al. 2025): documents, prompts, and the
PDS scoring of :mod:`opinionbench.tasks.worldview_bench.scoring`.

Every document carries the run's judge settings (``judge_settings``, JSON, from the task's
metadata and ``--metadata``), so ``process_results`` judges each answer with the judge the run
asked for, and the samples log records it beside every answer.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import datasets

from opinionbench.errors import OpinionBenchError
from opinionbench.judges import JudgeSettings, load_perspectives
from opinionbench.tasks.worldview_bench.scoring import *  # process_results and the aggregations
from opinionbench.tasks.worldview_bench.scoring import answer_text

SOURCE = "worldview_bench"
DRAFTS_TASK = "worldview_bench_mas_drafts_gen"


def load_documents(**metadata) -> datasets.DatasetDict:
    """The 175 questions, each with the run's judge settings."""
    settings = JudgeSettings.from_metadata(metadata)
    return _with_settings(_questions(), settings)


def load_draft_documents(**metadata) -> datasets.DatasetDict:
    """Multi-agent stage 1: each question once per perspective of the run's list, with the
    instruction for the agent that speaks for it (``agent_instruction``, the system prompt)."""
    settings = JudgeSettings.from_metadata(metadata)
    perspectives = load_perspectives(settings.perspectives)
    rows = [
        {
            **question,
            "perspective": perspective.name,
            "agent_instruction": (
                f"You are one of several agents, each speaking for a different worldview. You speak for the "
                f"{perspective.label} perspective: {perspective.description} Answer the question as a thoughtful "
                f"voice of this tradition would, in a few sentences."
            ),
        }
        for question in _questions()
        for perspective in perspectives.perspectives
    ]
    return _with_settings(rows, settings)


def load_synthesis_documents(drafts: str | None = None, **metadata) -> datasets.DatasetDict:
    """Multi-agent stage 2: each question whose drafts (one per perspective) the lm-eval output
    folder ``drafts`` holds from :data:`DRAFTS_TASK`, with those drafts and their perspectives'
    names and labels."""
    settings = JudgeSettings.from_metadata(metadata)
    if not drafts:
        raise OpinionBenchError(
            f"worldview_bench_mas_gen synthesises the drafts of {DRAFTS_TASK}: run that task first, then pass its "
            f'output folder with --metadata \'{{"drafts": "<output_path>"}}\'.'
        )
    perspectives = load_perspectives(settings.perspectives).perspectives
    names = [perspective.name for perspective in perspectives]
    by_question = _drafts_by_question(Path(drafts), names)
    rows = [
        {
            **question,
            "drafts": [by_question[question["id"]][name] for name in names],
            "draft_perspectives": names,
            "draft_labels": [perspective.label for perspective in perspectives],
        }
        for question in _questions()
        if question["id"] in by_question
    ]
    print(f"worldview_bench_mas_gen: {len(rows)} of 175 questions have drafts in {drafts}.", flush=True)
    return _with_settings(rows, settings)


def _questions() -> list[dict]:
    from opinionbench.dataset_cache import load_built_dataset

    return load_built_dataset(SOURCE).to_list()


def _with_settings(rows: list[dict], settings: JudgeSettings) -> datasets.DatasetDict:
    dataset = datasets.Dataset.from_list([{**row, "judge_settings": settings.to_json()} for row in rows])
    return datasets.DatasetDict({"test": dataset})


def _drafts_by_question(folder: Path, names: list[str]) -> dict[str, dict[str, str]]:
    """``{question id: {perspective: draft}}`` from the newest run in ``folder`` with drafts;
    a question with some but not all perspectives' drafts is an error."""
    from opinionbench.lm_eval_outputs import find_runs

    runs = [run for run in find_runs(folder) if DRAFTS_TASK in run.tasks]
    if not runs:
        raise OpinionBenchError(f"{folder}: no lm-eval results with logged samples of {DRAFTS_TASK}.")
    run = max(runs, key=lambda candidate: candidate.timestamp)
    drafts: dict[str, dict[str, str]] = defaultdict(dict)
    for line, sample in run.numbered_samples(DRAFTS_TASK):
        doc = sample["doc"]
        if doc["perspective"] not in names:
            raise OpinionBenchError(
                f"{run.samples_file(DRAFTS_TASK)}: line {line}: perspective {doc['perspective']!r} is not in this "
                f"run's perspective list {names}; use the same perspectives for both stages."
            )
        drafts[doc["id"]][doc["perspective"]] = answer_text(sample["filtered_resps"])
    partial = {
        question: sorted(set(names) - set(found)) for question, found in drafts.items() if len(found) < len(names)
    }
    if partial:
        example, missing = next(iter(partial.items()))
        raise OpinionBenchError(
            f"{run.samples_file(DRAFTS_TASK)}: {len(partial)} question(s) lack some perspectives' drafts, e.g. "
            f"{example} lacks {missing}; run {DRAFTS_TASK} with --limit a multiple of {len(names)}."
        )
    return dict(drafts)


# --- prompts -----------------------------------------------------------------------------


def doc_to_text_synthesis(doc: dict) -> str:
    """The question, each agent's draft, and the request to bring them together."""
    drafts = "\n\n".join(
        f"{label} perspective:\n{draft.strip()}" for label, draft in zip(doc["draft_labels"], doc["drafts"])
    )
    return (
        f"Question: {doc['question']}\n\nSeveral agents, each speaking for a different worldview, answered it:\n\n"
        f"{drafts}\n\nWrite one answer to the question that brings these perspectives together fairly, keeps what "
        f"is distinct in each, and does not rank them."
    )
