"""lm-eval output folders written without a model: ``results_<time>.json`` and
``samples_<task>_<time>.jsonl`` as lm-eval 0.4 writes them, for the real PCT documents (the build of
``$OPINIONBENCH_SOURCES``) with made-up log-likelihoods, to be damaged by the cases."""

from __future__ import annotations

import functools
import json
from pathlib import Path

STAMP = "2026-01-01T00-00-00.000000"
CANONICAL = "pct_logprob"
REVERSED = "pct_reversed_logprob"
VARIANTS = {CANONICAL: "canonical", REVERSED: "reversed"}
PERSONAS = "pct_personas_logprob"  # the default grid: the base case and 5 persona values, closed template 1
# lm-eval's table of every task: metric -> (value, standard error)
TABLE = {"econ": (-1.5, 0.5), "soc": (2.25, 0.75), "option_mass": (0.62, 0.01), "uniform_econ": (0.38, 0.1)}


@functools.cache
def documents(task: str) -> tuple[dict, ...]:
    """The documents of a PCT task (its variant's fields added; the persona task's conditions), as
    lm-eval logs them."""
    from opinionbench.data_builders import pct
    from opinionbench.tasks.common import variants
    from opinionbench.tasks.common.personas import persona_documents

    if task == PERSONAS:
        return tuple(dict(row) for row in persona_documents(pct.build().dataset["test"], "closed"))
    items = variants.apply_variant(pct.build().dataset["test"], "pct", VARIANTS[task])
    return tuple(dict(row) for row in items)


def sample_line(doc_id: int, doc: dict) -> dict:
    """One logged sample: the option log-likelihoods as text, ``(log-likelihood, is_greedy)``."""
    loglikelihoods = [-0.5 - ((doc_id + option) % len(doc["options"])) for option in range(len(doc["options"]))]
    pairs = [[str(value), "False"] for value in loglikelihoods]
    return {"doc_id": doc_id, "doc": doc, "target": 0, "resps": [[pair] for pair in pairs], "filtered_resps": pairs}


def results_json(model: str, tasks: tuple[str, ...], table: dict[str, tuple]) -> dict:
    """A results file in lm-eval 0.4's schema, every task with ``table`` (``--metadata`` names the model)."""
    rows = {task: {"alias": task} for task in tasks}
    for row in rows.values():
        for metric, (value, stderr) in table.items():
            row |= {f"{metric},none": value, f"{metric}_stderr,none": stderr}
    n = {task: {"original": len(documents(task)), "effective": len(documents(task))} for task in tasks}
    return {
        "results": rows,
        "group_subtasks": {task: [] for task in tasks},
        "configs": {
            task: {"task": task, "output_type": "multiple_choice", "metadata": {"display_name": model}}
            for task in tasks
        },
        "versions": dict.fromkeys(tasks, 1.0),
        "n-shot": dict.fromkeys(tasks, 0),
        "higher_is_better": {task: {} for task in tasks},
        "n-samples": n,
        "config": {"model": "hf", "model_args": "pretrained=org/model", "batch_size": "1"},
        "model_name": "org/model",
        "chat_template": "{{ messages }}",
        "lm_eval_version": "0.4.13",
        "date": 1.7e9,
    }


def write_run(
    root: Path,
    name: str = "good",
    *,
    tasks: tuple[str, ...] = (CANONICAL,),
    table: dict[str, tuple] = TABLE,
    samples: bool = True,
) -> Path:
    """``root/<name>/results_<time>.json`` (and, with ``samples``, each task's samples log); the
    model is named ``name``. Returns the results file."""
    folder = root / name
    folder.mkdir(parents=True)
    for task in tasks if samples else ():
        lines = (json.dumps(sample_line(i, doc)) for i, doc in enumerate(documents(task)))
        samples_file(folder, task).write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / f"results_{STAMP}.json"
    path.write_text(json.dumps(results_json(name, tasks, table)), encoding="utf-8")
    return path


def samples_file(folder: Path, task: str = CANONICAL) -> Path:
    return folder / f"samples_{task}_{STAMP}.jsonl"
