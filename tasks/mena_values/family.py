"""The MENAValues family: World Values Survey and Arab Opinion Index items with each of 16 MENA
countries' answers (Zahraei & Asgari 2025), asked in three framings, two languages and three modes."""

from __future__ import annotations

from pathlib import Path

from opinionbench.families import Family, Kind, Robustness

from .conditions import conditions_report
from .configs import mena_values_files
from .prompts import PARAPHRASES

FAMILY = Family(
    name="mena_values",
    title="MENAValues",
    kind=Kind.SURVEY,
    builder_module="opinionbench.data_builders.mena_values",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="mena_values_logprob",
    # The answer codes' meanings are inline in the question text: paraphrases only.
    robustness=Robustness(
        label_style="numbers",
        paraphrases=PARAPHRASES,
        reorderable=False,
        dataset_kwargs={"framing": "neutral", "language": "en"},
    ),
    conditions=conditions_report,
    generate_files=mena_values_files,
    metadata_keys=("translations", "countries"),
    reference_url="https://arxiv.org/abs/2510.13154",
    headline=("js_similarity",),
)
