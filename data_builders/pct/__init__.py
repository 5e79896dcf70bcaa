"""Political Compass Test (politicalcompass.org): 62 propositions with the per-answer weights
of an unofficial, reverse-engineered reimplementation of its scoring.

The main file ``pct_propositions.jsonl`` holds the propositions in official order;
``pct_scoring.json`` the answer scale and, per proposition and answer, the integer weights
on the economic and social axes. The proposition texts are checked against two verbatim
upstream copies: Röttger et al.'s ``pct_propositions.csv`` (current wording) and PoliLean's
``example.jsonl`` (the wording before 2024, which differs for #50 only).
"""

from __future__ import annotations

from pathlib import Path

import datasets

from opinionbench.builds import BuildResult, InstrumentConfig, instrument_build, raise_rejections
from opinionbench.cards import CardInfo, card_template
from opinionbench.errors import OpinionBenchError
from opinionbench.schema import Rejection, RowError, clip
from opinionbench.sources import SourceSpec, Upstream, resolve_source

from ..source_records import (
    answer_scale,
    document_fields,
    field,
    read_csv_rows,
    read_json,
    read_json_array,
    read_numbered_json_lines,
)

SCORING_FILE = "pct_scoring.json"
ROTTGER_FILE = "upstream/rottger_llm-values-pct/pct_propositions.csv"
POLILEAN_FILE = "upstream/bunsenfeng_polilean/example.jsonl"  # one JSON array despite its name

SOURCE = SourceSpec(
    name="pct",
    filename="pct_propositions.jsonl",
    companions=(SCORING_FILE, ROTTGER_FILE, POLILEAN_FILE),
    upstream=(
        Upstream(
            "politicalcompass/politicalcompass.github.io",
            "7019e5c26ad24e9acd1100c3cba27a44004afe76",
            ("index.html: propositions", "js/script.js: econv/socv weights, offsets, divisors"),
        ),
        Upstream(
            "paul-rottger/llm-values-pct",
            "b4e5d89a83eb39c1806133e3c3b124f4c90ed40d",
            ("data/templates/pct_propositions.csv",),
        ),
        Upstream(
            "BunsenFeng/PoliLean",
            "5461fbd38dbe969defefe2fbeca92381253a6a48",
            ("step3_testing.py: site keys and pages", "response/example.jsonl: pre-2024 wording"),
        ),
        Upstream(
            "copenlu/llm-pct-tropes",
            "5d515ff675f4d0aa09ae3a69ea0c7c9b32a2e301",
            ("data/political_compass/question_category_mapping.json: page names",),
        ),
    ),
)
BUILDER_VERSION = 1

CARD = CardInfo(
    pretty_name="Political Compass Test propositions (OpinionBench build)",
    license="other",
    license_name="no-open-licence-property-of-the-political-compass",
    license_link="https://www.politicalcompass.org/test",
    language=["en"],
    source_datasets=["original"],
    homepage="https://www.politicalcompass.org/test",
    task_categories=["question-answering"],
    tags=["political-compass", "political-bias", "questionnaire", "opinions", "alignment"],
    citation="""
@inproceedings{rottger2024political,
  title     = {Political Compass or Spinning Arrow? Towards More Meaningful Evaluations for Values and Opinions in Large Language Models},
  author    = {R{\\"o}ttger, Paul and Hofmann, Valentin and Pyatkin, Valentina and Hinck, Musashi and Kirk, Hannah Rose and Sch{\\"u}tze, Hinrich and Hovy, Dirk},
  booktitle = {Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics (ACL)},
  year      = {2024}
}
""",
)

EXTRA_FEATURES = {
    "econ_weights": datasets.List(datasets.Value("int64")),
    "soc_weights": datasets.List(datasets.Value("int64")),
    "page": datasets.Value("int64"),
    "page_name": datasets.Value("string"),
    "site_key": datasets.Value("string"),
    "source_id": datasets.Value("string"),
    "statement_pre_2024": datasets.Value("string"),
}
EXTRA_DESCRIPTIONS = {
    "econ_weights": "economic-axis weight of each answer, aligned with `options` (unofficial reimplementation)",
    "soc_weights": "social-axis weight of each answer, aligned with `options` (unofficial reimplementation)",
    "page": "page of the official test (1-6) the proposition is on",
    "page_name": "name of that page (Country and World, Economy, Social Values, Wider Society, Religion, Sex)",
    "site_key": "name of the proposition's radio buttons on politicalcompass.org/test",
    "source_id": "Röttger et al.'s proposition id (`pc-01` ... `pc-62`)",
    "statement_pre_2024": "the wording before the official site's 2024 revision, where it differs (#50); else null",
}
AXES = ("econ", "soc")
N_ANSWERS = 4  # the site's answer buttons


def build(source_path: str | Path | None = None) -> BuildResult:
    """Build the PCT dataset (config ``default``, split ``test``: one row per proposition)."""
    path = resolve_source(SOURCE, source_path)
    folder = path.parent
    rejections: list[Rejection] = []
    propositions = read_numbered_json_lines(path, path.name, _parse_proposition, rejections, key="number", first=1)

    scoring = read_json(folder / SCORING_FILE, SCORING_FILE)
    options, codes = answer_scale(scoring, SCORING_FILE, "index", size=N_ANSWERS)
    if codes != list(range(len(options))):
        raise OpinionBenchError(f"{SCORING_FILE}: answer_scale indices are {codes}, expected 0..{len(options) - 1}.")
    constants = document_fields(scoring, SCORING_FILE, {f"{a}_{p}": float for a in AXES for p in ("offset", "divisor")})
    weights = {axis: _weights(scoring, axis, len(propositions), len(options), rejections) for axis in AXES}
    _check_texts(folder, propositions, rejections)
    raise_rejections(SOURCE.name, rejections)

    items = [
        {
            "instrument": SOURCE.name,
            "number": proposition["number"],
            "statement": proposition["text"],
            "options": options,
            "language": "en",
            "econ_weights": weights["econ"][position],
            "soc_weights": weights["soc"][position],
            "page": proposition["page"],
            "page_name": proposition["page_name"],
            "site_key": proposition["site_key"],
            "source_id": proposition["id"],
            "statement_pre_2024": proposition["text_pre_2024"],
        }
        for position, proposition in enumerate(propositions)
    ]
    return instrument_build(
        SOURCE,
        path,
        {"default": InstrumentConfig(items=items, id_prefix=SOURCE.name)},
        card=CARD,
        template=card_template(__name__),
        extra_features=EXTRA_FEATURES,
        extra_descriptions=EXTRA_DESCRIPTIONS,
        card_fields={
            **constants,
            "n_econ_only": sum(any(item["econ_weights"]) and not any(item["soc_weights"]) for item in items),
            "n_soc_only": sum(any(item["soc_weights"]) and not any(item["econ_weights"]) for item in items),
            "unscored": _numbers(item for item in items if not any(item["econ_weights"] + item["soc_weights"])),
            "reworded": _numbers(item for item in items if item["statement_pre_2024"]),
        },
        summary=(f"built {len(items)} propositions from {path}",),
    )


def _numbers(items) -> str:
    """``"2 (#5, #9)"``: how many items, and their numbers."""
    numbers = [f"#{item['number']}" for item in items]
    return f"{len(numbers)} ({', '.join(numbers)})" if numbers else "0"


def _parse_proposition(record) -> dict:
    number, index = field(record, "number", int), field(record, "index", int)
    if index != number - 1:
        raise RowError("inconsistent numbering", f"'index' is {index}, but 'number' is {number}")
    return {
        "number": number,
        "id": field(record, "id", str),
        "site_key": field(record, "site_key", str),
        "page": field(record, "page", int),
        "page_name": field(record, "page_name", str),
        "text": field(record, "text", str).strip(),
        "text_pre_2024": field(record, "text_pre_2024", str).strip() if "text_pre_2024" in record else None,
    }


def _weights(scoring: dict, axis: str, n_propositions: int, n_options: int, rejections: list[Rejection]):
    """The ``<axis>_weights`` matrix: one row of ``n_options`` integers per proposition."""
    key = f"{axis}_weights"
    matrix = document_fields(scoring, SCORING_FILE, {key: list})[key]
    if len(matrix) != n_propositions:
        raise OpinionBenchError(
            f"{SCORING_FILE}: {key!r} has {len(matrix)} rows, expected one per proposition ({n_propositions})."
        )
    for row_index, row in enumerate(matrix):
        if not (isinstance(row, list) and len(row) == n_options and all(type(w) is int for w in row)):
            problem = RowError("malformed weights", f"{clip(str(row))} is not a list of {n_options} integers")
            rejections.append(problem.at(SCORING_FILE, f"{key} row {row_index} (proposition #{row_index + 1})"))
    return matrix


def _check_texts(folder: Path, propositions: list[dict | None], rejections: list[Rejection]) -> None:
    """Each proposition's id and text equal Röttger's row; its pre-2024 text (else its text) PoliLean's."""
    rottger = read_csv_rows(folder / ROTTGER_FILE, ROTTGER_FILE, ("pct_id", "pct_prompt"))
    polilean = read_json_array(folder / POLILEAN_FILE, POLILEAN_FILE)
    for label, reference in ((ROTTGER_FILE, rottger), (POLILEAN_FILE, polilean)):
        if len(reference) != len(propositions):
            raise OpinionBenchError(
                f"{label}: {len(reference)} propositions, but {SOURCE.filename} has {len(propositions)}."
            )
    for proposition, (location, row), (element, statement) in zip(propositions, rottger, polilean):
        if proposition is None:
            continue
        expected = {"pct_id": proposition["id"], "pct_prompt": proposition["text"]}
        for column, value in expected.items():
            if row[column].strip() != value:
                rejections.append(_mismatch(column, row[column], value, proposition).at(ROTTGER_FILE, location))
        old_text = proposition["text_pre_2024"] or proposition["text"]
        try:
            if field(statement, "statement", str).strip() != old_text:
                raise _mismatch("statement", statement["statement"], old_text, proposition)
        except RowError as err:
            rejections.append(err.at(POLILEAN_FILE, element))


def _mismatch(column: str, found: str, expected: str, proposition: dict) -> RowError:
    return RowError(
        "text differs from the propositions file",
        f"{column} is {clip(found)}, but {SOURCE.filename} #{proposition['number']} has {clip(expected)}",
    )
