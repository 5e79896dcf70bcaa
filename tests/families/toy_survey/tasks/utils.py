"""lm-eval hooks of the toy survey: the shared survey documents, scoring and aggregations."""

import numpy as np

from opinionbench.lm_eval_outputs import with_stderr
from opinionbench.tasks.common import surveys, variants
from opinionbench.tasks.common.survey_summaries import *  # the aggregations _metrics_yaml names
from toy_survey.tasks.family import PARAPHRASES


def load_documents(**metadata):
    return surveys.load_documents("toy_survey", **metadata)


def doc_to_text(doc: dict) -> str:
    template = PARAPHRASES[variants.view(doc).paraphrase]
    return template.format(question=doc["question"], options=variants.option_lines(doc, "({label}) {option}"))


def doc_to_choice(doc: dict) -> list[str]:
    return variants.labels(doc)


def process_results(doc: dict, results) -> dict:
    model, option_mass = surveys.model_distribution(doc, results)
    every_country = np.ones(len(doc["groups"]), dtype=bool)
    return with_stderr({**surveys.distribution_scores(doc, model, every_country), "option_mass": option_mass})
