"""The toy survey's declaration: the one thing every layer of OpinionBench reads about it."""

from __future__ import annotations

from pathlib import Path

from opinionbench.families import Family, Kind, Robustness
from opinionbench.tasks.common.survey_summaries import metrics_file

# The canonical prompt (index 0) and ten paraphrases for the robustness variants.
PARAPHRASES = (
    "Question: {question}\n{options}\nAnswer:",
    "Survey question: {question}\n{options}\nAnswer:",
    "Please answer: {question}\n{options}\nAnswer:",
    "{question}\nThe options are:\n{options}\nAnswer:",
    "Here is a question. {question}\n{options}\nAnswer:",
    "Consider this: {question}\n{options}\nAnswer:",
    "Poll: {question}\n{options}\nAnswer:",
    "Your view, please. {question}\n{options}\nAnswer:",
    "Q: {question}\n{options}\nAnswer:",
    "A question for you: {question}\n{options}\nAnswer:",
    "Tell us: {question}\n{options}\nAnswer:",
)

FAMILY = Family(
    name="toy_survey",
    title="Toy survey",
    kind=Kind.SURVEY,
    builder_module="toy_survey.data_builder",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="toy_survey_logprob",
    robustness=Robustness(label_style="letters", paraphrases=PARAPHRASES),
    generate_files=metrics_file,
)
