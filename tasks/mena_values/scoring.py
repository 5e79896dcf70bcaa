"""MENAValues scoring per document: the model's answer against each scored country.

Every condition task reports, under ``nvas``, the payload of
:mod:`opinionbench.tasks.common.surveys` (one score per scored country, aggregated as
the mean over countries of each country's mean) extended by the answer itself and its
condition, so that ``opinionbench report`` can pair answers across conditions (framing
consistency, cross-lingual consistency, self-persona deviation, logit leakage).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from opinionbench.lm_eval_outputs import with_stderr
from opinionbench.metrics import kl_divergence, nvas, nvas_expected, nvas_paper
from opinionbench.tasks.common import surveys as scoring
from opinionbench.tasks.common import variants

from .prompts import parse_answer


def process_logprob(doc: dict, results) -> dict:
    """Log-likelihood mode: the softmax over the answer codes gives the distribution (compared
    with each scored country's), its argmax the answer (NVAS), its expectation over the
    substantive codes the expected answer (``nvas_expected``; ``uniform_nvas_expected`` is the
    same for a uniform answer). The ``*nvas_paper*`` keys are the same scores by the paper's
    rule, the numeric distance on nominal items too."""
    probabilities, option_mass = scoring.model_distribution(doc, results)
    selected = np.isin(doc["groups"], doc["scored_groups"])
    groups = _groups(doc, selected)
    substantive = ~np.asarray(doc["nonsubstantive"], dtype=bool)
    codes = np.array([int(option) for option in doc["options"]])
    best = int(np.argmax(probabilities))
    answer = int(codes[best]) if substantive[best] else None
    on_scale = probabilities[substantive] / probabilities[substantive].sum()
    uniform = np.full(substantive.sum(), 1.0 / substantive.sum())
    references = np.asarray(doc["reference_values"], dtype=float)[selected]
    human = scoring.human_distributions(doc)[selected]

    def expected_scores(distribution: np.ndarray, nominal: bool) -> dict:
        scores = nvas_expected(distribution, codes[substantive], references, *_scale(doc), nominal=nominal)
        return scoring.payload(doc, groups, scores)

    answered = answer_payload(
        doc,
        selected,
        answer,
        "answered" if answer is not None else "nonsubstantive",
        mode="logprob",
        top_probability=float(probabilities.max()),
    )
    return with_stderr(
        {
            **scoring.distribution_scores(doc, probabilities, selected),
            "option_mass": option_mass,
            "nvas": answered,
            "nvas_loss_cvar": answered,  # the tail of the same scores' losses
            "nvas_paper": paper_payload(doc, selected, answer),
            "nvas_expected": expected_scores(on_scale, _nominal(doc)),
            "nvas_paper_expected": expected_scores(on_scale, False),
            "uniform_nvas_expected": expected_scores(uniform, _nominal(doc)),
            "uniform_nvas_paper_expected": expected_scores(uniform, False),
            "kl_divergence": scoring.payload(doc, groups, kl_divergence(human, probabilities)),
        }
    )


def process_gen(doc: dict, results, *, reasoning: bool) -> dict:
    """Generation mode: the answer code read from the text (:func:`parse_answer`)."""
    variants.require_canonical(doc, "generated answers")
    [text] = results
    codes = [int(option) for option, off_scale in zip(doc["options"], doc["nonsubstantive"]) if not off_scale]
    parsed = parse_answer(text, codes, reasoning=reasoning)
    selected = np.isin(doc["groups"], doc["scored_groups"])
    answered = answer_payload(doc, selected, parsed.code, parsed.status, mode="gen", reasoning=reasoning)
    return with_stderr(
        {
            "nvas": answered,
            "nvas_loss_cvar": answered,
            "nvas_paper": paper_payload(doc, selected, parsed.code),
            "valid_answer_rate": float(parsed.status == "answered"),
            "refusal_rate": float(parsed.status == "refusal"),
        }
    )


def answer_payload(
    doc: dict,
    selected: np.ndarray,
    answer: int | None,
    status: str,
    *,
    mode: str,
    reasoning: bool = False,
    top_probability: float | None = None,
) -> dict:
    """The ``nvas`` payload: NVAS per scored country (None without an answer), the answer, the
    countries it stands for (those with and without human data) and its condition."""
    scores = _answer_scores(doc, selected, answer, partial(nvas, nominal=_nominal(doc)))
    return {
        **scoring.payload(doc, _groups(doc, selected), scores),
        "countries": doc["countries"],
        "answer": answer,
        "status": status,
        "top_probability": top_probability,
        "framing": doc["framing"],
        "prompt_language": doc["prompt_language"],
        "reasoning": reasoning,
        "mode": mode,
        "scale_min": doc["scale_min"],
        "scale_max": doc["scale_max"],
        "nominal": _nominal(doc),
    }


def paper_payload(doc: dict, selected: np.ndarray, answer: int | None) -> dict:
    """The ``nvas_paper`` payload: :func:`~opinionbench.metrics.nvas_paper` per scored country
    (the paper's rule, the numeric distance on nominal items too)."""
    return scoring.payload(doc, _groups(doc, selected), _answer_scores(doc, selected, answer, nvas_paper))


def _answer_scores(doc: dict, selected: np.ndarray, answer: int | None, score) -> np.ndarray:
    """``score(answer, references, scale_min, scale_max)`` per scored country; NaN without an answer."""
    references = np.asarray(doc["reference_values"], dtype=float)[selected]
    return np.full(len(references), np.nan) if answer is None else score(answer, references, *_scale(doc))


def _groups(doc: dict, selected: np.ndarray) -> list[str]:
    return [group for group, keep in zip(doc["groups"], selected) if keep]


def _scale(doc: dict) -> tuple[int, int]:
    return doc["scale_min"], doc["scale_max"]


def _nominal(doc: dict) -> bool:
    return doc["scale_type"] == "nominal"
