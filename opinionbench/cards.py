"""Dataset cards: the YAML header the Hub reads and a Markdown body from a builder's template."""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

import datasets
import yaml

from opinionbench.schema import FIELD_DESCRIPTIONS, Rejection

SPLIT = "test"
DATA_FILE = f"data/{SPLIT}-00000-of-00001.parquet"
MAX_LISTED_REJECTIONS = 50


@dataclass(frozen=True)
class CardInfo:
    """What the Hub shows about a dataset: licence, languages, provenance, citation."""

    pretty_name: str
    license: str
    language: list[str]
    source_datasets: list[str]
    citation: str
    homepage: str
    task_categories: list[str] = field(default_factory=lambda: ["question-answering"])
    tags: list[str] = field(default_factory=lambda: ["survey", "opinions", "values", "alignment"])


def render_card(
    info: CardInfo,
    template_name: str,
    *,
    dataset: datasets.Dataset,
    field_descriptions: dict[str, str],
    rejections: list[Rejection],
    fields: dict[str, object],
) -> str:
    """Render ``data_builders/cards/<template_name>`` with the shared sections filled in.

    Shared placeholders: ``$schema_table``, ``$rejection_section``, ``$citation``,
    ``$n_rows``; ``fields`` supplies the builder's own.
    """
    template = resources.files("opinionbench.data_builders").joinpath("cards", template_name).read_text("utf-8")
    descriptions = {**FIELD_DESCRIPTIONS, **field_descriptions}
    body = string.Template(template).substitute(
        schema_table=_schema_table(dataset.features, descriptions),
        rejection_section=_rejection_section(rejections),
        citation=info.citation.strip(),
        n_rows=len(dataset),
        **fields,
    )
    return f"---\n{_yaml_header(info, len(dataset))}---\n\n{body.strip()}\n"


def _yaml_header(info: CardInfo, n_rows: int) -> str:
    header = {
        "pretty_name": info.pretty_name,
        "license": info.license,
        "language": info.language,
        "task_categories": info.task_categories,
        "tags": info.tags,
        "size_categories": [_size_category(n_rows)],
        "source_datasets": info.source_datasets,
        "homepage": info.homepage,
        "citation": info.citation.strip(),
        "configs": [{"config_name": "default", "data_files": [{"split": SPLIT, "path": f"data/{SPLIT}-*.parquet"}]}],
    }
    return yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100)


def _size_category(n_rows: int) -> str:
    for bound, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n_rows < bound:
            return label
    return "100K<n<1M"


def _schema_table(features: datasets.Features, descriptions: dict[str, str]) -> str:
    missing = [name for name in features if name not in descriptions]
    if missing:
        raise ValueError(f"card has no description for columns {missing}")
    rows = ["| column | type | meaning |", "|---|---|---|"]
    rows += [f"| `{name}` | {_type_name(feature)} | {descriptions[name]} |" for name, feature in features.items()]
    return "\n".join(rows)


def _type_name(feature) -> str:
    if isinstance(feature, datasets.List):
        return f"list[{_type_name(feature.feature)}]"
    return feature.dtype


def _rejection_section(rejections: list[Rejection]) -> str:
    if not rejections:
        return "The builder rejected nothing: every row and cell of the source file passed validation."
    by_kind = Counter(r.kind for r in rejections)
    lines = [
        (
            f"The builder rejected {len(rejections)} rows or cells; each is listed with its place in the "
            "source file and the reason. Nothing else was dropped."
        ),
        "",
        "| reason | count |",
        "|---|---|",
        *(f"| {kind} | {count} |" for kind, count in sorted(by_kind.items())),
        "",
    ]
    lines += [f"- {r.location}: {r.reason}" for r in rejections[:MAX_LISTED_REJECTIONS]]
    if len(rejections) > MAX_LISTED_REJECTIONS:
        lines.append(
            f"- ... and {len(rejections) - MAX_LISTED_REJECTIONS} more (`opinionbench build` prints the complete list)"
        )
    return "\n".join(lines)
