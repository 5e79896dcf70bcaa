"""WorldView-Bench (Mushtaq et al. 2025): 175 open-ended questions, 25 in each of 7 domains.

No official release exists; the question set is a third-party copy (``upstream/WorldView-Bench
Dataset.csv``, a wide CSV with one column per domain and cells ``"<n>. <question>"``) of unknown
licence. ``questions.jsonl`` holds the same questions in long format, one per line; every one
is checked against its cell of the CSV.
"""

from __future__ import annotations

import re
from pathlib import Path

from opinionbench.builds import BuildResult, open_ended_build, raise_rejections
from opinionbench.cards import CardInfo, card_template
from opinionbench.errors import OpinionBenchError
from opinionbench.schema import Rejection, RowError, clip, domain_slug, open_ended_id
from opinionbench.sources import SourceSpec, Upstream, resolve_source

from ..source_records import Record, field, index_by_id, parse_records, read_csv_rows, read_json_lines

UPSTREAM_FILE = "upstream/WorldView-Bench Dataset.csv"

SOURCE = SourceSpec(
    name="worldview_bench",
    filename="questions.jsonl",
    companions=(UPSTREAM_FILE,),
    upstream=(
        Upstream(
            "GabHoo/cultural_sae_exploration",
            "f19398d3eb69f77bceb8e9602e3a8ab64311bacc",
            ("data/WorldView-Bench Dataset.csv",),
        ),
    ),
)
BUILDER_VERSION = 1

# The paper's seven domains, in the order of the CSV's columns.
DOMAINS = ("Ethical / Moral", "Religious", "Lifestyle", "Cultural Norms", "Traditions", "History", "Technology")
QUESTIONS_PER_DOMAIN = 25
_CELL = re.compile(r"(\d+)\.\s+(\S.*)", re.DOTALL)

CARD = CardInfo(
    pretty_name="WorldView-Bench questions (OpinionBench build)",
    license="other",
    license_name="unknown-third-party-copy",
    license_link="README.md",
    language=["en"],
    source_datasets=["original"],
    homepage="https://arxiv.org/abs/2505.09595",
    task_categories=["text-generation"],
    tags=["worldview-bench", "cultural-perspectives", "multiplexity", "open-ended", "opinions", "alignment"],
    citation="""
@article{mushtaq2025worldviewbench,
  title   = {WorldView-Bench: A Benchmark for Evaluating Global Cultural Perspectives in Large Language Models},
  author  = {Mushtaq, Abdullah and Taj, Imran and Naeem, Rafay and Ghaznavi, Ibrahim and Qadir, Junaid},
  journal = {arXiv preprint arXiv:2505.09595},
  year    = {2025},
  url     = {https://arxiv.org/abs/2505.09595}
}
""",
)


def build(source_path: str | Path | None = None) -> BuildResult:
    """Build WorldView-Bench (config ``default``, split ``test``: one row per question)."""
    path = resolve_source(SOURCE, source_path)
    rejections: list[Rejection] = []
    records = read_json_lines(path, SOURCE.filename, rejections)
    questions = parse_records(records, _parse_question, SOURCE.filename, rejections)
    index_by_id(questions, records, SOURCE.filename, rejections)
    located = _by_domain_and_number(records, questions)
    _check_domains(located, rejections)
    _check_upstream(path.parent, located, rejections)
    raise_rejections(
        SOURCE.name, rejections, reason="WorldView-Bench's score pools the answers to every question of every domain"
    )

    items = [
        {
            "domain": question["domain"],
            "domain_slug": question["domain_slug"],
            "number": question["number"],
            "question": question["question"],
            "language": "en",
        }
        for question in questions
    ]
    return open_ended_build(
        SOURCE,
        path,
        items,
        card=CARD,
        template=card_template(__name__),
        extra_features={},
        extra_descriptions={},
        card_fields={"n_domains": len(DOMAINS), "n_per_domain": QUESTIONS_PER_DOMAIN},
        summary=(
            f"built {len(items)} questions ({len(DOMAINS)} domains x {QUESTIONS_PER_DOMAIN}) from {path}",
            f"every question equals its cell of {UPSTREAM_FILE}",
        ),
    )


def _parse_question(record) -> dict:
    question = {
        "id": field(record, "id", str),
        "domain": field(record, "domain", str),
        "domain_slug": field(record, "domain_slug", str),
        "number": field(record, "number", int),
        "question": field(record, "question", str).strip(),
    }
    if question["domain"] not in DOMAINS:
        raise RowError("unknown domain", f"{clip(question['domain'])} is none of {list(DOMAINS)}")
    slug = domain_slug(question["domain"])
    if question["domain_slug"] != slug:
        raise RowError(
            "inconsistent domain_slug", f"'domain_slug' is {question['domain_slug']!r}, but the domain gives {slug!r}"
        )
    if not 1 <= question["number"] <= QUESTIONS_PER_DOMAIN:
        raise RowError("number out of range", f"'number' is {question['number']}, expected 1-{QUESTIONS_PER_DOMAIN}")
    expected = open_ended_id(slug, question["number"])
    if question["id"] != expected:
        raise RowError("inconsistent id", f"'id' is {question['id']!r}, but domain_slug and number give {expected!r}")
    return question


def _by_domain_and_number(records: list[Record], questions: list[dict | None]) -> dict[tuple[str, int], tuple]:
    """``(domain, number) -> (location, question)`` of the parsed questions (a repeat keeps the first)."""
    located: dict[tuple[str, int], tuple] = {}
    for (location, _), question in zip(records, questions):
        if question is not None:
            located.setdefault((question["domain"], question["number"]), (location, question))
    return located


def _check_domains(located: dict[tuple[str, int], tuple], rejections: list[Rejection]) -> None:
    """Every domain must have its questions 1-25."""
    for domain in DOMAINS:
        missing = [n for n in range(1, QUESTIONS_PER_DOMAIN + 1) if (domain, n) not in located]
        if missing:
            problem = RowError(
                "incomplete domain",
                f"{QUESTIONS_PER_DOMAIN - len(missing)} questions, expected {QUESTIONS_PER_DOMAIN}; "
                f"missing {', '.join(f'#{n}' for n in missing)}",
            )
            rejections.append(problem.at(SOURCE.filename, f"domain {domain!r}"))


def _check_upstream(folder: Path, located: dict[tuple[str, int], tuple], rejections: list[Rejection]) -> None:
    """Row n of the upstream CSV reads ``"<n>. <question>"`` in every domain's column, with the
    question of that domain and number; and every question has its cell."""
    rows = read_csv_rows(folder / UPSTREAM_FILE, UPSTREAM_FILE, DOMAINS)
    if rows and list(rows[0][1]) != list(DOMAINS):
        raise OpinionBenchError(f"{UPSTREAM_FILE}: the header is {list(rows[0][1])}, expected {list(DOMAINS)}.")
    covered = set()
    for row_number, (location, row) in enumerate(rows, start=1):
        for domain in DOMAINS:
            try:
                number, text = _parse_cell(row[domain], row_number)
                covered.add((domain, number))
                _compare(text, domain, number, located)
            except RowError as err:
                rejections.append(err.at(UPSTREAM_FILE, f"{location}, column {domain!r}"))
    for key, (location, question) in located.items():
        if key not in covered:
            problem = RowError(
                "not in the upstream CSV",
                f"{question['id']}: no cell numbered {question['number']} in the column {question['domain']!r} "
                f"of {UPSTREAM_FILE}",
            )
            rejections.append(problem.at(SOURCE.filename, location))


def _parse_cell(cell: str, row_number: int) -> tuple[int, str]:
    """The number and question of a cell ``"<n>. <question>"`` in data row ``n``."""
    match = _CELL.fullmatch(cell.strip())
    if match is None:
        raise RowError("malformed cell", f"{clip(cell)} does not read '<n>. <question>'")
    number = int(match[1])
    if number != row_number:
        raise RowError("numbering differs from the row", f"the cell is numbered {number}, expected {row_number}")
    return number, match[2].strip()


def _compare(text: str, domain: str, number: int, located: dict[tuple[str, int], tuple]) -> None:
    """A cell's question must equal the one of its domain and number in ``questions.jsonl``. A question
    1-25 that file lacks is no further rejection: :func:`_check_domains` has rejected its domain."""
    if (domain, number) not in located:
        if number > QUESTIONS_PER_DOMAIN:
            raise RowError(
                "not in the questions file",
                f"{SOURCE.filename} has no question #{number}: a domain has {QUESTIONS_PER_DOMAIN}",
            )
        return
    location, question = located[(domain, number)]
    if text != question["question"]:
        raise RowError(
            "question differs from the questions file",
            f"the cell reads {clip(text, 200)}, but {SOURCE.filename} {location} ({question['id']}) reads "
            f"{clip(question['question'], 200)}",
        )
