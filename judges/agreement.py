"""How far a judge can be trusted: its answer-level agreement with hand labels.

Two hand-labelled sets ship with OpinionBench (:data:`SHIPPED_SETS`), both labelled with the
perspectives of the default list:

- ``labelled_answers.jsonl``: 54 short answers to WorldView-Bench questions, written for this
  purpose: 27 that draw on one perspective (3 each), 18 on two or three, 9 on none;
- ``labelled_model_sentences.jsonl``: 80 sentences of the bundled SmolLM2-135M's answers to
  WorldView-Bench (baseline and multiplexity prompt) that the embedding judge counted as
  references, each labelled with the perspective it really draws on, or none (59 of them).

A judge "gives" an answer (or sentence) a perspective when it finds at least one reference to it there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.metrics import judge_agreement

from .references import PerspectiveJudge

SHIPPED_SETS = {
    "answers written and labelled by hand": "labelled_answers.jsonl",
    "sentences of SmolLM2-135M's answers, labelled by hand": "labelled_model_sentences.jsonl",
}


@dataclass(frozen=True)
class LabelledAnswer:
    """A hand-labelled answer: the question, the answer and the perspectives it draws on."""

    id: str
    question: str
    answer: str
    perspectives: frozenset[str]


def shipped_set(file_name: str) -> Path:
    """The path of a shipped labelled set (a file name in :data:`SHIPPED_SETS`)."""
    return Path(str(resources.files(__package__).joinpath(file_name)))


def load_labelled_answers(path: str | Path, *, perspectives: list[str]) -> list[LabelledAnswer]:
    """The labelled answers in the JSON Lines file ``path``; a malformed line or a label outside
    ``perspectives`` is an error naming the file and line."""
    label, source = str(path), Path(path)
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise OpinionBenchError(f"{label}: cannot be read ({err.strerror}).") from None
    answers = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            answers.append(_parse(line, f"{label}: line {number}", set(perspectives)))
    if not answers:
        raise OpinionBenchError(f"{label}: holds no labelled answers.")
    return answers


def _parse(line: str, where: str, known: set[str]) -> LabelledAnswer:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise OpinionBenchError(f"{where}: not valid JSON ({err.msg}).") from None
    texts = {key: record.get(key) if isinstance(record, dict) else None for key in ("id", "question", "answer")}
    labels = record.get("perspectives") if isinstance(record, dict) else None
    if not all(isinstance(text, str) and text.strip() for text in texts.values()) or not isinstance(labels, list):
        raise OpinionBenchError(f"{where}: needs the texts 'id', 'question', 'answer' and a 'perspectives' array.")
    unknown = sorted(set(map(str, labels)) - known)
    if unknown:
        raise OpinionBenchError(f"{where}: labels {unknown} are not perspectives of the judge's list {sorted(known)}.")
    return LabelledAnswer(texts["id"], texts["question"], texts["answer"], frozenset(labels))


def judged_perspectives(judge: PerspectiveJudge, answers: list[LabelledAnswer]) -> list[set[str]]:
    """Per answer, the perspectives the judge finds at least one reference to."""
    return [{reference.perspective for reference in judge.references(a.question, a.answer, item=a.id)} for a in answers]


@dataclass(frozen=True)
class AgreementCheck:
    """A judge's agreement with the labelled answers: per perspective and answer by answer."""

    per_perspective: dict[str, dict[str, float]]
    exact_match: float
    n_answers: int

    def rows(self) -> list[dict]:
        return [{"perspective": name, **values} for name, values in self.per_perspective.items()]


def check_agreement(judge: PerspectiveJudge, answers: list[LabelledAnswer], names: list[str]) -> AgreementCheck:
    """Precision and recall per perspective (:func:`opinionbench.metrics.judge_agreement`) and the
    share of answers whose judged set equals the hand-labelled set."""
    predicted = judged_perspectives(judge, answers)
    gold = [set(answer.perspectives) for answer in answers]
    exact = sum(p == g for p, g in zip(predicted, gold)) / len(answers)
    return AgreementCheck(judge_agreement(predicted, gold, names), exact, len(answers))


def per_batch(agreement, predicted: list, gold: list, batches: list[str | None]) -> dict[str, dict]:
    """``agreement(predicted, gold)`` of every batch of a labelled set (items without one left out),
    in first-seen order."""
    found = {}
    for batch in dict.fromkeys(batch for batch in batches if batch):
        chosen = [(p, g) for p, g, b in zip(predicted, gold, batches) if b == batch]
        found[batch] = agreement([p for p, _ in chosen], [g for _, g in chosen])
    return found


def judge_description(judge, offline: dict) -> dict:
    """What decided a check's verdicts: ``offline`` for no ``judge``, else the ``describe()`` of the
    object whose bound method ``judge`` is (any other callable by its repr)."""
    if judge is None:
        return offline
    owner = getattr(judge, "__self__", None)
    return owner.describe() if hasattr(owner, "describe") else {"kind": "callable", "name": repr(judge)}
