"""Hub-ready dataset folders: ``README.md`` (card) plus Parquet data, written atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import datasets
import pyarrow.parquet

from opinionbench.cards import DATA_FILE, SPLIT
from opinionbench.errors import OpinionBenchError
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

    The folder appears complete or not at all: it is assembled beside ``out_dir`` and
    renamed into place. An existing ``out_dir`` is replaced only when it is empty or
    holds nothing but a previous build.
    """
    out = Path(out_dir).expanduser().absolute()
    _check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (staging / "README.md").write_text(result.card, encoding="utf-8")
        parquet = staging / DATA_FILE
        parquet.parent.mkdir(parents=True)
        # The Arrow table carries the datasets features in its schema metadata.
        pyarrow.parquet.write_table(result.dataset[SPLIT].data.table, parquet)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _check_replaceable(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise OpinionBenchError(f"--out {out} is a file, not a folder.")
    foreign = sorted(entry.name for entry in out.iterdir() if entry.name not in _FOLDER_ENTRIES)
    if foreign:
        raise OpinionBenchError(
            f"--out {out} already holds files that are not a dataset build ({', '.join(foreign[:5])}); "
            "choose an empty or new folder."
        )


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)
