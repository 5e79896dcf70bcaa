"""Opinion-similarity metrics: pure, vectorised numpy functions.

``evaluate`` wrappers of the same functions live in ``evaluate_modules/`` and load with
``evaluate.load(opinionbench.metrics.evaluate_module_path("js_similarity"))``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .aggregation import GroupSummary, bootstrap_ci, summarize_by_group
from .distributional import js_similarity, restrict_to_ordinal, wasserstein_similarity

EVALUATE_MODULES = ("js_similarity", "wasserstein_similarity")


def evaluate_module_path(name: str) -> str:
    """Local path of the ``evaluate`` module ``name``, for ``evaluate.load(path)``."""
    if name not in EVALUATE_MODULES:
        raise ValueError(f"unknown evaluate module {name!r}; available: {', '.join(EVALUATE_MODULES)}")
    return str(Path(str(resources.files(__name__).joinpath("evaluate_modules", name))))


__all__ = [
    "GroupSummary",
    "bootstrap_ci",
    "evaluate_module_path",
    "js_similarity",
    "restrict_to_ordinal",
    "summarize_by_group",
    "wasserstein_similarity",
]
