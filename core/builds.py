"""What a builder returns, and the steps every distribution-item, instrument and open-ended builder ends with."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import datasets

from opinionbench.cards import SPLIT, CardInfo, render_card
from opinionbench.errors import OpinionBenchError
from opinionbench.schema import (
    INSTRUMENT_FIELD_DESCRIPTIONS,
    OPEN_ENDED_FIELD_DESCRIPTIONS,
    Rejection,
    distribution_features,
    instrument_features,
    instrument_ids,
    item_ids,
    open_ended_features,
    open_ended_id,
)
from opinionbench.sources import SourceSpec, file_checksum, source_checksums

_CONFIG_NAME = re.compile(r"^[a-z0-9_]+$")
_LISTED = 10  # rejections an error lists


@dataclass(frozen=True)
class BuildResult:
    """What a builder returns: its configs (the default one first; split ``test`` each), the
    card, every rejection with its place, and the lines ``opinionbench build`` prints."""

    source: str
    configs: dict[str, datasets.Dataset]
    card: str
    rejections: list[Rejection]
    source_file: Path
    summary: tuple[str, ...]

    def __post_init__(self):
        if not self.configs:
            raise ValueError(f"{self.source}: a build needs at least one config")
        bad = [name for name in self.configs if not _CONFIG_NAME.match(name)]
        if bad:
            raise ValueError(f"{self.source}: config names {bad} are not lower-case letters, digits and '_'")

    @property
    def default_config(self) -> str:
        return next(iter(self.configs))

    @property
    def dataset(self) -> datasets.DatasetDict:
        """The default config as a ``DatasetDict`` with its one split, ``test``."""
        return datasets.DatasetDict({SPLIT: self.configs[self.default_config]})


def distribution_build(
    spec: SourceSpec,
    source_file: Path,
    items: list[dict],
    rejections: list[Rejection],
    *,
    card: CardInfo,
    template: str,
    extra_features: dict,
    extra_descriptions: dict[str, str],
    card_fields: dict[str, object],
    summary_lines: tuple[str, ...] = (),
) -> BuildResult:
    """Give the parsed items their ids, make the dataset (split ``test``) and render its card;
    no item at all is an :class:`OpinionBenchError`.

    The card template gets, besides ``card_fields``: ``source_file``, ``source_sha256``,
    ``n_pairs`` (question, group) distributions and ``n_groups``. ``summary_lines`` follow
    the counts in what ``opinionbench build`` prints.
    """
    if not items:
        first = f"; the first: {rejections[0]}" if rejections else ""
        raise OpinionBenchError(
            f"{source_file.name}: no usable question, nothing was built ({len(rejections)} rejected{first})."
        )
    ids = item_ids(spec.name, ((item["question"], item["options"]) for item in items))
    rows = [{"id": item_id, **item} for item_id, item in zip(ids, items)]
    dataset = datasets.Dataset.from_list(rows, features=distribution_features(extra_features))
    n_pairs = sum(len(item["groups"]) for item in items)
    configs = {"default": dataset}
    text = render_card(
        card,
        template,
        source=spec.name,
        configs=configs,
        field_descriptions=extra_descriptions,
        rejections=rejections,
        fields={
            "source_file": source_file.name,
            "source_sha256": file_checksum(source_file, "sha256"),
            "n_pairs": n_pairs,
            "n_groups": len({group for item in items for group in item["groups"]}),
            **card_fields,
        },
    )
    summary = f"built {len(dataset)} questions, {n_pairs} (question, group) distributions from {source_file}"
    return BuildResult(
        source=spec.name,
        configs=configs,
        card=text,
        rejections=rejections,
        source_file=source_file,
        summary=(summary, *summary_lines),
    )


@dataclass(frozen=True)
class InstrumentConfig:
    """One config of an instrument: its statements (rows without ``id``) and their id prefix."""

    items: list[dict]
    id_prefix: str


def instrument_build(
    spec: SourceSpec,
    source_file: Path,
    configs: Mapping[str, InstrumentConfig],
    *,
    card: CardInfo,
    template: str,
    extra_features: dict,
    extra_descriptions: dict[str, str],
    card_fields: dict[str, object],
    summary: tuple[str, ...],
    tables: Mapping[str, datasets.Dataset] | None = None,
) -> BuildResult:
    """Give each config's statements their ids ``<id_prefix>-<number:02d>``, make the datasets
    (instrument columns, then ``extra_features``) and render the card.

    ``tables`` are further configs that are not statements (e.g. 8values' ideologies); they
    follow the statement configs. The card template gets, besides ``card_fields``:
    ``source_files_table`` (every source file with its sha256). An instrument needs every
    statement, so its builder raises (:func:`raise_rejections`) instead of rejecting rows.
    """
    features = instrument_features(extra_features)
    datasets_by_config = {}
    for name, config in configs.items():
        ids = instrument_ids(config.id_prefix, (item["number"] for item in config.items))
        rows = [{"id": item_id, **item} for item_id, item in zip(ids, config.items)]
        datasets_by_config[name] = datasets.Dataset.from_list(rows, features=features)
    datasets_by_config.update(tables or {})
    text = render_card(
        card,
        template,
        source=spec.name,
        configs=datasets_by_config,
        field_descriptions={**INSTRUMENT_FIELD_DESCRIPTIONS, **extra_descriptions},
        rejections=[],
        fields={"source_files_table": _source_files_table(spec, source_file), **card_fields},
    )
    return BuildResult(
        source=spec.name,
        configs=datasets_by_config,
        card=text,
        rejections=[],
        source_file=source_file,
        summary=summary,
    )


def open_ended_build(
    spec: SourceSpec,
    source_file: Path,
    items: list[dict],
    *,
    card: CardInfo,
    template: str,
    extra_features: dict,
    extra_descriptions: dict[str, str],
    card_fields: dict[str, object],
    summary: tuple[str, ...],
) -> BuildResult:
    """Give the open-ended questions (rows without ``id``) their ids ``<domain_slug>_<number:02d>``,
    make the dataset (config ``default``, split ``test``: open-ended columns, then
    ``extra_features``) and render the card.

    The card template gets, besides ``card_fields``: ``source_files_table`` (every source file
    with its sha256) and ``domains_table`` (each domain, its slug and its number of questions,
    in order of first appearance). A benchmark whose score pools all its questions raises
    (:func:`raise_rejections`) before this step instead of rejecting rows.
    """
    ids = [open_ended_id(item["domain_slug"], item["number"]) for item in items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{spec.name}: question ids are not unique")
    rows = [{"id": item_id, **item} for item_id, item in zip(ids, items)]
    configs = {"default": datasets.Dataset.from_list(rows, features=open_ended_features(extra_features))}
    text = render_card(
        card,
        template,
        source=spec.name,
        configs=configs,
        field_descriptions={**OPEN_ENDED_FIELD_DESCRIPTIONS, **extra_descriptions},
        rejections=[],
        fields={
            "source_files_table": _source_files_table(spec, source_file),
            "domains_table": _domains_table(items),
            **card_fields,
        },
    )
    return BuildResult(
        source=spec.name, configs=configs, card=text, rejections=[], source_file=source_file, summary=summary
    )


def raise_rejections(
    source: str, rejections: list[Rejection], *, reason: str = "the instrument's scoring needs every statement"
) -> None:
    """Raise one :class:`OpinionBenchError`, a line listing the first rejections, if there is any.

    For sources whose score needs every row (``reason`` says why; by default an instrument's
    scoring, which needs every statement), so a bad row stops the build.
    """
    if rejections:
        listed = "; ".join(map(str, rejections[:_LISTED]))
        if len(rejections) > _LISTED:
            listed += f"; and {len(rejections) - _LISTED} more"
        raise OpinionBenchError(
            f"{source}: {len(rejections)} problem(s) in the source files; {reason}, so nothing was built: {listed}"
        )


def _domains_table(items: list[dict]) -> str:
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item["domain"], item["domain_slug"])
        counts[key] = counts.get(key, 0) + 1
    rows = ["| domain | domain_slug | questions |", "|---|---|---|"]
    rows += [f"| {domain} | `{slug}` | {count} |" for (domain, slug), count in counts.items()]
    return "\n".join(rows)


def _source_files_table(spec: SourceSpec, source_file: Path) -> str:
    rows = ["| file | sha256 |", "|---|---|"]
    rows += [f"| `{name}` | `{digest}` |" for name, digest in source_checksums(spec, source_file).items()]
    return "\n".join(rows)
