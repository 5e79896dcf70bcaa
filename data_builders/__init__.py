"""One module per source (surveys and political instruments), each with ``build(source_path=None) -> BuildResult``."""

from __future__ import annotations

from importlib import import_module

from opinionbench.errors import OpinionBenchError

BUILDERS = ("mena_values", "global_opinions", "pct", "eightvalues", "sapplyvalues", "wahl_o_mat", "worldview_bench")


def get_builder(name: str):
    """The builder module for source ``name``."""
    if name not in BUILDERS:
        raise OpinionBenchError(f"unknown source {name!r}; known sources: {', '.join(BUILDERS)}.")
    return import_module(f"opinionbench.data_builders.{name}")
