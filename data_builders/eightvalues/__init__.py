"""8values (8values.github.io): 70 questions, each moving up to four axes, and 52 ideologies.

``questions.jsonl`` holds the questions in quiz order with their integer effect per axis;
``ideologies.jsonl`` the ideologies with their 0-100 position per axis; ``scoring.json`` the
answer scale with its multipliers and, per axis, the maximum ``Σ|effect|`` the site divides
by (checked here against the questions).
"""

from __future__ import annotations

from pathlib import Path

import datasets

from opinionbench.builds import BuildResult, InstrumentConfig, instrument_build, raise_rejections
from opinionbench.cards import CardInfo, card_template
from opinionbench.schema import Rejection, RowError
from opinionbench.sources import SourceSpec, Upstream, resolve_source

from ..source_records import answer_scale, document_fields, field, read_json, read_numbered_json_lines

IDEOLOGIES_FILE = "ideologies.jsonl"
SCORING_FILE = "scoring.json"

SOURCE = SourceSpec(
    name="eightvalues",
    filename="questions.jsonl",
    companions=(IDEOLOGIES_FILE, SCORING_FILE),
    upstream=(
        Upstream(
            "8values/8values.github.io",
            "3971ed8bc0c3dda18f9b001013327f382343b74f",
            ("questions.js", "ideologies.js", "quiz.html and results.html: scoring"),
        ),
    ),
)
BUILDER_VERSION = 1
AXES = ("econ", "dipl", "govt", "scty")
N_ANSWERS = 5  # the site's answer buttons

CARD = CardInfo(
    pretty_name="8values questions and ideologies (OpinionBench build)",
    license="mit",
    language=["en"],
    source_datasets=["original"],
    homepage="https://8values.github.io",
    tags=["8values", "political-bias", "questionnaire", "opinions", "alignment"],
    citation="""
@misc{8values,
  title  = {8values},
  author = {{8values}},
  year   = {2017},
  url    = {https://github.com/8values/8values.github.io},
  note   = {Commit 3971ed8bc0c3dda18f9b001013327f382343b74f; MIT licence}
}
""",
)

EXTRA_FEATURES = {
    "multipliers": datasets.List(datasets.Value("float64")),
    **{f"{axis}_effect": datasets.Value("int64") for axis in AXES},
}
IDEOLOGY_FEATURES = datasets.Features(
    {
        "index": datasets.Value("int64"),
        "name": datasets.Value("string"),
        **{axis: datasets.Value("float64") for axis in AXES},
    }
)
POLES = {
    "econ": ("economic", "Equality", "Markets"),
    "dipl": ("diplomatic", "World", "Nation"),
    "govt": ("civil", "Liberty", "Authority"),
    "scty": ("societal", "Progress", "Tradition"),
}
EXTRA_DESCRIPTIONS = {
    "multipliers": "the site's multiplier of each answer, aligned with `options` (1, 0.5, 0, -0.5, -1)",
    **{
        f"{axis}_effect": f"effect on the {name} axis; positive pushes toward {high}, negative toward {low}"
        for axis, (name, high, low) in POLES.items()
    },
    "index": "position in the site's ideology list (0-based); ties in the closest-ideology search go to the lower",
    "name": "ideology name",
    **{axis: f"the ideology's {name} score, 0-100 % {high}" for axis, (name, high, _) in POLES.items()},
}


def build(source_path: str | Path | None = None) -> BuildResult:
    """Build 8values: config ``questions`` (default; one row per question) and ``ideologies``."""
    path = resolve_source(SOURCE, source_path)
    rejections: list[Rejection] = []
    questions = read_numbered_json_lines(path, path.name, _parse_question, rejections, key="index", first=0)
    ideologies = read_numbered_json_lines(
        path.parent / IDEOLOGIES_FILE,
        IDEOLOGIES_FILE,
        _parse_ideology,
        rejections,
        key="index",
        first=0,
        unique=("name",),
    )

    scoring = read_json(path.parent / SCORING_FILE, SCORING_FILE)
    options, multipliers = answer_scale(scoring, SCORING_FILE, "multiplier", size=N_ANSWERS)
    maxima = document_fields(scoring, SCORING_FILE, {"max_abs_sum_per_axis": dict})["max_abs_sum_per_axis"]
    if not rejections:  # the maxima are checked against every question, so all must have parsed
        _check_maxima(maxima, questions, rejections)
    raise_rejections(SOURCE.name, rejections)

    items = [
        {
            "instrument": SOURCE.name,
            "number": question["index"] + 1,
            "statement": question["question"],
            "options": options,
            "language": "en",
            "multipliers": multipliers,
            **{f"{axis}_effect": question["effect"][axis] for axis in AXES},
        }
        for question in questions
    ]
    ideology_table = datasets.Dataset.from_list(ideologies, features=IDEOLOGY_FEATURES)
    return instrument_build(
        SOURCE,
        path,
        {"questions": InstrumentConfig(items=items, id_prefix=SOURCE.name)},
        tables={"ideologies": ideology_table},
        card=CARD,
        template=card_template(__name__),
        extra_features=EXTRA_FEATURES,
        extra_descriptions=EXTRA_DESCRIPTIONS,
        card_fields={
            "n_questions": len(items),
            "n_ideologies": len(ideologies),
            "maxima": ", ".join(f"{axis} {maxima[axis]}" for axis in AXES),
            "moving": ", ".join(f"{axis} {sum(item[f'{axis}_effect'] != 0 for item in items)}" for axis in AXES),
        },
        summary=(f"built {len(items)} questions and {len(ideologies)} ideologies from {path}",),
    )


def _parse_question(record) -> dict:
    effect = field(record, "effect", dict)
    return {
        "index": field(record, "index", int),
        "question": field(record, "question", str).strip(),
        "effect": {axis: field(effect, axis, int) for axis in AXES},
    }


def _parse_ideology(record) -> dict:
    stats = field(record, "stats", dict)
    return {
        "index": field(record, "index", int),
        "name": field(record, "name", str).strip(),
        **{axis: _score(field(stats, axis, float), axis) for axis in AXES},
    }


def _score(value: float, axis: str) -> float:
    if not 0 <= value <= 100:
        raise RowError("score out of range", f"{axis!r} is {value:g}, expected 0-100")
    return value


def _check_maxima(maxima: dict, questions: list[dict], rejections: list[Rejection]) -> None:
    """The site's per-axis maximum must be Σ|effect| over all questions."""
    for axis in AXES:
        computed = sum(abs(question["effect"][axis]) for question in questions)
        if maxima.get(axis) != computed:
            problem = RowError(
                "maximum differs from the questions", f"{maxima.get(axis)!r}, but Σ|effect| is {computed}"
            )
            rejections.append(problem.at(SCORING_FILE, f"max_abs_sum_per_axis.{axis}"))
