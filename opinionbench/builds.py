"""What a builder returns, and the steps every distribution-item builder ends with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import datasets

from opinionbench.cards import SPLIT, CardInfo, render_card
from opinionbench.schema import Rejection, distribution_features, item_ids
from opinionbench.sources import SourceSpec, file_checksum


@dataclass(frozen=True)
class BuildResult:
    """What a builder returns: the dataset, its card, and every rejection with its place."""

    source: str
    dataset: datasets.DatasetDict
    card: str
    rejections: list[Rejection]
    source_file: Path


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
) -> BuildResult:
    """Give the parsed items their ids, make the dataset (split ``test``) and render its card.

    The card template gets, besides ``card_fields``: ``source_file``, ``source_sha256``,
    ``n_pairs`` (question, group) distributions and ``n_groups``.
    """
    ids = item_ids(spec.name, ((item["question"], item["options"]) for item in items))
    rows = [{"id": item_id, **item} for item_id, item in zip(ids, items)]
    dataset = datasets.Dataset.from_list(rows, features=distribution_features(extra_features))
    text = render_card(
        card,
        template,
        dataset=dataset,
        field_descriptions=extra_descriptions,
        rejections=rejections,
        fields={
            "source_file": source_file.name,
            "source_sha256": file_checksum(source_file, "sha256"),
            "n_pairs": sum(len(item["groups"]) for item in items),
            "n_groups": len({group for item in items for group in item["groups"]}),
            **card_fields,
        },
    )
    return BuildResult(
        source=spec.name,
        dataset=datasets.DatasetDict({SPLIT: dataset}),
        card=text,
        rejections=rejections,
        source_file=source_file,
    )
