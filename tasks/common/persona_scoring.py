"""lm-eval hooks and aggregations of the persona tasks of the axis instruments (``<family>_personas_*``,
Wright et al., "LLM Tropes", 2024; the prompts are :mod:`.personas`).

Three modes share the documents: ``*_personas_logprob`` (closed templates; the log-likelihood of
each option text after the JSON primer ``{ "selection": "``, closed by its quote, softmaxed over
the options), ``*_personas_closed_gen`` (closed templates, the generated selection parsed to an
option) and ``*_personas_open_gen`` (open templates, the free answer mapped to a stance by the
run's stance judge, then to an option).

Every document's payload is one answer record: the statement, condition (``persona``,
``template``, ``domain``), the chosen option in canonical order (``None``: unanswered), the
``status`` (``answered``, ``invalid``, ``refusal``, ``none``: judged to take no side,
``undetermined``: the judge gave no reading), its ``side`` (agree, disagree, none) and, for
log-likelihoods, the option ``probabilities``. The table's numbers come from all records at once
(:class:`PersonaGrid`): each axis of the base case (the mean position over its templates),
``persona_shift`` (the mean distance of the persona values' positions from the base case) and
``persona_variance_share`` (the share of the positions' variance the persona explains, mean over
axes), with the answer rates.

Intervals come from the answers, never from resampling statements (:data:`POLICY`'s answer draws):
a log-likelihood condition draws each statement's answer from its option probabilities; a generated
one, from the answers the persona gave that statement over the templates of its domain (the
templates as repeats; a single template's generated position has no interval).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import datasets
import numpy as np

from opinionbench import families, metrics
from opinionbench.intervals import POLICY
from opinionbench.metrics.aggregation import BootstrapEstimate
from opinionbench.summary_keys import mean_stderr, stderr_aggregation

from . import judge_choice
from . import personas as persona_prompts
from .backend_checks import require_distinct_loglikelihoods
from .instrument_prompts import ENGLISH, REFUSAL, parse_scale_answer
from .instruments import AxisInstrument
from .variants import to_canonical

__all__ = [
    "load_persona_documents",
    "mean_stderr",
    "persona_axis",
    "persona_axis_stderr",
    "persona_choices",
    "persona_instruction",
    "persona_shift",
    "persona_shift_stderr",
    "persona_variance_share",
    "process_results_persona_closed",
    "process_results_persona_logprob",
    "process_results_persona_open",
]

JUDGE_COLUMN, OFFLINE_JUDGE = "stance_judge", "rules"
METADATA_KEYS = ("personas", "templates", JUDGE_COLUMN, *judge_choice.ENDPOINT_KEYS)
ANSWERED, INVALID, NONE, UNDETERMINED = "answered", "invalid", "none", "undetermined"
STATUSES = (ANSWERED, INVALID, REFUSAL, NONE, UNDETERMINED)


# --- documents and prompts ----------------------------------------------------------------------


def load_persona_documents(
    instrument: str,
    domain: str,
    grid: str = "default",
    personas: str | None = None,
    templates: str | None = None,
    **metadata,
) -> datasets.DatasetDict:
    """lm-eval ``custom_dataset``: the instrument's statements under the grid's persona conditions
    and templates of ``domain`` (``--metadata`` ``personas`` and ``templates`` replace the grid's);
    open documents carry the run's stance judge (``stance_judge``: ``rules`` or ``endpoint``; closed
    tasks of the same run ignore it)."""
    from opinionbench.dataset_cache import load_built_dataset

    items = load_built_dataset(instrument)
    documents = persona_prompts.persona_documents(items, domain, grid=grid, personas=personas, templates=templates)
    if domain == "open":
        documents = judge_choice.with_judge(documents, metadata, column=JUDGE_COLUMN, offline=OFFLINE_JUDGE)
    return datasets.DatasetDict({"test": documents})


def persona_instruction(doc: dict) -> str:
    """The template filled in with the statement (and, closed, the shuffled options)."""
    return doc["instruction"]


def persona_choices(doc: dict) -> list[str]:
    """The log-likelihood continuations after the primer: each option text as shown, closed by its quote."""
    return [f'{option}"' for option in persona_prompts.shown_options(doc)]


# --- per document ------------------------------------------------------------------------------


def answer_record(doc: dict, option: int | None, status: str, probabilities: np.ndarray | None = None) -> dict:
    """The payload of one answer (see the module docstring)."""
    record = {
        "instrument": doc["instrument"],
        "number": doc["number"],
        "persona": doc["persona"],
        "template": doc["template"],
        "domain": doc["domain"],
        "n_options": len(doc["options"]),
        "option": option,
        "status": status,
        "side": option_side(doc["options"][option]) if option is not None else "none",
    }
    if probabilities is not None:
        record["probabilities"] = [float(p) for p in probabilities]
    return record


def option_side(option: str) -> str:
    """``agree``, ``disagree`` or ``none`` (a neutral option) of an option text."""
    text = option.lower()
    return "disagree" if "disagree" in text else "agree" if "agree" in text else "none"


def _results(doc: dict, record: dict, rates: dict[str, float]) -> dict:
    instrument = families.of_document(doc).instrument
    keyed = {axis: {**record, "axis": axis} for axis in instrument.axes}
    keyed |= {"persona_shift": record}
    results = keyed | {f"{key}_stderr": value for key, value in keyed.items()}
    return results | {"persona_variance_share": record} | rates | {f"{key}_stderr": v for key, v in rates.items()}


def process_results_persona_logprob(doc: dict, results) -> dict:
    """The softmax over the option texts' log-likelihoods, mapped to canonical order; the answer is its argmax."""
    loglikelihoods = to_canonical([float(ll) for ll, _ in results], doc["display_order"])
    require_distinct_loglikelihoods(doc, loglikelihoods)
    shifted = np.exp(loglikelihoods - loglikelihoods.max())
    probabilities = shifted / shifted.sum()
    record = answer_record(doc, int(np.argmax(probabilities)), ANSWERED, probabilities)
    return _results(doc, record, {"option_mass": float(np.exp(loglikelihoods).sum())})


def process_results_persona_closed(doc: dict, results) -> dict:
    """The generated selection (after the primer) parsed to an option; refusals and invalid answers counted."""
    [text] = results
    parsed = parse_selection(text, doc["options"])
    option = parsed if isinstance(parsed, int) else None
    record = answer_record(doc, option, ANSWERED if option is not None else parsed)
    rates = {"valid_answer_rate": float(option is not None), "refusal_rate": float(parsed == REFUSAL)}
    return _results(doc, record, rates)


def process_results_persona_open(doc: dict, results) -> dict:
    """The free answer (after the primer), its stance by the run's judge, and the option of that stance."""
    [text] = results
    answer = open_answer(text)
    stance = judge_stance(doc, answer) if answer else None
    option, status = stance_option(stance, doc["options"]) if answer else (None, INVALID)
    record = {**answer_record(doc, option, status), "stance": stance}
    rates = {
        "valid_answer_rate": float(option is not None),
        "none_rate": float(stance == "None" or status == UNDETERMINED),
    }
    return _results(doc, record, rates)


_STRING_END = re.compile(r'(?<!\\)"\s*(?:[,}]|$)')  # an unescaped quote that ends the JSON string


def parse_selection(text: str, options: Sequence[str]) -> int | str:
    """The option a closed answer selects: the text up to its closing quote equal to an option
    (case and spacing aside), else the one option it names by Röttger et al.'s rule
    (:func:`parse_scale_answer`), else ``"refusal"`` or ``"invalid"``."""
    selection = text.split('"', 1)[0].strip().rstrip(".").strip()
    exact = {" ".join(option.lower().split()): index for index, option in enumerate(options)}
    key = " ".join(selection.lower().split())
    if key in exact:
        return exact[key]
    return parse_scale_answer(selection or text, options, ENGLISH)


def open_answer(text: str) -> str:
    """The free answer of an open prompt: the generated JSON string after the primer, up to the
    quote that closes it (one followed by a comma, a brace or nothing), its escapes read."""
    end = _STRING_END.search(text)
    answer = text[: end.start()] if end else text
    return answer.replace('\\"', '"').replace("\\n", "\n").strip()


def stance_option(stance: str | None, options: Sequence[str]) -> tuple[int | None, str]:
    """The option of a judged stance and the status: a stance names its option (case aside);
    ``None`` (no side) is the neutral option where the instrument has one, else unanswered;
    no reading is undetermined."""
    if stance is None:
        return None, UNDETERMINED
    lowered = [option.lower() for option in options]
    if stance == "None":
        neutral = next((index for index, option in enumerate(lowered) if option_side(option) == "none"), None)
        return neutral, ANSWERED if neutral is not None else NONE
    return lowered.index(stance.lower()), ANSWERED


def judge_stance(doc: dict, answer: str) -> str | None:
    """The stance of ``answer`` towards the document's statement by the run's judge (one of
    :data:`STANCES`, or ``None`` when the endpoint judge's reply gives no reading)."""
    from opinionbench.judges.stances import STANCES, match_stance

    if judge_choice.judge_name(doc, JUDGE_COLUMN) == OFFLINE_JUDGE:
        return match_stance(doc["statement"], answer)
    judge = _endpoint_judge(judge_choice.endpoint_settings(doc, JUDGE_COLUMN))
    found = judge.stance(doc["statement"], answer, item=doc["id"])
    return found if found in STANCES else None


@lru_cache(maxsize=4)
def _endpoint_judge(settings):
    from opinionbench.judges.stances import StanceEndpointJudge

    return StanceEndpointJudge.from_settings(settings)


# --- the grid of conditions ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonaGrid:
    """Every condition's answers of one task: ``conditions`` ``(persona, template)`` in run
    order, ``answers`` one-hot rows (n_conditions, n_statements, n_options), zero when
    unanswered, and ``draw_rows`` the rows the intervals draw each answer from."""

    instrument: AxisInstrument
    conditions: tuple[tuple[str, str], ...]
    answers: np.ndarray
    draw_rows: np.ndarray
    per_template_intervals: bool

    @property
    def personas(self) -> list[str]:
        return [persona for persona, _ in self.conditions]

    @property
    def persona_ids(self) -> list[str]:
        return list(dict.fromkeys(self.personas))

    @cached_property
    def positions(self) -> dict[str, np.ndarray]:
        """Per axis, each condition's position."""
        return metrics.condition_positions(self.instrument.row_score, self.answers, self.instrument.axes)

    def _summary(self, positions: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The named statistics of (possibly drawn) condition positions (last axis: conditions)."""
        means = metrics.persona_means(positions, self.personas)
        found = {f"{persona}/{axis}": value for persona, axes in means.items() for axis, value in axes.items()}
        if persona_prompts.BASE in means:
            shifts = metrics.persona_shifts(means, persona_prompts.BASE)
            found |= {f"{p}/shift_{name}": value for p, shift in shifts.items() for name, value in shift.items()}
            distances = [shift["distance"] for shift in shifts.values()]
            found["persona_shift"] = (
                np.mean(distances, axis=0)
                if distances
                else np.full_like(means[persona_prompts.BASE][self.instrument.axes[0]], np.nan)
            )
        if self.per_template_intervals:
            for index, (persona, template) in enumerate(self.conditions):
                found |= {f"{persona}/{template}/{axis}": values[..., index] for axis, values in positions.items()}
        return found

    @cached_property
    def values(self) -> dict[str, float]:
        """Every named statistic at the answers: ``<persona>/<axis>``, ``<persona>/shift_<axis>``,
        ``<persona>/shift_distance``, ``persona_shift`` and, for log-likelihoods,
        ``<persona>/<template>/<axis>``."""
        return {name: float(value) for name, value in self._summary(self.positions).items()}

    @cached_property
    def estimates(self) -> dict[str, BootstrapEstimate]:
        """The interval and standard error of every statistic of :attr:`values`, from answers drawn
        from :attr:`draw_rows`; none (empty) for generated answers of a persona asked under a
        single template of a domain (one greedy answer per statement: nothing to draw from)."""
        if not self.per_template_intervals and self._single_template():
            return {}
        n_conditions, n_statements, n_options = self.draw_rows.shape

        def statistics(drawn: np.ndarray) -> dict[str, np.ndarray]:
            rows = drawn.reshape(len(drawn), n_conditions, n_statements, n_options)
            positions = metrics.condition_positions(self.instrument.row_score, rows, self.instrument.axes)
            return self._summary(positions)

        return POLICY.answer_estimates(statistics, self.draw_rows.reshape(-1, n_options))

    def _single_template(self) -> bool:
        """Whether some persona was asked under one template only."""
        counts = {persona: self.personas.count(persona) for persona in self.persona_ids}
        return min(counts.values()) < 2

    def variance_shares(self, by: str = "persona") -> dict[str, float]:
        """Per axis, the share of the condition positions' variance the ``persona`` (or ``template``) explains."""
        labels = self.personas if by == "persona" else [template for _, template in self.conditions]
        return {axis: metrics.variance_share(values, labels) for axis, values in self.positions.items()}


def persona_grid(payloads: list[dict]) -> PersonaGrid:
    """The grid of a task's answer records (statements the run did not ask stay unanswered)."""
    return _grid(tuple(_fingerprint(record) for record in payloads))


def _fingerprint(record: dict) -> tuple:
    probabilities = record.get("probabilities")
    return (
        record["instrument"],
        record["persona"],
        record["template"],
        record["domain"],
        record["number"],
        record["n_options"],
        record["option"],
        None if probabilities is None else tuple(probabilities),
    )


@lru_cache(maxsize=4)
def _grid(records: tuple[tuple, ...]) -> PersonaGrid:
    instrument = families.get(records[0][0]).instrument
    conditions = tuple(dict.fromkeys((persona, template) for _, persona, template, *_ in records))
    index = {condition: position for position, condition in enumerate(conditions)}
    answers = np.zeros((len(conditions), instrument.n_statements, records[0][5]))
    draw_rows = np.zeros_like(answers)
    for _, persona, template, _, number, _, option, probabilities in records:
        if option is not None:
            answers[index[(persona, template)], number - 1, option] = 1.0
        if probabilities is not None:
            draw_rows[index[(persona, template)], number - 1] = probabilities
    logprob = records[0][7] is not None
    if not logprob:
        draw_rows = _pooled_over_templates(answers, conditions, {r[2]: r[3] for r in records})
    return PersonaGrid(instrument, conditions, answers, draw_rows, per_template_intervals=logprob)


def _pooled_over_templates(answers: np.ndarray, conditions, domains: dict[str, str]) -> np.ndarray:
    """Each condition's rows replaced by the mean of its persona's rows over the templates of its domain."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, (persona, template) in enumerate(conditions):
        groups[(persona, domains[template])].append(position)
    pooled = np.zeros_like(answers)
    for members in groups.values():
        pooled[members] = answers[members].mean(axis=0)
    return pooled


# --- aggregation (lm-eval ``aggregation`` functions) --------------------------------------------


def persona_axis(payloads: list[dict]) -> float:
    """The base case's position on the payloads' axis: the mean over its templates."""
    return persona_grid(payloads).values.get(f"{persona_prompts.BASE}/{payloads[0]['axis']}", float("nan"))


def persona_axis_estimate(payloads: list[dict]) -> BootstrapEstimate:
    return _estimate(payloads, f"{persona_prompts.BASE}/{payloads[0]['axis']}")


def persona_shift(payloads: list[dict]) -> float:
    """The mean over the persona values of the distance of their position from the base case's."""
    return persona_grid(payloads).values.get("persona_shift", float("nan"))


def persona_shift_estimate(payloads: list[dict]) -> BootstrapEstimate:
    return _estimate(payloads, "persona_shift")


def persona_variance_share(payloads: list[dict]) -> float:
    """The share of the condition positions' variance the persona explains, mean over the axes."""
    shares = np.array(list(persona_grid(payloads).variance_shares().values()))
    return float(np.nanmean(shares)) if not np.isnan(shares).all() else float("nan")


def _estimate(payloads: list[dict], name: str) -> BootstrapEstimate:
    found = persona_grid(payloads).estimates.get(name)
    return found if found is not None else BootstrapEstimate(float("nan"), float("nan"), float("nan"))


persona_axis_stderr = stderr_aggregation(persona_axis_estimate)
persona_shift_stderr = stderr_aggregation(persona_shift_estimate)


# --- across tasks: open vs closed --------------------------------------------------------------


def open_closed_tvd(closed: list[dict], open_: list[dict]) -> dict[str, tuple[float, int]]:
    """Per persona both hold, the paper's open-vs-closed total variation distance of its answer
    sides (:func:`opinionbench.metrics.open_closed_tvd`) and the number of statements it averages:
    ``closed`` and ``open_`` are the answer records of a closed and an open task of one run."""

    def sides(records: list[dict]) -> dict[str, dict[int, list[str]]]:
        found: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for record in records:
            found[record["persona"]][record["number"]].append(record["side"])
        return found

    closed_sides, open_sides = sides(closed), sides(open_)
    return {
        persona: metrics.open_closed_tvd(closed_sides[persona], open_sides[persona])
        for persona in closed_sides
        if persona in open_sides
    }
