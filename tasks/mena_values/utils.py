"""lm-eval hooks of the MENAValues tasks (Zahraei & Asgari 2025): three framings x English / native
language x zero-shot / reasoning, in log-likelihood and generation modes (see README.md); the
table's aggregations are those every survey task shares."""

from __future__ import annotations

import datasets

from opinionbench.tasks.common import variants
from opinionbench.tasks.common.survey_summaries import *  # the aggregations _metrics_yaml names
from opinionbench.tasks.mena_values import prompts as mena_prompts
from opinionbench.tasks.mena_values import scoring as mena_scoring


def load_documents(
    framing: str = "neutral",
    language: str = "en",
    translations=None,
    countries: str = "all",
    variant: str | None = None,
    **_metadata,
) -> datasets.DatasetDict:
    """lm-eval ``custom_dataset``: the condition's documents (``framing`` and ``language`` come
    from the task's ``dataset_kwargs``; ``--metadata '{"translations": FILE}'`` passes other
    native-language questions to the build, ``{"countries": "with_data"}`` asks each item only
    for the countries with human data, ``variant`` a robustness paraphrase)."""
    from opinionbench.dataset_cache import load_built_dataset

    items = load_built_dataset("mena_values", **({"translations": translations} if translations else {}))
    items = variants.apply_variant(items, "mena_values", variant)
    return datasets.DatasetDict({"test": mena_prompts.condition_documents(items, framing, language, countries)})


def doc_to_text(doc: dict) -> str:
    """The question, ending with the instruction to give a number only."""
    return mena_prompts.prompt(doc, reasoning=False)


def doc_to_text_reasoning(doc: dict) -> str:
    """The question, asking for a brief explanation and then "Answer: <number>"."""
    return mena_prompts.prompt(doc, reasoning=True)


def process_results(doc: dict, results) -> dict:
    return mena_scoring.process_logprob(doc, results)


def process_results_gen(doc: dict, results) -> dict:
    return mena_scoring.process_gen(doc, results, reasoning=False)


def process_results_gen_reasoning(doc: dict, results) -> dict:
    return mena_scoring.process_gen(doc, results, reasoning=True)
