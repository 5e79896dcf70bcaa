"""Hub-ready dataset folders: ``README.md`` (card) plus Parquet data, written atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import datasets
import pyarrow.parquet

from opinionbench.atomic import atomic_folder
from opinionbench.cards import DATA_FILE, SPLIT
from opinionbench.schema import Rejection

_FOLDER_ENTRIES = {"README.md", "data"}


@dataclass(frozen=True)
class BuildResult:
    """What a builder returns: the dataset, its card, and every rejection with its place."""

    source: str
    dataset: datasets.DatasetDict
    card: str
    rejections: list[Rejection]
    source_file: Path
    source_sha256: str


def write_hub_folder(result: BuildResult, out_dir: str | os.PathLike) -> Path:
    """Write ``README.md`` and ``data/test-00000-of-00001.parquet`` into ``out_dir``.

    The folder appears complete or not at all; an existing ``out_dir`` is replaced only
    when it is empty or holds nothing but a previous build.
    """
    with atomic_folder(out_dir, ours=_is_dataset_build) as staging:
        (staging / "README.md").write_text(result.card, encoding="utf-8")
        parquet = staging / DATA_FILE
        parquet.parent.mkdir(parents=True)
        # The Arrow table carries the datasets features in its schema metadata.
        pyarrow.parquet.write_table(result.dataset[SPLIT].data.table, parquet)
    return Path(out_dir).expanduser().absolute()


def _is_dataset_build(folder: Path) -> bool:
    return {entry.name for entry in folder.iterdir()} <= _FOLDER_ENTRIES
