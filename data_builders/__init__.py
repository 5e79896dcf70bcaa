"""One folder per source (``data_builders/<family>/``: the builder, ``build(source_path=None) ->
BuildResult``, and its card template ``card.md``), over the family-agnostic helpers beside them
(:mod:`.source_records`, :mod:`.answer_scales`). Which builder a source has is the family
declaration's (:mod:`opinionbench.families`)."""

from __future__ import annotations

from types import ModuleType


def get_builder(name: str) -> ModuleType:
    """The builder module of source ``name``."""
    from opinionbench import families

    return families.get(name).builder()
