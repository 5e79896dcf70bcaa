"""Wahl-O-Mat (bpb) for the Bundestag elections 2002-2025, as transcribed in qual-o-mat-data.

The main file is the repository's index ``election.json``; every entry named
``Bundestagswahl`` points to a folder ``data/<year>/deutschland/`` with ``overview.json``,
``answer.json``, ``party.json``, ``statement.json``, ``opinion.json`` and, in most years,
``comment.json`` (and ``category.json`` in 2005). ``opinion.json`` holds one row per
(party, thesis) with ids into the other files; the builder joins them into one row per
thesis with every party's position and comment, one config per election.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import datasets

from opinionbench.builds import BuildResult, InstrumentConfig, instrument_build, raise_rejections
from opinionbench.cards import CardInfo, card_template
from opinionbench.errors import OpinionBenchError
from opinionbench.schema import Rejection, RowError
from opinionbench.sources import SourceSpec, Upstream, resolve_source

from ..source_records import document_fields, field, index_by_id, parse_records, read_json, read_json_array

SOURCE = SourceSpec(
    name="wahl_o_mat",
    filename="upstream/election.json",
    companions=("data/*/deutschland/*.json",),
    upstream=(
        Upstream(
            "gockelhahn/qual-o-mat-data",
            "9a3a210b93eec852cb6791d17f2685e8a32ab7ed",
            ("election.json", "data/<year>/deutschland/*.json for the Bundestag elections"),
        ),
    ),
)
BUILDER_VERSION = 1
ELECTION_NAME = "Bundestagswahl"
# answer.json's messages, in the order of the dataset's options, and the scorer's position names.
POSITIONS = {"Stimme zu": "agree", "Neutral": "neutral", "Stimme nicht zu": "disagree"}
_DATE = re.compile(r"^(?P<year>\d{4})-\d{2}-\d{2}$")

CARD = CardInfo(
    pretty_name="Wahl-O-Mat Bundestag elections 2002-2025 (OpinionBench build)",
    license="other",
    license_name="no-licence-data-belongs-to-the-parties",
    license_link="https://github.com/gockelhahn/qual-o-mat-data",
    language=["de"],
    source_datasets=["original"],
    homepage="https://www.wahl-o-mat.de",
    tags=["wahl-o-mat", "voting-advice-application", "political-bias", "german", "opinions", "alignment"],
    citation="""
@misc{qualomatdata,
  title  = {qual-o-mat-data: Wahl-O-Mat data of past elections},
  author = {gockelhahn},
  year   = {2025},
  url    = {https://github.com/gockelhahn/qual-o-mat-data},
  note   = {Commit 9a3a210b93eec852cb6791d17f2685e8a32ab7ed. Original data: Wahl-O-Mat, Bundeszentrale f{\\"u}r politische Bildung (bpb)}
}
""",
)

EXTRA_FEATURES = {
    "election": datasets.Value("string"),
    "election_date": datasets.Value("string"),
    "label": datasets.Value("string"),
    "category": datasets.Value("string"),
    "parties": datasets.List(datasets.Value("string")),
    "party_long_names": datasets.List(datasets.Value("string")),
    "party_positions": datasets.List(datasets.Value("string")),
    "party_comments": datasets.List(datasets.Value("string")),
}
EXTRA_DESCRIPTIONS = {
    "id": "stable identifier: `wahl_o_mat-<year>-<number>` (two digits at least)",
    "election": "the election, as the config name: `bundestag_<year>`",
    "election_date": "election day (YYYY-MM-DD), from `overview.json`",
    "label": "the thesis's short title (`statement.json` `label`)",
    "category": "the thesis's category (`category.json`, 2005 only); else null",
    "parties": "short names of the parties, in `party.json` order",
    "party_long_names": "full names of the parties, aligned with `parties`",
    "party_positions": "each party's position on the thesis, aligned with `parties`: `agree`, `neutral` or `disagree`",
    "party_comments": "each party's justification (German, verbatim, usually in quotation marks), aligned with "
    "`parties`; null where the party gave none or the year has no comments",
}


@dataclass(frozen=True)
class _Election:
    """An entry of ``election.json`` naming a Bundestag election."""

    config: str
    date: str
    folder: str


def build(source_path: str | Path | None = None) -> BuildResult:
    """Build the Wahl-O-Mat dataset: one config ``bundestag_<year>`` per Bundestag election
    (the newest first and default), one row per thesis."""
    path = resolve_source(SOURCE, source_path)
    label = path.name
    rejections: list[Rejection] = []
    records = read_json_array(path, label)
    elections = [election for election in parse_records(records, _parse_election, label, rejections) if election]
    elections = sorted(elections, key=lambda election: election.date, reverse=True)
    _check_unique_years(elections, label, rejections)
    if not elections and not rejections:
        raise OpinionBenchError(f"{label}: no entry is named {ELECTION_NAME!r}; nothing to build.")
    tables = {election.config: _read_election(path.parent, election, rejections) for election in elections}
    raise_rejections(SOURCE.name, rejections)

    counts = {config: _counts(items) for config, items in tables.items()}
    return instrument_build(
        SOURCE,
        path,
        {
            config: InstrumentConfig(items=items, id_prefix=f"{SOURCE.name}-{config.removeprefix('bundestag_')}")
            for config, items in tables.items()
        },
        card=CARD,
        template=card_template(__name__),
        extra_features=EXTRA_FEATURES,
        extra_descriptions=EXTRA_DESCRIPTIONS,
        card_fields={
            "n_elections": len(tables),
            "default_config": next(iter(tables)),
            "count_table": "\n".join(
                f"| `{config}` | {tables[config][0]['election_date']} | {count['theses']} | {count['parties']} | "
                f"{count['positions']} | {count['agree']} / {count['disagree']} / {count['neutral']} | "
                f"{count['comments']} |"
                for config, count in counts.items()
            ),
        },
        summary=(
            f"built {len(tables)} Bundestag elections (configs {', '.join(tables)}) from {path}",
            *(
                f"{config}: {count['theses']} theses, {count['parties']} parties, {count['positions']} party "
                f"positions ({count['agree']} agree / {count['disagree']} disagree / {count['neutral']} neutral), "
                f"{count['comments']} comments"
                for config, count in counts.items()
            ),
        ),
    )


def _parse_election(record) -> _Election | None:
    """A Bundestag entry of ``election.json``; None for the other elections it indexes."""
    name, date, folder = field(record, "name", str), field(record, "date", str), field(record, "path", str)
    field(record, "id", int)
    if name != ELECTION_NAME:
        return None
    match = _DATE.match(date)
    if not match:
        raise RowError("malformed date", f"{date!r} is not YYYY-MM-DD")
    if PurePosixPath(folder).is_absolute() or ".." in PurePosixPath(folder).parts:
        raise RowError("malformed path", f"{folder!r} is not a folder inside the repository")
    return _Election(config=f"bundestag_{match['year']}", date=date, folder=folder)


def _check_unique_years(elections: list[_Election], label: str, rejections: list[Rejection]) -> None:
    for config, count in Counter(election.config for election in elections).items():
        if count > 1:
            rejections.append(RowError("two elections in one year", f"{count} entries give {config}").at(label, config))


def _read_election(root: Path, election: _Election, rejections: list[Rejection]) -> list[dict]:
    """The rows of one election, one per thesis in ``statement.json`` order; ``[]`` when its
    files have problems (each added to ``rejections``)."""
    before = len(rejections)
    overview_label = f"{election.folder}/overview.json"
    overview = read_json(root / election.folder / "overview.json", overview_label)
    date = document_fields(overview, overview_label, {"date": str})["date"]
    if date != election.date:
        problem = RowError("date differs from election.json", f"{date!r}, but election.json gives {election.date!r}")
        rejections.append(problem.at(overview_label, "field 'date'"))

    answers = _read_table(root, election, "answer.json", _parse_answer, rejections)
    parties = _read_table(root, election, "party.json", _parse_party, rejections)
    categories = _read_table(root, election, "category.json", _parse_category, rejections, optional=True)
    statements = _read_table(
        root, election, "statement.json", lambda record: _parse_statement(record, categories), rejections
    )
    comments = _read_table(root, election, "comment.json", _parse_comment, rejections, optional=True)
    opinions = _join_opinions(root, election, parties, statements, answers, comments, rejections)
    if len(rejections) > before:
        return []
    return [
        {
            "instrument": SOURCE.name,
            "number": number,
            "statement": statement["text"],
            "options": list(POSITIONS),
            "language": "de",
            "election": election.config,
            "election_date": election.date,
            "label": statement["label"],
            "category": statement["category"],
            "parties": [party["name"] for party in parties.values()],
            "party_long_names": [party["longname"] for party in parties.values()],
            "party_positions": [opinions[party_id, statement_id]["position"] for party_id in parties],
            "party_comments": [opinions[party_id, statement_id]["comment"] for party_id in parties],
        }
        for number, (statement_id, statement) in enumerate(statements.items(), start=1)
    ]


def _read_table(
    root: Path, election: _Election, filename: str, parse, rejections: list[Rejection], *, optional: bool = False
) -> dict[int, dict]:
    """The records of one of the election's JSON arrays by id, in file order (``{}`` for an
    optional file that is absent); an empty array is a problem."""
    label = f"{election.folder}/{filename}"
    path = root / election.folder / filename
    if optional and not path.exists():
        return {}
    records = read_json_array(path, label)
    if not records:
        rejections.append(RowError("empty file", "the array has no elements").at(label, "whole file"))
    return index_by_id(parse_records(records, parse, label, rejections), records, label, rejections)


def _join_opinions(
    root: Path,
    election: _Election,
    parties: dict[int, dict],
    statements: dict[int, dict],
    answers: dict[int, dict],
    comments: dict[int, dict],
    rejections: list[Rejection],
) -> dict[tuple[int, int], dict]:
    """``(party id, statement id) -> {"position", "comment"}`` from ``opinion.json``; every pair
    must occur exactly once and every id must resolve."""
    label = f"{election.folder}/opinion.json"
    records = read_json_array(root / election.folder / "opinion.json", label)
    known = {"party": parties, "statement": statements, "answer": answers, "comment": comments}
    parsed = parse_records(records, lambda record: _parse_opinion(record, known), label, rejections)
    index_by_id(parsed, records, label, rejections)
    table, places = {}, {}
    for (location, _), opinion in zip(records, parsed):
        if opinion is None:
            continue
        pair = (opinion["party"], opinion["statement"])
        if pair in places:
            detail = f"party {pair[0]} on statement {pair[1]} is also given at {places[pair]}"
            rejections.append(RowError("duplicate opinion", detail).at(label, location))
            continue
        places[pair] = location
        table[pair] = {
            "position": answers[opinion["answer"]]["position"],
            "comment": None if opinion["comment"] is None else comments[opinion["comment"]]["text"],
        }
    for statement_id in statements:
        for party_id, party in parties.items():
            if (party_id, statement_id) not in table:
                place = f"party {party_id} ({party['name']}), statement {statement_id}"
                problem = RowError("missing opinion", "no element gives this party's position on this thesis")
                rejections.append(problem.at(label, place))
    return table


def _parse_answer(record) -> dict:
    message = field(record, "message", str)
    if message not in POSITIONS:
        raise RowError("unknown answer", f"message {message!r} is none of {list(POSITIONS)}")
    return {"id": field(record, "id", int), "position": POSITIONS[message]}


def _parse_party(record) -> dict:
    return {
        "id": field(record, "id", int),
        "name": field(record, "name", str),
        "longname": field(record, "longname", str),
    }


def _parse_category(record) -> dict:
    return {"id": field(record, "id", int), "label": field(record, "label", str)}


def _parse_statement(record, categories: dict[int, dict]) -> dict:
    category = field(record, "category", int, nullable=True)
    if category is not None and category not in categories:
        raise RowError("unknown category id", f"category {category} is not in category.json")
    return {
        "id": field(record, "id", int),
        "category": None if category is None else categories[category]["label"],
        "label": field(record, "label", str).strip(),
        "text": field(record, "text", str).strip(),
    }


def _parse_comment(record) -> dict:
    return {"id": field(record, "id", int), "text": field(record, "text", str)}


def _parse_opinion(record, known: dict[str, dict[int, dict]]) -> dict:
    opinion = {key: field(record, key, int) for key in ("id", "party", "statement", "answer")}
    opinion["comment"] = field(record, "comment", int, nullable=True)
    for key, table in known.items():
        if opinion[key] is not None and opinion[key] not in table:
            kind = "unresolvable comment id" if key == "comment" else f"unknown {key} id"
            raise RowError(kind, f"{key} {opinion[key]} is not in {key}.json")
    return opinion


def _counts(items: list[dict]) -> dict[str, int]:
    positions = Counter(position for item in items for position in item["party_positions"])
    return {
        "theses": len(items),
        "parties": len(items[0]["parties"]),
        "positions": sum(positions.values()),
        **{position: positions[position] for position in POSITIONS.values()},
        "comments": sum(comment is not None for item in items for comment in item["party_comments"]),
    }
