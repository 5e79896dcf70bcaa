"""Dataset cards: the YAML header the Hub reads and a Markdown body from a builder's template."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import PurePosixPath

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
    # With ``license="other"``: a short id of the terms and where they are stated (Hub card fields).
    license_name: str | None = None
    license_link: str | None = None


def data_files(config_names: Sequence[str]) -> dict[str, str]:
    """Where each config's Parquet file lies in a Hub folder: ``data/test-00000-of-00001.parquet``
    for a single config, ``data/<config>/test-00000-of-00001.parquet`` for several."""
    if len(config_names) == 1:
        return {config_names[0]: DATA_FILE}
    return {name: f"data/{name}/{SPLIT}-00000-of-00001.parquet" for name in config_names}


def card_template(package: str) -> str:
    """A builder's card template: ``card.md`` in its package (``data_builders/<family>/``)."""
    return resources.files(package).joinpath("card.md").read_text("utf-8")


def render_card(
    info: CardInfo,
    template: str,
    *,
    configs: dict[str, datasets.Dataset],
    field_descriptions: dict[str, str],
    rejections: list[Rejection],
    fields: dict[str, object],
) -> str:
    """Render a card ``template`` (see :func:`card_template`) with the shared sections filled in.

    ``configs`` maps each config name to its dataset, the default config first.
    Shared placeholders: ``$schema_table`` (one table per distinct schema),
    ``$rejection_section``, ``$citation``, ``$n_rows`` (rows over all configs);
    ``fields`` supplies the builder's own.
    """
    descriptions = {**FIELD_DESCRIPTIONS, **field_descriptions}
    n_rows = sum(len(dataset) for dataset in configs.values())
    body = string.Template(template).substitute(
        schema_table=_schema_section(configs, descriptions),
        rejection_section=_rejection_section(rejections),
        citation=info.citation.strip(),
        n_rows=n_rows,
        **fields,
    )
    return f"---\n{_yaml_header(info, n_rows, list(configs))}---\n\n{body.strip()}\n"


def _yaml_header(info: CardInfo, n_rows: int, config_names: list[str]) -> str:
    configs = [
        {
            "config_name": name,
            "data_files": [{"split": SPLIT, "path": f"{PurePosixPath(path).parent}/{SPLIT}-*.parquet"}],
        }
        for name, path in data_files(config_names).items()
    ]
    if len(configs) > 1:
        configs[0]["default"] = True
    header = {
        "pretty_name": info.pretty_name,
        "license": info.license,
        **({"license_name": info.license_name} if info.license_name else {}),
        **({"license_link": info.license_link} if info.license_link else {}),
        "language": info.language,
        "task_categories": info.task_categories,
        "tags": info.tags,
        "size_categories": [size_category(n_rows)],
        "source_datasets": info.source_datasets,
        "homepage": info.homepage,
        "citation": info.citation.strip(),
        "configs": configs,
    }
    return yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100)


def size_category(n_rows: int) -> str:
    """The Hub's ``size_categories`` label of a dataset with ``n_rows`` rows."""
    for bound, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n_rows < bound:
            return label
    return "100K<n<1M"


def _schema_section(configs: dict[str, datasets.Dataset], descriptions: dict[str, str]) -> str:
    """One schema table when all configs share their columns, else one table per schema."""
    by_schema: dict[str, list[str]] = {}
    for name, dataset in configs.items():
        by_schema.setdefault(_schema_table(dataset.features, descriptions), []).append(name)
    if len(by_schema) == 1:
        return next(iter(by_schema))
    return "\n\n".join(
        f"Config{'s' if len(names) > 1 else ''} {', '.join(f'`{name}`' for name in names)}:\n\n{table}"
        for table, names in by_schema.items()
    )


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
    if isinstance(feature, dict):
        return "{" + ", ".join(f"{name}: {_type_name(field)}" for name, field in feature.items()) + "}"
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
