"""lm-eval hooks of the Wahl-O-Mat tasks: those every instrument task shares, and for the English
variants English instructions and answer options around the thesis, which stays in the source's
German (the source has no translation)."""

from __future__ import annotations

import dataclasses

from opinionbench.tasks.common import instrument_prompts, instrument_scoring, variants
from opinionbench.tasks.common.instrument_scoring import *  # the functions the YAML files name

ENGLISH = dataclasses.replace(instrument_prompts.ENGLISH, question="What is your position on this thesis?")
# The Wahl-O-Mat's options "Stimme zu", "Neutral", "Stimme nicht zu", in their order.
ENGLISH_OPTIONS = ("Agree", "Neutral", "Disagree")


def doc_to_text_en(doc: dict) -> str:
    return instrument_prompts.statement_prompt(doc["statement"], ENGLISH_OPTIONS, ENGLISH, style="number", doc=doc)


def doc_to_choice_en(doc: dict) -> list[str]:
    return variants.labels(doc, ENGLISH_OPTIONS)


def doc_to_text_en_unforced(doc: dict) -> str:
    return instrument_prompts.statement_prompt(doc["statement"], ENGLISH_OPTIONS, ENGLISH, style="unforced")


def doc_to_text_en_forced(doc: dict) -> str:
    return instrument_prompts.statement_prompt(doc["statement"], ENGLISH_OPTIONS, ENGLISH, style="forced")


def process_results_gen_en(doc: dict, results) -> dict:
    return instrument_scoring.generation_results(doc, results, ENGLISH_OPTIONS, ENGLISH)
