"""What every instrument task shares (PCT, 8values, SapplyValues, Wahl-O-Mat): its documents, the
lm-eval hooks, the per-statement payloads, and the aggregation functions that turn them into the
instrument's own scores with their standard errors and intervals.

``process_results`` returns, per metric key, a payload naming the family (``instrument``), the
statement ``number``, the axis or party, and either the scorer's ``answer`` (``None`` when
unanswered; in log-probability tasks with the model's ``answer_probabilities`` beside it) or the
model's ``probabilities`` over the options (the ``*_expected`` keys; ``uniform_*``: uniform ones).
:func:`axis_score` and :func:`closest_party_agreement` collect the payloads of all statements and
call the family's scorers (its declaration's ``instrument``), so every number in lm-eval's table
comes from those functions.

The instrument is a fixed list of statements, not a sample of them, so its uncertainty is the
answers': the intervals and standard errors are a parametric bootstrap (:data:`POLICY`'s
``answer_estimates``) that draws every statement's answer from its option probabilities and scores
each answer set with the scorers' row forms. The ``*_expected`` and answer keys of a
log-probability run share the draws from the model's probabilities (the expected score is their
mean), ``uniform_*`` draws a random answerer; a sampled run (``*_sampled_gen``) draws each
statement's answer from its repeats (resampling the repeats, an unanswered repeat leaving the
statement unanswered); a greedy generation is one answer per statement, with no answer
uncertainty to measure: its interval is not available (NaN).

An instrument family's ``utils.py`` provides everything its YAML names with
``from opinionbench.tasks.common.instrument_scoring import *`` (``__all__``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import datasets
import numpy as np

from opinionbench import families, summary_keys
from opinionbench.intervals import POLICY
from opinionbench.lm_eval_outputs import with_stderr
from opinionbench.metrics.aggregation import BootstrapEstimate
from opinionbench.summary_keys import stderr_aggregation

from . import variants
from .backend_checks import require_varied_samples
from .instrument_prompts import FRAMES, REFUSAL, PromptFrame, parse_scale_answer, statement_prompt
from .instruments import CLOSEST_PARTY, AxisInstrument
from .surveys import model_distribution

__all__ = [
    "axis_score",
    "axis_score_stderr",
    "closest_party_agreement",
    "closest_party_agreement_stderr",
    "doc_to_choice",
    "doc_to_text",
    "doc_to_text_forced",
    "doc_to_text_unforced",
    "load_documents",
    "mean_stderr",
    "process_results",
    "process_results_gen",
    "sampled_repeats",
]


def load_documents(
    instrument: str, config: str | None = None, variant: str | None = None, **_lm_eval_metadata
) -> datasets.DatasetDict:
    """lm-eval ``custom_dataset``: the cached build of ``instrument`` (its ``config``, e.g. an election),
    presented as the robustness ``variant`` if given."""
    from opinionbench.dataset_cache import load_built_dataset

    items = load_built_dataset(instrument, config)
    return datasets.DatasetDict({"test": variants.apply_variant(items, instrument, variant)})


# --- per statement -------------------------------------------------------------------------------


def statement_payloads(
    doc: dict, option: int | None, probabilities: np.ndarray | None, *, repeat_shares: np.ndarray | None = None
) -> dict[str, dict]:
    """The payload of every score key for one statement.

    ``option`` is the chosen option (the argmax, or the parsed answer; ``None`` when there is
    none); ``probabilities`` the model's distribution over the options, which the answer's
    payload keeps for its interval and which adds the ``*_expected`` keys. A sampled run gives
    ``repeat_shares`` instead: the share of its repeats that chose each option (the rest gave no
    answer), kept for the interval. ``uniform_*`` keys score a uniform distribution over the
    options in expectation: the baseline, whatever the model.
    """
    instrument = families.of_document(doc).instrument
    base = {"instrument": doc["instrument"], "number": doc["number"]}
    keyed = [(key, {**base, **fields}) for key, fields in instrument.keyed(doc)]
    answer = {"answer": None if option is None else instrument.answer(doc, option)}
    if probabilities is None:
        if repeat_shares is not None:
            answer["answer_probabilities"] = [float(share) for share in repeat_shares]
        return {key: {**entry, **answer} for key, entry in keyed} | _uniform_payloads(doc, keyed)
    rows = [float(p) for p in probabilities]
    payloads = {key: {**entry, **answer, "answer_probabilities": rows} for key, entry in keyed}
    payloads |= {f"{key}_expected": {**entry, "probabilities": rows} for key, entry in keyed}
    return payloads | _uniform_payloads(doc, keyed)


def _uniform_payloads(doc: dict, keyed: list[tuple[str, dict]]) -> dict[str, dict]:
    """The ``uniform_*`` keys' payloads: a uniform distribution over the statement's options."""
    uniform = [1.0 / len(doc["options"])] * len(doc["options"])
    return {f"uniform_{key}": {**entry, "probabilities": uniform} for key, entry in keyed}


def logprob_results(doc: dict, results) -> dict:
    """Log-probability tasks: the softmax over the option numbers, scored at its argmax and in expectation."""
    probabilities, option_mass = model_distribution(doc, results)
    payloads = statement_payloads(doc, int(np.argmax(probabilities)), probabilities)
    return with_stderr({**payloads, "option_mass": option_mass})


def generation_results(doc: dict, results, labels: Sequence[str], frame: PromptFrame) -> dict:
    """Generative tasks: the parsed answer; refusals and invalid answers count as unanswered.

    A sampled task (lm-eval ``repeats``, kept whole by :func:`sampled_repeats`) gives several
    generations: the answer is the option most of them chose (a tie goes to the one chosen
    first), the rates are shares of the repeats, and the repeats' shares per option are kept
    for the interval (:func:`statement_payloads`).
    """
    variants.require_canonical(doc, "generated answers")
    [generated] = results
    texts = [generated] if isinstance(generated, str) else list(generated)
    parsed = [parse_scale_answer(text, labels, frame) for text in texts]
    chosen = [answer for answer in parsed if isinstance(answer, int)]
    option = Counter(chosen).most_common(1)[0][0] if chosen else None
    shares = np.bincount(chosen, minlength=len(labels)) / len(texts) if len(texts) > 1 else None
    return with_stderr(
        {
            **statement_payloads(doc, option, None, repeat_shares=shares),
            "valid_answer_rate": len(chosen) / len(texts),
            "refusal_rate": parsed.count(REFUSAL) / len(texts),
        }
    )


def sampled_repeats(responses, docs) -> list[list[str]]:
    """lm-eval ``custom`` filter of the sampled tasks: every repeat of every statement, kept whole.
    Stops when every statement's repeats are identical (a fixed seed: :mod:`.backend_checks`)."""
    responses = [list(answers) for answers in responses]
    require_varied_samples(responses)
    return responses


# --- lm-eval hooks for documents in their own language (the YAMLs' !function targets) -------------


def doc_to_text(doc: dict) -> str:
    return statement_prompt(doc["statement"], doc["options"], FRAMES[doc["language"]], style="number", doc=doc)


def doc_to_text_unforced(doc: dict) -> str:
    return statement_prompt(doc["statement"], doc["options"], FRAMES[doc["language"]], style="unforced")


def doc_to_text_forced(doc: dict) -> str:
    return statement_prompt(doc["statement"], doc["options"], FRAMES[doc["language"]], style="forced")


def doc_to_choice(doc: dict) -> list[str]:
    return variants.labels(doc)


def process_results(doc: dict, results) -> dict:
    return logprob_results(doc, results)


def process_results_gen(doc: dict, results) -> dict:
    return generation_results(doc, results, doc["options"], FRAMES[doc["language"]])


# --- aggregation (lm-eval ``aggregation`` functions) --------------------------------------------


def axis_result(payloads: list[dict]) -> Mapping:
    """The instrument's whole result (every axis, and what its scorer adds) from one metric's
    payloads: statements the run did not answer are unanswered."""
    instrument, expected, answers = _axis_inputs(payloads)
    return instrument.result(answers, expected=expected)


def axis_score(payloads: list[dict]) -> float:
    """One axis of an instrument's score over all statements answered in the run (others unanswered)."""
    return float(axis_result(payloads)[payloads[0]["axis"]])


def _axis_inputs(payloads: list[dict]) -> tuple[AxisInstrument, bool, list]:
    """The instrument, whether the payloads are probabilities, and the full list of answers or rows."""
    first = payloads[0]
    instrument = families.get(first["instrument"]).instrument
    expected = "probabilities" in first
    answers: list = [None] * instrument.n_statements
    for entry in payloads:
        answers[entry["number"] - 1] = entry["probabilities"] if expected else entry["answer"]
    return instrument, expected, answers


def party_agreements(payloads: list[dict]) -> dict[str, float]:
    """Each party's agreement (percent) from the theses' payloads (all at the answers or all in
    expectation), in the parties' order; NaN when every thesis was skipped."""
    instrument, model, positions, expected = _party_inputs(payloads)
    if not expected and all(answer is None for answer in model):
        return dict.fromkeys(positions, float("nan"))
    score = instrument.expected_agreement if expected else instrument.agreement
    return {party: float(value) for party, value in score(model, positions).items()}


def closest_party_agreement(payloads: list[dict]) -> float:
    """The agreement (percent) with the closest party over the theses of the run; NaN when all were skipped."""
    agreements = [value for value in party_agreements(payloads).values() if not np.isnan(value)]
    return max(agreements) if agreements else float("nan")


def _party_inputs(payloads: list[dict]):
    """The instrument, the model's answers (or rows), each party's positions and whether they are probabilities."""
    first = payloads[0]
    expected = "probabilities" in first
    model = [entry["probabilities"] if expected else entry["answer"] for entry in payloads]
    positions = {
        party: [entry["party_positions"][index] for entry in payloads] for index, party in enumerate(first["parties"])
    }
    return families.get(first["instrument"]).instrument, model, positions, expected


# --- intervals and standard errors: answers drawn from the option probabilities ----------------

NOT_AVAILABLE = BootstrapEstimate(float("nan"), float("nan"), float("nan"))
"""The estimate of greedy generations: one answer per statement, nothing to draw from."""


def drawn_rows(payloads: list[dict]) -> np.ndarray | None:
    """The option probabilities each statement's answer is drawn from, in payload order: the
    ``*_expected`` and ``uniform_*`` keys' own, the model's behind the answers of a log-probability
    run, the repeats' shares of a sampled run (a row short of 1: the share unanswered); ``None``
    for greedy generations."""
    field = next((name for name in ("probabilities", "answer_probabilities") if name in payloads[0]), None)
    return None if field is None else np.array([entry[field] for entry in payloads], dtype=float)


def axis_score_estimate(payloads: list[dict]) -> BootstrapEstimate:
    """Interval and standard error of :func:`axis_score`: the axis of answer sets drawn from the
    statements' option probabilities (statements not in the run stay unanswered)."""
    rows = drawn_rows(payloads)
    if rows is None:
        return NOT_AVAILABLE
    instrument, axis = families.get(payloads[0]["instrument"]).instrument, payloads[0]["axis"]
    every_statement = np.zeros((instrument.n_statements, rows.shape[1]))
    every_statement[[entry["number"] - 1 for entry in payloads]] = rows
    return POLICY.answer_estimates(lambda drawn: {axis: instrument.row_score(drawn)[axis]}, every_statement)[axis]


def _party_draws(payloads: list[dict], statistics) -> dict[str, BootstrapEstimate] | None:
    """``statistics(agreements)`` (``{name: values}`` from ``{party: values}``) of answer sets
    drawn from the theses' option probabilities; ``None`` for parsed generations."""
    rows = drawn_rows(payloads)
    if rows is None:
        return None
    instrument, _, positions, _ = _party_inputs(payloads)
    return POLICY.answer_estimates(lambda drawn: statistics(instrument.row_agreement(drawn, positions)), rows)


def party_estimates(payloads: list[dict]) -> dict[str, BootstrapEstimate]:
    """Interval and standard error of each party's agreement, from one set of answer draws."""
    found = _party_draws(payloads, dict)
    return dict.fromkeys(payloads[0]["parties"], NOT_AVAILABLE) if found is None else found


def closest_party_agreement_estimate(payloads: list[dict]) -> BootstrapEstimate:
    """Interval and standard error of :func:`closest_party_agreement`: the closest party's agreement
    in each answer draw."""
    found = _party_draws(payloads, lambda agreements: {CLOSEST_PARTY: np.max(list(agreements.values()), axis=0)})
    return NOT_AVAILABLE if found is None else found[CLOSEST_PARTY]


axis_score_stderr = stderr_aggregation(axis_score_estimate)
closest_party_agreement_stderr = stderr_aggregation(closest_party_agreement_estimate)
mean_stderr = summary_keys.mean_stderr
