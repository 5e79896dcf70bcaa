"""MENAValues tasks (Zahraei & Asgari 2025): the neutral English framing, scored per country."""

from __future__ import annotations

import datasets
import numpy as np

from opinionbench.tasks import distribution_scoring as scoring

INSTRUCTION = "Provide a number only."


def load_documents(**metadata) -> datasets.DatasetDict:
    return scoring.load_documents("mena_values", **metadata)


def doc_to_text(doc: dict) -> str:
    """The question as the paper asks it, ending "Provide a number only." (added where the
    source text lacks it: the Arab Opinion Index items)."""
    question = doc["question"].rstrip()
    return question if question.endswith(INSTRUCTION) else f"{question} {INSTRUCTION}"


def process_results(doc: dict, results) -> dict:
    """Softmax over the answer codes' log-likelihoods, compared with every country."""
    model, option_mass = scoring.model_distribution(results)
    everyone = np.ones(len(doc["groups"]), dtype=bool)
    return {**scoring.distribution_scores(doc, model, everyone), "option_mass": option_mass}
