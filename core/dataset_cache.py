"""Built datasets cached under ``$OPINIONBENCH_CACHE/datasets`` so tasks build each source once."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import datasets
import datasets.table
import pyarrow.parquet

from opinionbench import __version__, families
from opinionbench.cards import data_files
from opinionbench.errors import OpinionBenchError
from opinionbench.hub_folder import folder_configs, write_hub_folder
from opinionbench.paths import cache_dir
from opinionbench.sources import file_checksum, resolve_source, sources_digest


def built_dataset_dir(source: str, source_path: str | os.PathLike | None = None, **build_options) -> Path:
    """The cached Hub-ready folder of ``source``, built on first use.

    ``build_options`` go to the builder (e.g. MENAValues' ``translations``). The cache key
    is the sha256 of the source's files (main file and companions) and of any further
    files the builder reads (its ``input_files(**build_options)``), the builder's version
    and OpinionBench's version, so a changed file or builder gets a fresh build.
    """
    builder = families.get(source).builder()
    raw_file = resolve_source(builder.SOURCE, source_path)
    inputs = getattr(builder, "input_files", list)(**build_options)
    digest = hashlib.sha256(sources_digest(builder.SOURCE, raw_file).encode())
    for path in inputs:
        digest.update(file_checksum(path, "sha256").encode())
    key = f"{digest.hexdigest()[:16]}-b{builder.BUILDER_VERSION}-v{__version__}"
    folder = cache_dir() / "datasets" / source / key
    if not (folder / "README.md").is_file():
        try:
            write_hub_folder(builder.build(raw_file, **build_options), folder)
        except OSError:
            if not (folder / "README.md").is_file():  # another process did not finish it either
                raise
    return folder


def load_built_dataset(
    source: str, config: str | None = None, *, source_path: str | os.PathLike | None = None, **build_options
) -> datasets.Dataset:
    """The built dataset of ``source`` (config ``config``, else the default one; its one split,
    ``test``), building it first if needed.

    Read straight from the Parquet file into memory: the ``datasets`` cache keys a local
    folder by its name, not its content, and could serve stale rows after a rebuild.
    """
    folder = built_dataset_dir(source, source_path, **build_options)
    configs = folder_configs(folder)
    chosen = configs[0] if config is None else config
    if chosen not in configs:
        raise OpinionBenchError(f"{source} has no config {config!r}; its configs are {', '.join(configs)}.")
    table = pyarrow.parquet.read_table(folder / data_files(configs)[chosen])
    return datasets.Dataset(datasets.table.InMemoryTable(table))


def build_available(build_one) -> list[str]:
    """Call ``build_one(source)`` for every source; one that cannot be resolved or built is
    reported as skipped with its reason. Returns the sources built; none at all is an error."""
    built = []
    for source in families.names():
        try:
            build_one(source)
        except OpinionBenchError as err:
            print(f"{source}: skipped: {err}\n", file=sys.stderr)
            continue
        built.append(source)
    if not built:
        raise OpinionBenchError("no source could be built (see the messages above).")
    return built
