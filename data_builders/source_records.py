"""Reading the JSON, JSON Lines and CSV files of the instrument sources into located records,
and checking their fields.

A record's location is ``line N`` (JSON Lines, 1-based), ``row N`` (CSV data rows, 1 = the
first row after the header) or ``element N`` (JSON arrays, 0-based index). A file that is
not valid JSON/CSV at all is an :class:`OpinionBenchError`; a bad field is a ``RowError``
that :func:`parse_records` turns into a :class:`Rejection` at the record's place.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from opinionbench.errors import OpinionBenchError
from opinionbench.schema import Rejection, RowError

T = TypeVar("T")
Record = tuple[str, object]  # (location, parsed value)

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
        return json.loads(_read_text(path, label))
    except json.JSONDecodeError as exc:
        raise OpinionBenchError(
            f"{label}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})."
        ) from None


def read_json_array(path: Path, label: str) -> list[Record]:
    """The elements of the JSON array in ``path``, located ``element N``."""
    document = read_json(path, label)
    if not isinstance(document, list):
        raise OpinionBenchError(f"{label}: expected a JSON array, found {_json_type(document)}.")
    return [(f"element {index}", element) for index, element in enumerate(document)]


def read_json_lines(path: Path, label: str, rejections: list[Rejection] | None = None) -> list[Record]:
    """One JSON value per non-empty line of ``path``, located ``line N``.

    A line that is not valid JSON is an :class:`OpinionBenchError`; given ``rejections``, it
    is a rejection at its line instead (and yields no record), so that every bad line of the
    file can be reported at once.
    """
    records = []
    for number, line in enumerate(_read_text(path, label).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            problem = RowError("not valid JSON", f"{exc.msg}, column {exc.colno}")
            if rejections is None:
                raise OpinionBenchError(f"{label}: line {number}: {problem}.") from None
            rejections.append(problem.at(label, f"line {number}"))
    return records


def read_csv_rows(path: Path, label: str, columns: tuple[str, ...]) -> list[Record]:
    """The data rows of the CSV file ``path`` as dicts, located ``row N``; the header must hold ``columns``."""
    rows = list(csv.reader(_read_text(path, label).splitlines(keepends=True)))
    header = rows[0] if rows else []
    missing = [column for column in columns if column not in header]
    if missing:
        raise OpinionBenchError(f"{label}: the header {header} lacks the column(s) {missing}.")
    for number, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise OpinionBenchError(f"{label}: row {number}: {len(row)} fields, expected {len(header)} ({header}).")
    return [(f"row {number}", dict(zip(header, row))) for number, row in enumerate(rows[1:], start=1)]


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
    path: Path, label: str, parse: Callable[[object], dict], rejections: list[Rejection], *, key: str, first: int
) -> list[dict | None]:
    """:func:`read_json_lines` then :func:`parse_records`, with every item's ``item[key]`` checked
    to count from ``first`` in file order (:func:`_check_numbering`)."""
    records = read_json_lines(path, label)
    items = parse_records(records, parse, label, rejections)
    _check_numbering(items, key, first, records, label, rejections)
    return items


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


def answer_scale(document: object, label: str, value_key: str) -> tuple[list[str], list[float]]:
    """The ``answer_scale`` list of a scoring file: each entry's ``label`` and ``value_key``, in file order."""
    scale = document_fields(document, label, {"answer_scale": list})["answer_scale"]
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


def _read_text(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OpinionBenchError(f"{label}: cannot be read ({exc.strerror}).") from None
    except UnicodeDecodeError as exc:
        raise OpinionBenchError(f"{label}: not UTF-8 text (byte {exc.start}).") from None
