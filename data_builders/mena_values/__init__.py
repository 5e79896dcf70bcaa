"""MENAValues (Zahraei & Asgari 2025): 864 survey items, answer distributions for 16 MENA countries.

The source is one spreadsheet whose columns are items and whose rows are item
attributes followed by one row per country. A country cell reads
``"(reference, {'code': 'pct%', ...})"``; ``"(No data, {})"``, ``"(No values <= k, {})"``
and empty cells mean the country has no data for the item.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import datasets

from opinionbench.builds import BuildResult, distribution_build
from opinionbench.cards import CardInfo, card_template
from opinionbench.errors import OpinionBenchError
from opinionbench.schema import (
    Rejection,
    RowError,
    clip,
    normalise_shares,
    parse_literal,
)
from opinionbench.sources import SourceSpec, resolve_source

from ..source_records import MAX_OPTIONS
from .translations import (
    LANGUAGES,
    SHIPPED_ORIGIN,
    merge_translations,
    origin_of,
    read_translations,
    shipped_translations_file,
    translations_file,
)

SOURCE = SourceSpec(
    name="mena_values",
    filename="MenaValues Benchmark.xlsx",
    hub_repo="llm-lab/MENA_VALUES_Benchmark",
    hub_filename="MENA VALUES Benchmark.xlsx",
    hub_revision="43bdb1b77d3ed2cbbd957a0d3a976d986fdfebcc",
    checksum=("sha256", "2718515b77fbc0ef78f3be205df82b58374d931efad5fe633f28bd0e7a8461a9"),
)
BUILDER_VERSION = 3

# Percentages are given to 0.01 points; real cells sum to 100 within 0.04 points.
SUM_TOLERANCE = 0.001
ITEM_ROWS = ("Source", "Sub Question", "Min", "MAX", "Scale", "Category", "Sub Category", "Full Question")
SCALE_TYPES = {"y": "ordinal", "n": "nominal", "s": "special"}
NOT_APPLICABLE_CODE = 0

_CELL = re.compile(r"^\((?P<reference>.*?), (?P<shares>\{.*\})\)$", re.DOTALL)
_MISSING_REFERENCE = re.compile(r"^(No data|No values <= \d+)$")
_PERCENT = re.compile(r"^(?P<value>[0-9]+(?:\.[0-9]+)?)%$")

CARD = CardInfo(
    pretty_name="MENAValues (OpinionBench build)",
    license="cc-by-4.0",
    language=["en", "ar", "fa", "tr"],
    source_datasets=["llm-lab/MENA_VALUES_Benchmark"],
    homepage="https://github.com/llm-lab-org/MENA-Values-Benchmark-Evaluating-Cultural-Alignment-and-Multilingual-Bias-in-Large-Language-Models",
    citation="""
@article{zahraei2025menavalues,
  title   = {I Am Aligned, But With Whom? MENA Values Benchmark for Evaluating Cultural Alignment and Multilingual Bias in LLMs},
  author  = {Zahraei, Pardis Sadat and Asgari, Ehsaneddin},
  journal = {arXiv preprint arXiv:2510.13154},
  year    = {2025}
}
""",
)

EXTRA_FEATURES = {
    "survey": datasets.Value("string"),
    "sub_question": datasets.Value("string"),
    "category": datasets.Value("string"),
    "sub_category": datasets.Value("string"),
    "scale_type": datasets.Value("string"),
    "scale_min": datasets.Value("int64"),
    "scale_max": datasets.Value("int64"),
    "reference_values": datasets.List(datasets.Value("float64")),
    "source_column": datasets.Value("string"),
    "native_questions": datasets.List(
        {"language": datasets.Value("string"), "question": datasets.Value("string"), "origin": datasets.Value("string")}
    ),
}
EXTRA_DESCRIPTIONS = {
    "survey": "`WVS 7` (World Values Survey wave 7) or `The 2022 Arab Opinion Index`",
    "sub_question": "WVS variable and label (e.g. `Q1: Important in life: Family`); empty for Arab Opinion Index items",
    "category": "MENAValues category",
    "sub_category": "MENAValues sub-category",
    "scale_type": "`ordinal` (source flag `y`), `nominal` (`n`) or `special` (`s`, one item, scored as ordinal)",
    "scale_min": "lowest substantive answer code (source row `Min`)",
    "scale_max": "highest substantive answer code (source row `MAX`)",
    "reference_values": "per group, the source's reference value: the population mean for ordinal items, "
    "the modal code for nominal items",
    "source_column": "spreadsheet column of the item in the source file",
    "native_questions": "the question in Arabic (`ar`), Persian (`fa`) or Turkish (`tr`) where a translation exists: "
    "`origin` is `opinionbench` (this project's own translation), `file:<name>` or the `hf://` URL it was read from",
}


@dataclass(frozen=True)
class _Sheet:
    """The spreadsheet read into plain values, with the row of every label."""

    file: str
    rows: list[tuple]
    item_row: dict[str, int]
    country_rows: list[tuple[int, str]]

    def cell(self, row: int, column: int):
        values = self.rows[row]
        return values[column] if column < len(values) else None


def build(source_path: str | Path | None = None, *, translations: str | Path | None = None) -> BuildResult:
    """Build the MENAValues distribution dataset (split ``test``) from the source spreadsheet.

    Native-language questions come from OpinionBench's shipped translations, replaced item by
    item by ``translations`` (a JSONL/CSV file or an ``hf://datasets/...`` URL; see
    :mod:`.mena_translations`).
    """
    path = resolve_source(SOURCE, source_path)
    sheet = _read_sheet(path)
    rejections: list[Rejection] = []
    items = []
    n_columns = max(len(row) for row in sheet.rows)
    for column in range(1, n_columns):
        try:
            items.append(_parse_item(sheet, column, rejections))
        except RowError as err:
            rejections.append(err.at(sheet.file, _item_location(column)))
    native = _native_questions(sheet, n_columns, translations)
    for item in items:
        item["native_questions"] = native.get(item["source_column"], [])

    return distribution_build(
        SOURCE,
        path,
        items,
        rejections,
        card=CARD,
        template=card_template(__name__),
        extra_features=EXTRA_FEATURES,
        extra_descriptions=EXTRA_DESCRIPTIONS,
        card_fields={
            "sum_tolerance": SUM_TOLERANCE,
            "n_source_items": n_columns - 1,
            "n_ordinal": sum(item["scale_type"] != "nominal" for item in items),
            "n_nominal": sum(item["scale_type"] == "nominal" for item in items),
            "n_with_not_applicable": sum(any(item["nonsubstantive"]) for item in items),
            "n_without_data": sum(not item["groups"] for item in items),
            "translations_table": _translations_table(items),
        },
        summary_lines=(_without_data_summary(items), _translations_summary(items)),
    )


def input_files(translations: str | Path | None = None) -> list[Path]:
    """The files besides the source that a build reads (for the dataset cache key)."""
    return [shipped_translations_file()] + ([translations_file(translations)] if translations else [])


def _native_questions(sheet: _Sheet, n_columns: int, translations) -> dict[str, list[dict]]:
    english = {}
    for column in range(1, n_columns):
        text = sheet.cell(sheet.item_row["Full Question"], column)
        if isinstance(text, str) and text.strip():
            english[_column_letter(column)] = text.strip()
    layers = [read_translations(shipped_translations_file(), origin=SHIPPED_ORIGIN)]
    if translations:
        layers.append(read_translations(translations_file(translations), origin=origin_of(translations)))
    return merge_translations(layers, english)


def _without_data_summary(items: list[dict]) -> str:
    """The items no country has data for: built, and asked for the consistency metrics only."""
    columns = [item["source_column"] for item in items if not item["groups"]]
    return (
        f"{len(columns)} questions without data for any country (columns {', '.join(columns) or 'none'}): "
        "asked in every framing for FCS, SPD and CLCS, not scored against human answers"
    )


def _translation_counts(items: list[dict]) -> dict[tuple[str, str], int]:
    """Questions per (language, origin) of the native-language texts."""
    counts = Counter((native["language"], native["origin"]) for item in items for native in item["native_questions"])
    return dict(sorted(counts.items()))


def _translations_summary(items: list[dict]) -> str:
    counts = ", ".join(f"{language} {n} ({origin})" for (language, origin), n in _translation_counts(items).items())
    return f"native-language questions: {counts or 'none'}"


def _translations_table(items: list[dict]) -> str:
    rows = ["| language | origin | questions |", "|---|---|---|"]
    rows += [
        f"| {LANGUAGES[language]} (`{language}`) | `{origin}` | {n} |"
        for (language, origin), n in _translation_counts(items).items()
    ]
    return "\n".join(rows)


def _read_sheet(path: Path) -> _Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:  # a read-only workbook parses the sheet's XML row by row
            rows = [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    except unreadable as exc:
        raise OpinionBenchError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__}: {exc}).") from None
    labels = [str(row[0]).strip() if row and row[0] is not None else None for row in rows]
    missing = [label for label in ITEM_ROWS if label not in labels]
    if missing:
        raise OpinionBenchError(
            f"{path}: the first sheet has no row labelled {', '.join(map(repr, missing))} in column A; "
            f"expected the MENAValues layout (rows {', '.join(ITEM_ROWS)}, then one row per country)."
        )
    _check_unique_labels(path, labels)
    item_row = {label: labels.index(label) for label in ITEM_ROWS}
    first_country = max(item_row.values()) + 1
    country_rows = [(row, labels[row]) for row in range(first_country, len(rows)) if labels[row]]
    return _Sheet(file=path.name, rows=rows, item_row=item_row, country_rows=country_rows)


def _check_unique_labels(path: Path, labels: list[str | None]) -> None:
    """Every row label (item attribute or country) in column A is given once."""
    first_row: dict[str, int] = {}
    for row, label in enumerate(labels, start=1):
        if label in first_row:
            raise OpinionBenchError(
                f"{path}: cell A{row}: the row label {label!r} is also in cell A{first_row[label]}; "
                "every item attribute and every country must have one row."
            )
        if label:
            first_row[label] = row


def _parse_item(sheet: _Sheet, column: int, rejections: list[Rejection]) -> dict:
    attribute = {label: sheet.cell(row, column) for label, row in sheet.item_row.items()}
    question = attribute["Full Question"]
    if not isinstance(question, str) or not question.strip():
        raise RowError("empty question", "row 'Full Question' is empty")
    scale_min, scale_max = _whole_number(attribute["Min"], "Min"), _whole_number(attribute["MAX"], "MAX")
    if scale_min >= scale_max:
        raise RowError("invalid scale", f"Min {scale_min} is not below MAX {scale_max}")
    if scale_max - scale_min >= MAX_OPTIONS:
        raise RowError("invalid scale", f"Min {scale_min} to MAX {scale_max} is more than {MAX_OPTIONS} codes")
    scale_flag = str(attribute["Scale"] or "").strip()
    if scale_flag not in SCALE_TYPES:
        raise RowError("unknown scale flag", f"Scale is {attribute['Scale']!r}, expected one of y, n, s")

    groups, distributions, references, has_not_applicable = [], [], [], False
    for row, country in sheet.country_rows:
        try:
            parsed = _parse_cell(sheet.cell(row, column), scale_min, scale_max)
        except RowError as err:
            rejections.append(err.at(sheet.file, _cell_location(column, row, country)))
            continue
        if parsed is not None:
            reference, shares = parsed
            groups.append(country)
            references.append(reference)
            distributions.append(shares)
            has_not_applicable |= any(not scale_min <= code <= scale_max for code in shares)

    codes = list(range(scale_min, scale_max + 1)) + ([NOT_APPLICABLE_CODE] if has_not_applicable else [])
    scale_type = SCALE_TYPES[scale_flag]
    return {
        "source": SOURCE.name,
        "question": question.strip(),
        "options": [str(code) for code in codes],
        "ordinal": [
            None if scale_type == "nominal" or not scale_min <= code <= scale_max else float(code) for code in codes
        ],
        "nonsubstantive": [not scale_min <= code <= scale_max for code in codes],
        "groups": groups,
        "distributions": [[shares.get(code, 0.0) for code in codes] for shares in distributions],
        "language": "en",
        "survey": str(attribute["Source"]).strip(),
        "sub_question": str(attribute["Sub Question"] or "").strip(),
        "category": str(attribute["Category"] or "").strip(),
        "sub_category": str(attribute["Sub Category"] or "").strip(),
        "scale_type": scale_type,
        "scale_min": scale_min,
        "scale_max": scale_max,
        "reference_values": references,
        "source_column": _column_letter(column),
    }


def _parse_cell(value, scale_min: int, scale_max: int) -> tuple[float, dict[int, float]] | None:
    """``(reference, {code: share})`` for a data cell, None for a cell without data."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RowError("malformed cell", f"{value!r} is not text of the form (reference, {{code: 'pct%'}})")
    match = _CELL.match(value.strip())
    if not match:
        raise RowError("malformed cell", f"{clip(value)} is not of the form (reference, {{code: 'pct%'}})")
    raw_shares = parse_literal(match["shares"], "distribution")
    if not isinstance(raw_shares, dict):
        raise RowError("malformed distribution", f"{clip(match['shares'])} is not a dict")
    reference_text = match["reference"].strip()
    if _MISSING_REFERENCE.match(reference_text):
        if raw_shares:
            raise RowError("malformed cell", f"{reference_text!r} marker with a non-empty distribution")
        return None
    reference = _finite_float(reference_text, "reference value")
    if not raw_shares:
        raise RowError("malformed cell", "a reference value with an empty distribution")
    shares: dict[int, float] = {}
    for raw_code, raw_percent in raw_shares.items():
        code = _answer_code(raw_code)
        if not scale_min <= code <= scale_max and code != NOT_APPLICABLE_CODE:
            raise RowError("answer code outside the scale", f"code {raw_code!r} outside {scale_min}..{scale_max}")
        # '1' and '1.0' are the same code: their shares add up.
        shares[code] = shares.get(code, 0.0) + _percent(raw_percent) / 100.0
    normalised = normalise_shares(list(shares.values()), len(shares), tolerance=SUM_TOLERANCE)
    return reference, dict(zip(shares, normalised))


def _answer_code(raw) -> int:
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise RowError("malformed answer code", f"code {raw!r} is not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise RowError("malformed answer code", f"code {raw!r} is not a whole number")
    return int(number)


def _percent(raw) -> float:
    match = _PERCENT.match(raw.strip()) if isinstance(raw, str) else None
    if not match:
        raise RowError("malformed percentage", f"{raw!r} is not a percentage such as '12.34%'")
    return float(match["value"])


def _finite_float(text: str, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise RowError(f"malformed {what}", f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise RowError(f"malformed {what}", f"{text!r} is not finite")
    return number


def _whole_number(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value % 1:
        raise RowError("invalid scale", f"{label} is {value!r}, not a whole number")
    return int(value)


def _column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column + 1)


def _item_location(column: int) -> str:
    return f"column {_column_letter(column)} (item {column})"


def _cell_location(column: int, row: int, country: str) -> str:
    return f"cell {_column_letter(column)}{row + 1} (item {column}, {country})"
