"""Hub-ready dataset folders: ``README.md`` (card) plus Parquet data, written atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet

from opinionbench.atomic import atomic_folder
from opinionbench.builds import BuildResult
from opinionbench.cards import DATA_FILE, SPLIT

_FOLDER_ENTRIES = {"README.md", "data"}


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
