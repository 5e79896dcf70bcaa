"""What the persona tests share (tests/leaderboard/conftest.py makes the runs): the runs' grid,
where a task's samples are, and PCT's position of each (persona, template) by hand: the formula on
the answers read from the samples log."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from opinionbench import metrics

PERSONAS = ("base", "age=18")
LOGPROB, CLOSED_GEN, OPEN_GEN = "pct_personas_logprob", "pct_personas_closed_gen", "pct_personas_open_gen"
MAX_TOKENS = 40


def results_of(out: Path, task: str) -> Path:
    """The results file of the run under ``out`` that holds ``task``."""
    [path] = [path for path in out.rglob("results_*.json") if task in json.loads(path.read_text())["results"]]
    return path


def samples(out: Path, task: str) -> list[dict]:
    """The samples log of ``task`` (one of the runs under ``out``), one dict per document."""
    [path] = results_of(out, task).parent.glob(f"samples_{task}_*.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def record(sample: dict) -> dict:
    """The answer record lm-eval logged for the document (the value of its ``persona_shift`` key)."""
    return sample["persona_shift"]


def logprob_answer(sample: dict) -> int:
    """The most probable option in canonical order (the prompt shows them in ``display_order``)."""
    shown = [float(loglikelihood) for loglikelihood, _ in sample["filtered_resps"]]
    return sample["doc"]["display_order"][int(np.argmax(shown))]


def logged_option(sample: dict) -> int | None:
    """The option of a generated answer, as the task's answer record logged it."""
    return record(sample)["option"]


def pct_positions(logged: list[dict], answer) -> dict[str, dict[str, np.ndarray]]:
    """Per persona, per template, PCT's (econ, soc) of its answers (``answer(sample)``, by statement)."""
    answers: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [None] * 62))
    for sample in logged:
        doc = sample["doc"]
        answers[doc["persona"]][doc["template"]][doc["number"] - 1] = answer(sample)
    found = {}
    for persona, templates in answers.items():
        found[persona] = {}
        for template, given in templates.items():
            position = metrics.pct_coordinates(given)
            found[persona][template] = np.array([position.econ, position.soc])
    return found
