"""Reading the JSON, JSON Lines and CSV files of the instrument sources into located records,
and checking their fields.

A record's location is ``line N`` (JSON Lines, 1-based), ``row N`` (CSV data rows, 1 = the
first row after the header) or ``element N`` (JSON arrays, 0-based index). A file that is
not valid JSON/CSV at all is an :class:`OpinionBenchError`; a bad field is a ``RowError``
that :func:`parse_records` turns into a :class:`Rejection` at the record's place.

Limits on what a source may ask for (docs/datasets.md, "Limits"): a JSON value nests at most
:data:`opinionbench.bounded_json.MAX_JSON_DEPTH` arrays and objects; a CSV field holds at most ``csv.field_size_limit()``
characters (131072); an answer scale has at most :data:`MAX_OPTIONS` answers or codes.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from opinionbench import bounded_json
from opinionbench.errors import OpinionBenchError
from opinionbench.schema import Rejection, RowError

T = TypeVar("T")
Record = tuple[str, object]  # (location, parsed value)

MAX_OPTIONS = 500

_TYPE_NAMES = {
    int: "an integer",
    float: "a finite number",
    str: "a non-empty string",
    list: "an array",
    dict: "an object",
}


def read_json(path: Path, label: str) -> object:
    """The JSON document in ``path`` (``label`` names it in errors)."""
    try:
        return parse_json(read_text(path, label))
    except json.JSONDecodeError as exc:
        raise OpinionBenchError(
            f"{label}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})."
        ) from None
    except RowError as err:
        raise OpinionBenchError(f"{label}: {err}.") from None


def parse_json(text: str) -> object:
    """The JSON value ``text`` within :mod:`opinionbench.bounded_json`'s bounds: a
    ``json.JSONDecodeError`` if it is not JSON, a ``RowError`` if it is beyond a bound."""
    try:
        return bounded_json.parse_json(text)
    except bounded_json.JSONLimitError as exc:
        raise RowError("not valid JSON", str(exc)) from None


def read_json_array(path: Path, label: str) -> list[Record]:
    """The elements of the JSON array in ``path``, located ``element N``."""
    document = read_json(path, label)
    if not isinstance(document, list):
        raise OpinionBenchError(f"{label}: expected a JSON array, found {_json_type(document)}.")
    return [(f"element {index}", element) for index, element in enumerate(document)]


def read_json_lines(path: Path, label: str, rejections: list[Rejection] | None = None) -> list[Record]:
    """One JSON value per non-empty line of ``path``, located ``line N``; a file without any is an error.

    A line that is not valid JSON is an :class:`OpinionBenchError`; given ``rejections``, it
    is a rejection at its line instead (and yields no record), so that every bad line of the
    file can be reported at once.
    """
    lines = [(number, line) for number, line in _lines(read_text(path, label)) if line.strip()]
    if not lines:
        raise OpinionBenchError(f"{label}: the file has no JSON lines.")
    records = []
    for number, line in lines:
        try:
            records.append((f"line {number}", _parse_json_line(line)))
        except RowError as problem:
            if rejections is None:
                raise OpinionBenchError(f"{label}: line {number}: {problem}.") from None
            rejections.append(problem.at(label, f"line {number}"))
    return records


def _parse_json_line(line: str) -> object:
    try:
        return parse_json(line)
    except json.JSONDecodeError as exc:
        raise RowError("not valid JSON", f"{exc.msg}, column {exc.colno}") from None


def _lines(text: str):
    """``(number, line)`` for the lines of ``text`` split at line feeds only (JSON strings may hold U+2028)."""
    return enumerate((line.removesuffix("\r") for line in text.split("\n")), start=1)


def read_csv(path: Path, label: str, columns: tuple[str, ...]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header of the CSV file ``path`` and its data rows, each with the file line it starts on;
    the header must hold ``columns``. A file that is not CSV is an error naming its line."""
    reader = csv.reader(io.StringIO(read_text(path, label), newline=""))
    rows, start = [], 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise OpinionBenchError(f"{label}: line {reader.line_num}: not valid CSV ({exc}).") from None
    header = rows[0][1] if rows else []
    missing = [column for column in columns if column not in header]
    if missing:
        raise OpinionBenchError(f"{label}: the header {header} lacks the column(s) {missing}.")
    if len(rows) == 1:
        raise OpinionBenchError(f"{label}: no data rows after the header.")
    return header, rows[1:]


def read_csv_rows(path: Path, label: str, columns: tuple[str, ...]) -> list[Record]:
    """The data rows of the CSV file ``path`` as dicts, located ``row N``; the header must hold ``columns``."""
    header, rows = read_csv(path, label, columns)
    for number, (line, row) in enumerate(rows, start=1):
        if len(row) != len(header):
            raise OpinionBenchError(
                f"{label}: row {number} (line {line}): {len(row)} fields, expected {len(header)} ({header})."
            )
    return [(f"row {number}", dict(zip(header, row))) for number, (_, row) in enumerate(rows, start=1)]


def parse_records(
    records: list[Record], parse: Callable[[object], T], label: str, rejections: list[Rejection]
) -> list[T | None]:
    """``parse`` applied to every record; a ``RowError`` becomes a rejection at the record's place
    (and ``None`` in the result, so positions stay aligned with ``records``)."""
    parsed = []
    for location, record in records:
        try:
            parsed.append(parse(record))
        except RowError as err:
            rejections.append(err.at(label, location))
            parsed.append(None)
    return parsed


def read_numbered_json_lines(
    path: Path,
    label: str,
    parse: Callable[[object], dict],
    rejections: list[Rejection],
    *,
    key: str,
    first: int,
    unique: tuple[str, ...] = (),
) -> list[dict | None]:
    """:func:`read_json_lines` then :func:`parse_records`, with every item's ``item[key]`` checked
    to count from ``first`` in file order (:func:`_check_numbering`) and each field of ``unique``
    checked to repeat no earlier item's (:func:`reject_repeated`)."""
    records = read_json_lines(path, label)
    items = parse_records(records, parse, label, rejections)
    _check_numbering(items, key, first, records, label, rejections)
    for name in unique:
        reject_repeated(items, records, name, label, rejections)
    return items


def reject_repeated(
    items: list[dict | None], records: list[Record], key: str, label: str, rejections: list[Rejection]
) -> None:
    """Reject every parsed item whose ``item[key]`` an earlier item has."""
    places: dict[object, str] = {}
    for (location, _), item in zip(records, items):
        if item is None:
            continue
        if item[key] in places:
            problem = RowError(f"duplicate {key}", f"{key} {item[key]!r} is also at {places[item[key]]}")
            rejections.append(problem.at(label, location))
            continue
        places[item[key]] = location


def _check_numbering(
    items: list[dict | None], key: str, first: int, records: list[Record], label: str, rejections: list[Rejection]
) -> None:
    """Reject every parsed item whose ``item[key]`` is not ``first`` plus its position in the file."""
    for expected, ((location, _), item) in enumerate(zip(records, items), start=first):
        if item is not None and item[key] != expected:
            problem = RowError("out of order", f"{key!r} is {item[key]}, expected {expected} at this place")
            rejections.append(problem.at(label, location))


def index_by_id(
    items: list[dict | None], records: list[Record], label: str, rejections: list[Rejection]
) -> dict[int, dict]:
    """The parsed items by their ``id``; a repeated id is rejected at its second place."""
    by_id: dict[int, dict] = {}
    for (location, _), item in zip(records, items):
        if item is None:
            continue
        if item["id"] in by_id:
            rejections.append(RowError("duplicate id", f"id {item['id']} occurs twice").at(label, location))
            continue
        by_id[item["id"]] = item
    return by_id


def document_fields(document: object, label: str, kinds: dict[str, type]) -> dict:
    """The top-level fields ``kinds`` of a JSON object document, checked as :func:`field` does;
    a missing or mistyped one is an :class:`OpinionBenchError` naming the file."""
    try:
        return {key: field(document, key, kind) for key, kind in kinds.items()}
    except RowError as err:
        raise OpinionBenchError(f"{label}: {err}.") from None


def answer_scale(document: object, label: str, value_key: str, *, size: int) -> tuple[list[str], list[float]]:
    """The ``answer_scale`` list of a scoring file, of ``size`` answers: each entry's ``label`` and
    ``value_key``, in file order."""
    scale = document_fields(document, label, {"answer_scale": list})["answer_scale"]
    if len(scale) != size:
        raise OpinionBenchError(f"{label}: answer_scale has {len(scale)} answers, expected the instrument's {size}.")
    labels, values = [], []
    for position, entry in enumerate(scale):
        try:
            labels.append(field(entry, "label", str))
            values.append(field(entry, value_key, float))
        except RowError as err:
            raise OpinionBenchError(f"{label}: answer_scale element {position}: {err}.") from None
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise OpinionBenchError(f"{label}: answer_scale {labels} is not a list of at least two distinct answers.")
    return labels, values


def field(record: object, key: str, kind: type, *, nullable: bool = False):
    """``record[key]``, checked to be of JSON type ``kind`` (``int`` excludes booleans, ``float``
    takes any finite number and returns a float, ``str`` must not be blank); ``None`` is allowed
    only when ``nullable``."""
    if not isinstance(record, dict):
        raise RowError("malformed record", f"expected an object, found {_json_type(record)}")
    if key not in record:
        raise RowError("missing field", f"no {key!r}")
    value = record[key]
    if value is None and nullable:
        return None
    if not _is_of(value, kind):
        expected = _TYPE_NAMES[kind] + (" or null" if nullable else "")
        raise RowError("wrong type", f"{key!r} is {_json_text(value)}, expected {expected}")
    return float(value) if kind is float else value


def _is_of(value: object, kind: type) -> bool:
    if isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, (int, float)) and math.isfinite(value)
    if kind is str:
        return isinstance(value, str) and bool(value.strip())
    return isinstance(value, kind)


def _json_text(value: object, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def read_text(path: Path, label: str) -> str:
    """The UTF-8 text of ``path`` without a byte-order mark; an error names the line of a bad byte."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OpinionBenchError(f"{label}: cannot be read ({exc.strerror}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise OpinionBenchError(f"{label}: line {line}: not UTF-8 text (byte {exc.start}).") from None
