"""What the ``evaluate`` wrappers share."""

from __future__ import annotations

import datasets


def distribution_pair_features() -> datasets.Features:
    """Inputs of the distribution metrics: a model and a human distribution per pair."""
    return datasets.Features(
        {
            "predictions": datasets.List(datasets.Value("float64")),
            "references": datasets.List(datasets.Value("float64")),
        }
    )
