"""Hub-ready dataset folders: ``README.md`` (card) plus Parquet data, written atomically."""

from __future__ import annotations

import os
from pathlib import Path

from huggingface_hub import DatasetCard

from opinionbench.atomic import atomic_folder
from opinionbench.builds import BuildResult
from opinionbench.cards import data_files, parquet_file
from opinionbench.errors import OpinionBenchError

_FOLDER_ENTRIES = {"README.md", "data"}


def write_hub_folder(result: BuildResult, out_dir: str | os.PathLike) -> Path:
    """Write ``README.md`` and each config's Parquet file into ``out_dir``: one config goes to
    ``data/test-00000-of-00001.parquet``, several to ``data/<config>/test-00000-of-00001.parquet``.

    The folder appears complete or not at all; an existing ``out_dir`` is replaced only
    when it is empty or holds nothing but a previous build.
    """
    with atomic_folder(out_dir, ours=_is_dataset_build) as staging:
        (staging / "README.md").write_text(result.card, encoding="utf-8")
        for config, path in data_files(list(result.configs)).items():
            parquet = staging / path
            parquet.parent.mkdir(parents=True, exist_ok=True)
            # The bytes whose size and sha256 the card's dataset_info records.
            parquet.write_bytes(parquet_file(result.configs[config]))
    return Path(out_dir).expanduser().absolute()


def folder_configs(folder: Path) -> list[str]:
    """The config names a Hub folder's card declares, the default one first."""
    card = folder / "README.md"
    configs = DatasetCard(card.read_text(encoding="utf-8")).data.get("configs")
    if not configs:
        raise OpinionBenchError(f"{card}: the YAML header declares no configs; rebuild the dataset.")
    names = [config["config_name"] for config in configs]
    default = next((config["config_name"] for config in configs if config.get("default")), names[0])
    return [default, *(name for name in names if name != default)]


def _is_dataset_build(folder: Path) -> bool:
    return {entry.name for entry in folder.iterdir()} <= _FOLDER_ENTRIES
