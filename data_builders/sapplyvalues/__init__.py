"""SapplyValues (sapplyvalues.github.io): 46 questions, each moving one of three axes by ±1.

``questions.jsonl`` holds the questions in site order (``id`` 0-45), each with ``effects``
naming exactly one axis (``right``, ``auth`` or ``prog``) and its sign; ``scoring.json``
the answer scale with the value of each answer.
"""

from __future__ import annotations

from pathlib import Path

import datasets

from opinionbench.builds import BuildResult, InstrumentConfig, instrument_build, raise_rejections
from opinionbench.cards import CardInfo, card_template
from opinionbench.schema import Rejection, RowError
from opinionbench.sources import SourceSpec, Upstream, resolve_source

from ..source_records import answer_scale, field, read_json, read_numbered_json_lines

SCORING_FILE = "scoring.json"

SOURCE = SourceSpec(
    name="sapplyvalues",
    filename="questions.jsonl",
    companions=(SCORING_FILE,),
    upstream=(
        Upstream(
            "SapplyValues/SapplyValues.github.io",
            "cf2554cb77424d42bc6cea6ad59861564e0a653f",
            ("questions.js", "quiz.html and results.html: scoring"),
        ),
    ),
)
BUILDER_VERSION = 1
N_ANSWERS = 5  # the site's answer buttons
AXES = {"right": "Left (-10) / Right (+10)", "auth": "Lib (-10) / Auth (+10)", "prog": "Con (-10) / Prog (+10)"}

CARD = CardInfo(
    pretty_name="SapplyValues questions (OpinionBench build)",
    license="mit",
    language=["en"],
    source_datasets=["original"],
    homepage="https://sapplyvalues.github.io",
    tags=["sapplyvalues", "political-bias", "questionnaire", "opinions", "alignment"],
    citation="""
@misc{sapplyvalues,
  title  = {SapplyValues},
  author = {{SapplyValues}},
  year   = {2021},
  url    = {https://github.com/SapplyValues/SapplyValues.github.io},
  note   = {Commit cf2554cb77424d42bc6cea6ad59861564e0a653f; MIT licence}
}
""",
)

EXTRA_FEATURES = {
    "answer_values": datasets.List(datasets.Value("float64")),
    "axis": datasets.Value("string"),
    "effect": datasets.Value("int64"),
}
EXTRA_DESCRIPTIONS = {
    "answer_values": "the site's value of each answer, aligned with `options` (1, 0.5, 0, -0.5, -1)",
    "axis": "the one axis the question moves: `right` (x), `auth` (y) or `prog` (z)",
    "effect": "+1 or -1: the sign with which agreement moves `axis`",
}


def build(source_path: str | Path | None = None) -> BuildResult:
    """Build SapplyValues (config ``default``, split ``test``: one row per question)."""
    path = resolve_source(SOURCE, source_path)
    rejections: list[Rejection] = []
    questions = read_numbered_json_lines(path, path.name, _parse_question, rejections, key="id", first=0)
    options, values = answer_scale(
        read_json(path.parent / SCORING_FILE, SCORING_FILE), SCORING_FILE, "value", size=N_ANSWERS
    )
    raise_rejections(SOURCE.name, rejections)

    items = [
        {
            "instrument": SOURCE.name,
            "number": question["id"] + 1,
            "statement": question["question"],
            "options": options,
            "language": "en",
            "answer_values": values,
            "axis": question["axis"],
            "effect": question["effect"],
        }
        for question in questions
    ]
    per_axis = {
        axis: [sum(item["axis"] == axis and item["effect"] == sign for item in items) for sign in (1, -1)]
        for axis in AXES
    }
    return instrument_build(
        SOURCE,
        path,
        {"default": InstrumentConfig(items=items, id_prefix=SOURCE.name)},
        card=CARD,
        template=card_template(__name__),
        extra_features=EXTRA_FEATURES,
        extra_descriptions=EXTRA_DESCRIPTIONS,
        card_fields={
            "axis_table": "\n".join(
                f"| `{axis}` | {AXES[axis]} | {plus + minus} | {plus} | {minus} |"
                for axis, (plus, minus) in per_axis.items()
            ),
        },
        summary=(f"built {len(items)} questions from {path}",),
    )


def _parse_question(record) -> dict:
    effects = field(record, "effects", dict)
    if len(effects) != 1 or next(iter(effects)) not in AXES:
        raise RowError("malformed effects", f"{effects!r} does not name exactly one of the axes {list(AXES)}")
    axis = next(iter(effects))
    effect = field(effects, axis, int)
    if effect not in (1, -1):
        raise RowError("malformed effects", f"{axis!r} is {effect}, expected +1 or -1")
    return {
        "id": field(record, "id", int),
        "question": field(record, "question", str).strip(),
        "axis": axis,
        "effect": effect,
    }
