"""GlobalOpinionQA (Durmus et al. 2023): Pew Global Attitudes and World Values Survey questions
with answer distributions for about 138 countries.

The upstream CSV (``Anthropic/llm_global_opinions``, ``data/global_opinions.csv``) has the
columns ``question``, ``selections`` (the repr of a ``defaultdict`` mapping a country to
its answer shares), ``options`` (the repr of a list, strings or numbers) and ``source``
(``GAS`` or ``WVS``). Both reprs are read with literal parsing only.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import datasets

from opinionbench.builds import BuildResult, distribution_build
from opinionbench.cards import CardInfo, card_template
from opinionbench.schema import (
    Rejection,
    RowError,
    clip,
    normalise_shares,
    parse_literal,
)
from opinionbench.sources import SourceSpec, file_checksum, resolve_source

from ..source_records import MAX_OPTIONS, read_csv
from .merged_rows import classify_item

SOURCE = SourceSpec(
    name="global_opinions",
    filename="global_opinions.csv",
    hub_repo="Anthropic/llm_global_opinions",
    hub_filename="data/global_opinions.csv",
    hub_revision="cb2880488749218abb81802a94c2c62ebfde2f35",
    checksum=("git-blob-sha1", "40003b4d8fddb82db8c2bdc4d7329789a08a529f"),
)
BUILDER_VERSION = 2  # 2: WVS anchored and intensity scales, WVS missing codes, merged rows
COLUMNS = ("question", "selections", "options", "source")
# Shares are given to two decimals at best: each may be off by half a unit.
ROUNDING_SLACK_PER_OPTION = 0.005

# Spelling variants of one place in the source, mapped to one name.
COUNTRY_ALIASES = {
    "Britain": "Great Britain",
    "Czech Rep.": "Czechia",
    "S. Korea": "South Korea",
    "S. Africa": "South Africa",
    "Taiwan ROC": "Taiwan",
    "Macau SAR": "Macao SAR",
    "Palest. ter.": "Palestinian territories",
    "Palest. Ter.": "Palestinian territories",
}
# Sample qualifiers: "(Current national sample)" is the country's national sample;
# the others are different populations and stay separate groups.
SAMPLE_SUFFIXES = {
    "Current national sample": ("national", ""),
    "Old national sample": ("old national", " (old national sample)"),
    "Non-national sample": ("non-national", " (non-national sample)"),
}
_SUFFIX = re.compile(r"^(?P<place>.*?)\s*\((?P<qualifier>" + "|".join(map(re.escape, SAMPLE_SUFFIXES)) + r")\)$")
_DEFAULTDICT = re.compile(r"^defaultdict\(<class 'list'>,\s*(?P<mapping>\{.*\})\)$", re.DOTALL)

CARD = CardInfo(
    pretty_name="GlobalOpinionQA (OpinionBench build)",
    license="cc-by-nc-sa-4.0",
    language=["en"],
    source_datasets=["Anthropic/llm_global_opinions"],
    homepage="https://huggingface.co/datasets/Anthropic/llm_global_opinions",
    citation="""
@misc{durmus2023measuring,
  title         = {Towards Measuring the Representation of Subjective Global Opinions in Language Models},
  author        = {Esin Durmus and Karina Nguyen and Thomas I. Liao and Nicholas Schiefer and Amanda Askell and Anton Bakhtin and Carol Chen and Zac Hatfield-Dodds and Danny Hernandez and Nicholas Joseph and Liane Lovitt and Sam McCandlish and Orowa Sikder and Alex Tamkin and Janel Thamkul and Jared Kaplan and Jack Clark and Deep Ganguli},
  year          = {2023},
  eprint        = {2306.16388},
  archivePrefix = {arXiv}
}
""",
)

EXTRA_FEATURES = {
    "survey": datasets.Value("string"),
    "sample_types": datasets.List(datasets.Value("string")),
    "source_groups": datasets.List(datasets.Value("string")),
    "source_row": datasets.Value("int64"),
    "option_variant": datasets.List(datasets.Value("int64")),
    "group_variant": datasets.List(datasets.Value("int64")),
}
EXTRA_DESCRIPTIONS = {
    "survey": "`GAS` (Pew Global Attitudes Survey) or `WVS` (World Values Survey), the source's `source` column",
    "sample_types": "per group: `national`, `non-national` or `old national` sample",
    "source_groups": "per group: the country key exactly as written in the source",
    "source_row": "data row of the question in the source CSV (1 = first row after the header)",
    "option_variant": "per option: the question variant of a merged row it belongs to, -1 for every variant "
    "(all 0 for a row of one question)",
    "group_variant": "per group: the variant of a merged row it answered, -1 for every variant (all 0 otherwise)",
}


def build(source_path: str | Path | None = None) -> BuildResult:
    """Build the GlobalOpinionQA distribution dataset (split ``test``) from the upstream CSV."""
    path = resolve_source(SOURCE, source_path)
    rejections: list[Rejection] = []
    items = []
    for row_number, record in _read_records(path):
        try:
            items.append(_parse_row(record, row_number, path.name, rejections))
        except RowError as err:
            rejections.append(err.at(path.name, f"row {row_number}"))

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
            "source_git_blob": file_checksum(path, "git-blob-sha1"),
            "expected_git_blob": SOURCE.checksum[1],
            "n_ordinal": sum(_is_ordinal(item) for item in items),
            "n_nominal": sum(not _is_ordinal(item) for item in items),
            "n_merged": sum(max(item["option_variant"]) > 0 for item in items),
            "alias_table": "\n".join(f"| {raw} | {name} |" for raw, name in COUNTRY_ALIASES.items()),
            "slack": ROUNDING_SLACK_PER_OPTION,
        },
    )


def _read_records(path: Path) -> list[tuple[int, dict | None]]:
    """``(data row number, record)`` per data row, ``None`` for a row of the wrong number of
    fields; a file that is not the upstream CSV is an error."""
    header, rows = read_csv(path, path.name, COLUMNS)
    return [
        (number, dict(zip(header, row)) if len(row) == len(header) else None)
        for number, (_, row) in enumerate(rows, start=1)
    ]


def _parse_row(record: dict | None, row_number: int, file: str, rejections: list[Rejection]) -> dict:
    if record is None:
        raise RowError("wrong number of fields", "the row's fields do not match the header")
    question = record["question"].strip()
    if not question:
        raise RowError("empty question")
    options, numeric = _parse_options(record["options"])
    selections = _parse_selections(record["selections"])
    tolerance = ROUNDING_SLACK_PER_OPTION * len(options)

    groups, sample_types, source_groups, distributions = [], [], [], []
    for raw_group, shares in selections.items():
        try:
            group, sample_type = normalise_group(raw_group)
            if group in groups:
                raise RowError("duplicate group", f"{raw_group!r} is also {group!r} under another spelling")
            if not isinstance(shares, (list, tuple)):
                raise RowError("shares are not a list", f"{type(shares).__name__} {shares!r}")
            distribution = normalise_shares(list(shares), len(options), tolerance=tolerance)
        except RowError as err:
            rejections.append(err.at(file, f"row {row_number}, group {raw_group!r}"))
            continue
        groups.append(group)
        sample_types.append(sample_type)
        source_groups.append(raw_group)
        distributions.append(distribution)
    if not groups:
        raise RowError("no valid group", "no country has a usable distribution")

    scales = classify_item(options, numeric, distributions)
    return {
        "source": SOURCE.name,
        "question": question,
        "options": options,
        "ordinal": scales["ordinal"],
        "nonsubstantive": scales["nonsubstantive"],
        "groups": groups,
        "distributions": distributions,
        "language": "en",
        "survey": record["source"].strip(),
        "sample_types": sample_types,
        "source_groups": source_groups,
        "source_row": row_number,
        "option_variant": scales["option_variant"],
        "group_variant": scales["group_variant"],
    }


def _parse_options(text: str) -> tuple[list[str], list[bool]]:
    """Option texts and, per option, whether the source gave it as a number."""
    value = parse_literal(text, "options")
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_OPTIONS:
        raise RowError("malformed options", f"{clip(text)} is not a list of 2 to {MAX_OPTIONS} options")
    options, numeric = [], []
    for option in value:
        if isinstance(option, str) and option.strip():
            options.append(option.strip())
            numeric.append(False)
        elif isinstance(option, (int, float)) and not isinstance(option, bool) and math.isfinite(option):
            options.append(_number_text(option))
            numeric.append(True)
        else:
            raise RowError("malformed options", f"option {option!r} is neither text nor a finite number")
    if len(set(options)) != len(options):
        raise RowError("malformed options", f"duplicate option in {options}")
    return options, numeric


def _parse_selections(text: str) -> dict:
    match = _DEFAULTDICT.match(text.strip())
    mapping_text = match["mapping"] if match else text.strip()
    value = parse_literal(mapping_text, "selections")
    if not isinstance(value, dict) or not value:
        raise RowError("malformed selections", f"{clip(text)} is not a non-empty mapping of country to shares")
    if not all(isinstance(key, str) for key in value):
        raise RowError("malformed selections", "a country key is not text")
    return value


def normalise_group(raw: str) -> tuple[str, str]:
    """``(group name, sample type)`` for a country key of the source.

    ``"India (Current national sample)"`` -> ``("India", "national")``;
    ``"Brazil (Non-national sample)"`` -> ``("Brazil (non-national sample)", "non-national")``;
    spelling variants such as ``"S. Korea"`` become one name (``"South Korea"``).
    """
    text = " ".join(raw.split())
    if not text:
        raise RowError("empty country name")
    match = _SUFFIX.match(text)
    if match is None:
        return COUNTRY_ALIASES.get(text, text), "national"
    sample_type, label = SAMPLE_SUFFIXES[match["qualifier"]]
    return COUNTRY_ALIASES.get(match["place"], match["place"]) + label, sample_type


def _is_ordinal(item: dict) -> bool:
    return sum(position is not None for position in item["ordinal"]) >= 2


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))
