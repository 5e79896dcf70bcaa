"""Native-language (Arabic, Persian, Turkish) question texts for MENAValues.

The source spreadsheet holds English prompts only. Translations come from a table with one
row per (item, language): ``item`` (the item's spreadsheet column, e.g. ``B``),
``language`` (``ar``, ``fa`` or ``tr``), ``question`` (the translated text, answer codes as
ASCII digits) and optionally ``english`` (the source text it translates, checked against the
spreadsheet so a shifted column cannot go unnoticed). Accepted files: JSON Lines or CSV,
local or on the Hub (``hf://datasets/<org>/<name>[@<revision>]/<path>``).

OpinionBench ships its own translations of a subset of the WVS items
(``translations.jsonl`` beside this module); a user file replaces them item by item.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.schema import RowError
from opinionbench.sources import first_line, hub_download

from ..source_records import parse_json, read_csv, read_text

LANGUAGES = {"ar": "Arabic", "fa": "Persian", "tr": "Turkish"}
REQUIRED_COLUMNS = ("item", "language", "question")
SHIPPED_FILE = "translations.jsonl"
SHIPPED_ORIGIN = "opinionbench"
_HUB_URL = re.compile(r"^hf://datasets/(?P<repo>[^/@]+/[^/@]+)(?:@(?P<revision>[^/]+))?/(?P<path>.+)$")


@dataclass(frozen=True)
class Translation:
    """One item's question in one language, and where it comes from."""

    item: str
    language: str
    question: str
    english: str | None
    origin: str
    place: str  # "file, line n", for error messages


def shipped_translations_file() -> Path:
    """OpinionBench's own translations (package data)."""
    return Path(str(resources.files(__package__).joinpath(SHIPPED_FILE)))


def translations_file(location: str | Path) -> Path:
    """The local file behind ``location``: a path, or an ``hf://datasets/...`` URL downloaded
    with ``huggingface_hub`` (any failure is one clear error)."""
    text = str(location)
    match = _HUB_URL.match(text)
    if match is None:
        path = Path(text).expanduser()
        if not path.is_file():
            raise OpinionBenchError(f"mena_values: the translations file {path} does not exist.")
        return path
    try:
        return hub_download(match["repo"], match["path"], revision=match["revision"] or "main")
    except Exception as exc:  # noqa: BLE001 -- every download failure is reported the same way
        raise OpinionBenchError(
            f"mena_values: downloading the translations {text} failed ({type(exc).__name__}: {first_line(exc)}). "
            "Pass a local JSONL/CSV file instead, or run online."
        ) from None


def origin_of(location: str | Path) -> str:
    """How a translation's origin is recorded in the dataset: the URL, or the file name."""
    text = str(location)
    return text if _HUB_URL.match(text) else f"file:{Path(text).name}"


def read_translations(path: Path, *, origin: str) -> list[Translation]:
    """Every row of a translations file, validated; a bad row is an error naming file and line."""
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _jsonl_rows(path)
    translations, seen, problems = [], {}, []
    for place, row in rows:
        missing = [column for column in REQUIRED_COLUMNS if not str(row.get(column) or "").strip()]
        if missing:
            problems.append(f"{place}: empty or missing {', '.join(missing)}")
            continue
        language = str(row["language"]).strip()
        if language not in LANGUAGES:
            problems.append(f"{place}: language {language!r} is not one of {', '.join(LANGUAGES)}")
            continue
        key = (str(row["item"]).strip(), language)
        if key in seen:
            problems.append(f"{place}: item {key[0]} in {language} is already translated at {seen[key]}")
            continue
        seen[key] = place
        english = row.get("english")
        translations.append(
            Translation(
                item=key[0],
                language=language,
                question=str(row["question"]).strip(),
                english=str(english).strip() if english else None,
                origin=origin,
                place=place,
            )
        )
    if problems:
        raise OpinionBenchError(f"mena_values: {len(problems)} bad row(s) in {path}: " + "; ".join(problems))
    return translations


def _jsonl_rows(path: Path):
    for number, line in enumerate(_read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        place = f"{path.name}, line {number}"
        try:
            row = parse_json(line)
        except json.JSONDecodeError as exc:
            raise OpinionBenchError(f"mena_values: {place} is not valid JSON ({exc.msg}).") from None
        except RowError as err:
            raise OpinionBenchError(f"mena_values: {place} is {err}.") from None
        if not isinstance(row, dict):
            raise OpinionBenchError(f"mena_values: {place} is not a JSON object.")
        yield place, row


def _csv_rows(path: Path):
    header, rows = read_csv(path, path.name, ())
    absent = [column for column in REQUIRED_COLUMNS if column not in header]
    if absent:
        raise OpinionBenchError(f"mena_values: {path} has no column {', '.join(absent)} in its header row.")
    for line, row in rows:
        yield f"{path.name}, line {line}", dict(zip(header, row))


def _read_text(path: Path) -> str:
    try:
        return read_text(path, path.name)
    except OpinionBenchError as err:
        raise OpinionBenchError(f"mena_values: cannot read the translations file {path} ({err}).") from None


def merge_translations(layers: list[list[Translation]], english_by_item: dict[str, str]) -> dict[str, list[dict]]:
    """Per item column, its native questions ``[{language, question, origin}, ...]`` (sorted by
    language); later layers replace earlier ones per (item, language).

    Raises :class:`OpinionBenchError` listing every translation of an item that the source
    does not have, or whose ``english`` is not the source's text for that item.
    """
    chosen: dict[tuple[str, str], Translation] = {}
    problems = []
    for layer in layers:
        for translation in layer:
            source_text = english_by_item.get(translation.item)
            if source_text is None:
                problems.append(f"{translation.place}: item {translation.item!r} is not an item of the source")
            elif translation.english is not None and _normalised(translation.english) != _normalised(source_text):
                problems.append(
                    f"{translation.place}: item {translation.item} translates {translation.english[:60]!r}..., "
                    f"but the source's item {translation.item} reads {source_text[:60]!r}..."
                )
            else:
                chosen[(translation.item, translation.language)] = translation
    if problems:
        raise OpinionBenchError(
            f"mena_values: {len(problems)} translation(s) do not match the source: " + "; ".join(problems)
        )
    by_item: dict[str, list[dict]] = {}
    for (item, language), translation in sorted(chosen.items()):
        by_item.setdefault(item, []).append(
            {"language": language, "question": translation.question, "origin": translation.origin}
        )
    return by_item


def _normalised(text: str) -> str:
    return " ".join(text.split())
