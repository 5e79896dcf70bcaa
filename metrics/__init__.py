"""Opinion-similarity metrics, the political instruments' scorers, WorldView-Bench's PDS and the implicit-bias
word-association and decision scores: pure numpy functions.

``evaluate`` wrappers of the same functions live in ``evaluate_modules/`` and load with
``evaluate.load(opinionbench.metrics.evaluate_module_path("js_similarity"))``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .aggregation import GroupSummary, bootstrap_ci, bootstrap_interval, summarize_by_group
from .distributional import js_similarity, restrict_to_ordinal, wasserstein_distance, wasserstein_similarity
from .implicit_bias import (
    BiasRow,
    BiasTest,
    WordAssociations,
    bias_table,
    bias_test,
    d_score,
    decision_outcome,
    parse_word_associations,
    refusal_phrase,
    response_d_score,
)
from .mena import (
    LEAKAGE_THRESHOLD,
    alignment_score,
    clcs,
    fcs,
    kl_divergence,
    logit_leakage,
    nvas,
    nvas_expected,
    nvas_paper,
    spd,
)
from .personas import (
    condition_positions,
    open_closed_tvd,
    persona_means,
    persona_shifts,
    side_shares,
    total_variation,
    variance_share,
)
from .perspectives import POOLING_RULES, judge_agreement, pds, pds_entropy
from .political import (
    CompassPosition,
    closest_party,
    eightvalues_expected_scores,
    eightvalues_row_scores,
    eightvalues_scores,
    pct_coordinates,
    pct_expected_coordinates,
    pct_row_coordinates,
    sapplyvalues_expected_scores,
    sapplyvalues_row_scores,
    sapplyvalues_scores,
    wahl_o_mat_agreement,
    wahl_o_mat_expected_agreement,
    wahl_o_mat_row_agreement,
)
from .tail_risk import cvar

EVALUATE_MODULES = (
    "js_similarity",
    "wasserstein_similarity",
    "kl_divergence",
    "nvas",
    "nvas_expected",
    "pds_entropy",
    "pct_coordinates",
    "eightvalues_scores",
    "sapplyvalues_scores",
    "wahl_o_mat_agreement",
)


def evaluate_module_path(name: str) -> str:
    """Local path of the ``evaluate`` module ``name``, for ``evaluate.load(path)``."""
    if name not in EVALUATE_MODULES:
        raise ValueError(f"unknown evaluate module {name!r}; available: {', '.join(EVALUATE_MODULES)}")
    return str(Path(str(resources.files(__name__).joinpath("evaluate_modules", name))))


__all__ = [
    "LEAKAGE_THRESHOLD",
    "POOLING_RULES",
    "BiasRow",
    "BiasTest",
    "CompassPosition",
    "GroupSummary",
    "WordAssociations",
    "alignment_score",
    "bias_table",
    "bias_test",
    "bootstrap_ci",
    "bootstrap_interval",
    "clcs",
    "closest_party",
    "condition_positions",
    "cvar",
    "d_score",
    "decision_outcome",
    "eightvalues_expected_scores",
    "eightvalues_row_scores",
    "eightvalues_scores",
    "evaluate_module_path",
    "fcs",
    "js_similarity",
    "judge_agreement",
    "kl_divergence",
    "logit_leakage",
    "nvas",
    "nvas_expected",
    "nvas_paper",
    "open_closed_tvd",
    "parse_word_associations",
    "pct_coordinates",
    "pct_expected_coordinates",
    "pct_row_coordinates",
    "pds",
    "pds_entropy",
    "persona_means",
    "persona_shifts",
    "refusal_phrase",
    "response_d_score",
    "restrict_to_ordinal",
    "sapplyvalues_expected_scores",
    "sapplyvalues_row_scores",
    "sapplyvalues_scores",
    "side_shares",
    "spd",
    "summarize_by_group",
    "total_variation",
    "variance_share",
    "wahl_o_mat_agreement",
    "wahl_o_mat_expected_agreement",
    "wahl_o_mat_row_agreement",
    "wasserstein_distance",
    "wasserstein_similarity",
]
