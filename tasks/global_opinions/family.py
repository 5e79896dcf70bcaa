"""The GlobalOpinionQA family: Pew and World Values Survey questions with answer distributions
for about 100 countries (Durmus et al. 2023)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.families import Family, Kind, Robustness
from opinionbench.tasks.common.survey_summaries import metrics_file

from .prompts import PARAPHRASES

FAMILY = Family(
    name="global_opinions",
    title="GlobalOpinionQA",
    kind=Kind.SURVEY,
    builder_module="opinionbench.data_builders.global_opinions",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="global_opinions_logprob",
    robustness=Robustness(
        label_style="letters",
        paraphrases=PARAPHRASES,
        # The answer prefix ends in "(" before a letter; an option text follows a colon.
        text_answer_yaml='gen_prefix: "If had to select one of the options, my answer would be:"\ntarget_delimiter: " "\n',
    ),
    generate_files=metrics_file,
    metadata_keys=("persona_countries",),
    reference_url="https://arxiv.org/abs/2306.16388",
    headline=("js_similarity",),
)
