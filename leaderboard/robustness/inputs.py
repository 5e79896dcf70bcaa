"""The inputs of the robustness report: every prompt's answers read from lm-eval's samples logs,
grouped per (model, task) into the canonical prompt and its variants, and the per-item arrays
taken from the logged documents (scale positions, human reference positions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from opinionbench import families
from opinionbench.errors import OpinionBenchError
from opinionbench.families import Kind
from opinionbench.lm_eval_outputs import EvaluationRun, option_loglikelihoods
from opinionbench.metrics.aggregation import stack_ragged
from opinionbench.run_info import slug
from opinionbench.tasks.common import variants
from opinionbench.tasks.common.persona_conditions import is_persona_record
from opinionbench.tasks.common.surveys import human_distributions

from .statistics import expected_positions, softmax, unit_scale

# The fields that, with the item id, make a document one item (MENAValues and persona tasks ask a
# question once per country, MENAValues' native-language prompts once per language).
ITEM_FIELDS = ("id", "country", "persona", "prompt_language")


@dataclass(frozen=True)
class PromptAnswers:
    """The model's answers to one task's items under one prompt (canonical or a variant).

    ``probabilities`` are in canonical option order, ``display_orders[k, j]`` is the canonical
    option item ``k`` showed at display position ``j`` (rows padded to the longest item: zero
    probability, identity order).
    """

    task: str
    base_task: str  # the canonical task this prompt is a variant of
    family: str
    variant: str
    kind: str
    model: str
    model_label: str
    timestamp: str
    docs: list[dict]
    probabilities: np.ndarray
    display_orders: np.ndarray
    summary: dict[str, float]  # lm-eval's table
    stderrs: dict[str, float]  # its standard errors

    @property
    def keys(self) -> list[tuple]:
        return [item_key(doc) for doc in self.docs]

    @property
    def n_options(self) -> np.ndarray:
        return np.array([len(doc["options"]) for doc in self.docs])


def item_key(doc: dict) -> tuple:
    """What identifies a document's item across prompts."""
    return tuple(doc.get(field) for field in ITEM_FIELDS)


def read_prompt_answers(run: EvaluationRun, task: str) -> PromptAnswers | None:
    """The answers logged for ``task``; None for a task that is not a log-likelihood task of a
    family with robustness variants (generation tasks, other benchmarks)."""
    if run.results["configs"].get(task, {}).get("output_type") != "multiple_choice":
        return None
    path = run.samples_file(task)
    docs, loglikelihoods, views = [], [], []
    for line_number, sample in run.numbered_samples(task):
        if not docs and _family(sample) is None:
            return None
        doc, values, view = _read_sample(sample, f"{path}: line {line_number}")
        docs.append(doc)
        loglikelihoods.append(values)
        views.append(view)
    if not docs:
        raise OpinionBenchError(f"{path} holds no samples.")
    prompts = {(families.of_document(doc).name, view.variant) for doc, view in zip(docs, views)}
    if len(prompts) > 1:
        raise OpinionBenchError(f"{path}: the documents mix families or variants ({sorted(prompts)}).")
    [(family, variant)] = prompts
    return PromptAnswers(
        task=task,
        base_task=_base_task(task, family, variant),
        family=family,
        variant=variant,
        kind=views[0].kind,
        model=run.model,
        model_label=slug(run.model),
        timestamp=run.timestamp,
        docs=docs,
        probabilities=softmax(stack_ragged(loglikelihoods, fill=-np.inf)),
        display_orders=_padded_orders([view.display_order for view in views]),
        summary=run.summary(task),
        stderrs=run.stderrs(task),
    )


def _family(sample) -> str | None:
    """The family of a logged sample's document; None when it has none with robustness variants,
    or it is a persona condition's (its persona and template are not a robustness prompt)."""
    doc = sample.get("doc") if isinstance(sample, dict) else None
    if is_persona_record(doc):
        return None
    name = (doc.get("instrument") or doc.get("source")) if isinstance(doc, dict) else None
    family = next((family for family in families.all_families() if family.name == name), None)
    return name if family is not None and family.robustness is not None else None


def _read_sample(sample, where: str) -> tuple[dict, np.ndarray, variants.View]:
    """A logged sample's document, option log-likelihoods in canonical order, and presentation."""
    if _family(sample) is None or not isinstance(sample["doc"].get("options"), list) or "id" not in sample["doc"]:
        raise OpinionBenchError(f"{where}: no logged document of a family with robustness variants (id, options).")
    doc = sample["doc"]
    try:
        pairs = option_loglikelihoods(sample.get("filtered_resps"), len(doc["options"]))
        view = variants.view(doc)
        variants.variant_kind(view.variant)
        values = variants.canonical_loglikelihoods(doc, pairs)
    except KeyError as exc:
        raise OpinionBenchError(f"{where}: unreadable sample (the document has no field {exc}).") from None
    except (TypeError, ValueError, IndexError) as exc:
        raise OpinionBenchError(f"{where}: unreadable sample ({exc}).") from None
    return doc, values, view


def _base_task(task: str, family: str, variant: str) -> str:
    """The canonical task of a prompt: the family's for its generated variant tasks
    (``<family>_<variant>_logprob``), else the task itself (``--metadata`` variants)."""
    return families.get(family).canonical_task if task == variants.task_name(family, variant) else task


def _padded_orders(orders: list[list[int]]) -> np.ndarray:
    width = max(len(order) for order in orders)
    return np.array([[*order, *range(len(order), width)] for order in orders], dtype=int)


def all_prompt_answers(runs: Iterable[EvaluationRun]) -> list[PromptAnswers]:
    """The answers of every log-likelihood task of a family with robustness variants in ``runs``."""
    return [found for run in runs for task in run.tasks if (found := read_prompt_answers(run, task))]


def group_prompts(answers: list[PromptAnswers]) -> dict[tuple[str, str], dict[str, PromptAnswers]]:
    """``{(model, base task): {variant: answers}}``; of several runs of one prompt the latest counts."""
    grouped: dict[tuple[str, str], dict[str, PromptAnswers]] = {}
    for prompt in sorted(answers, key=lambda prompt: prompt.timestamp):
        grouped.setdefault((prompt.model, prompt.base_task), {})[prompt.variant] = prompt
    return grouped


def scale_positions(docs: list[dict]) -> np.ndarray:
    """Each item's options on [0, 1] (canonical order, padded with NaN): the normalised ``ordinal``
    positions of survey items, evenly spaced for the instruments (their options are a scale)."""
    raw = [doc["ordinal"] if "ordinal" in doc else range(len(doc["options"])) for doc in docs]
    return unit_scale(stack_ragged([[np.nan if x is None else x for x in row] for row in raw], fill=np.nan))


def human_positions(family: str, docs: list[dict]) -> np.ndarray | None:
    """Per item and reference group the human position on [0, 1] (``(n_items, n_groups)``, NaN
    padded), for the human spread, by the family's kind; None for the axis instruments, which
    have no human answers.

    Survey items: each country's mean scale position (its answer shares renormalised over the
    options on the scale). Party agreement: each party's position (Wahl-O-Mat: agree 0, neutral
    0.5, disagree 1, the instrument's ``position_values``).
    """
    declared = families.get(family)
    return _HUMAN_POSITIONS[declared.kind](declared, docs)


def _party_positions(family, docs: list[dict]) -> np.ndarray:
    values = family.instrument.position_values
    return stack_ragged([[values[p] for p in doc["party_positions"]] for doc in docs], fill=np.nan)


def _country_positions(family, docs: list[dict]) -> np.ndarray:
    positions = scale_positions(docs)
    width = max(len(doc["distributions"]) for doc in docs)
    shares = np.zeros((len(docs), width, positions.shape[1]))
    for index, doc in enumerate(docs):
        rows = human_distributions(doc)
        shares[index, : rows.shape[0], : rows.shape[1]] = rows
    return expected_positions(shares, positions[:, None, :])


# How each kind's items give human positions (a kind without robustness variants has none to compare).
_HUMAN_POSITIONS = {
    Kind.SURVEY: _country_positions,
    Kind.PARTY_AGREEMENT: _party_positions,
    Kind.AXIS_INSTRUMENT: lambda family, docs: None,
    Kind.OPEN_ENDED: lambda family, docs: None,
    Kind.IMPLICIT_BIAS: lambda family, docs: None,
}
