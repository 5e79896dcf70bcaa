"""Robustness variants of the closed-form (log-likelihood) tasks: the same items with the options in
another order, labelled another way, or asked in other words.

Khan et al. (2025) and Röttger et al. (2024) show that option order, label style and wording move
survey answers of language models; a variant makes such an effect measurable. A variant never changes
what is scored: the model's option log-likelihoods come back in display order and are mapped to the
canonical option order (:func:`to_canonical`) before the family's usual scoring, so a variant task
reports the same metrics as its canonical task.

Variant documents carry ``variant``, ``variant_kind``, ``display_order`` (display position ``j``
shows canonical option ``display_order[j]``), ``label_style`` and ``paraphrase``; a canonical task's
documents lack them and read as canonical (:func:`view`). Which families have variants, with
which label style and paraphrases, is their declaration's :class:`opinionbench.families.Robustness`.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Sequence
from dataclasses import dataclass

import datasets
import numpy as np

from opinionbench import families
from opinionbench.families import Family

ORDER_VARIANTS = ("reversed", "permutation1", "permutation2", "permutation3")
LABEL_STYLES = ("letters", "numbers", "text")
N_PARAPHRASES = 10
PARAPHRASE_VARIANTS = tuple(f"paraphrase{index:02d}" for index in range(1, N_PARAPHRASES + 1))


def variant_names(family: Family) -> tuple[str, ...]:
    """Every robustness variant of ``family`` (the canonical prompt excluded)."""
    spec = family.robustness
    if spec is None:
        return ()
    if not spec.reorderable:
        return PARAPHRASE_VARIANTS
    styles = tuple(style for style in LABEL_STYLES if style != spec.label_style)
    return ORDER_VARIANTS + styles + PARAPHRASE_VARIANTS


def task_name(family: str, variant: str) -> str:
    """The lm-eval task of a family's variant: ``<family>_<variant>_logprob``."""
    return f"{family}_{variant}_logprob"


def variant_kind(name: str) -> str:
    """``"canonical"``, ``"order"``, ``"labels"`` or ``"paraphrase"``; ValueError for an unknown name."""
    if name == "canonical":
        return "canonical"
    if name in ORDER_VARIANTS:
        return "order"
    if name in LABEL_STYLES:
        return "labels"
    if name in PARAPHRASE_VARIANTS:
        return "paraphrase"
    known = ", ".join(ORDER_VARIANTS + LABEL_STYLES + PARAPHRASE_VARIANTS)
    raise ValueError(f"unknown variant {name!r}; known: {known}")


def display_order(item_id: str, n_options: int, variant: str) -> list[int]:
    """The canonical option shown at each display position of ``item_id`` under ``variant``.

    ``reversed`` shows the last option first; ``permutationK`` is a random order drawn from a
    generator seeded by the variant name and the item id (the same on every machine and run, a
    different order per item); every other variant keeps the canonical order.
    """
    if variant == "reversed":
        return list(range(n_options - 1, -1, -1))
    if variant_kind(variant) == "order":
        seed = int.from_bytes(hashlib.sha256(f"{variant}:{item_id}".encode()).digest()[:8], "big")
        return [int(index) for index in np.random.default_rng(seed).permutation(n_options)]
    return list(range(n_options))


def to_canonical(values: Sequence, order: Sequence[int]) -> np.ndarray:
    """Per-option ``values`` given in display order, rearranged into canonical option order.

    Examples
    --------
    >>> to_canonical([0.7, 0.2, 0.1], [2, 0, 1]).tolist()
    [0.2, 0.1, 0.7]
    """
    values, order = np.asarray(values), np.asarray(order, dtype=int)
    if values.shape[:1] != order.shape or sorted(order.tolist()) != list(range(order.size)):
        raise ValueError(f"display order {order.tolist()} is not a permutation of {len(values)} options")
    canonical = np.empty_like(values)
    canonical[order] = values
    return canonical


@dataclass(frozen=True)
class View:
    """How one document is presented: its variant, option order, label style and wording."""

    variant: str
    kind: str
    display_order: list[int]
    label_style: str
    paraphrase: int


def view(doc: dict) -> View:
    """The presentation of ``doc``; canonical for documents without variant fields."""
    if "variant" in doc:
        return View(doc["variant"], doc["variant_kind"], doc["display_order"], doc["label_style"], doc["paraphrase"])
    label_style = families.of_document(doc).robustness.label_style
    return View("canonical", "canonical", list(range(len(doc["options"]))), label_style, 0)


def displayed_options(doc: dict, options: Sequence[str] | None = None) -> list[str]:
    """The option texts (``doc["options"]`` unless given) in display order."""
    options = doc["options"] if options is None else options
    return [options[index] for index in view(doc).display_order]


def labels(doc: dict, options: Sequence[str] | None = None) -> list[str]:
    """The answer the model gives for each display position: a letter, a number or the option text."""
    shown = displayed_options(doc, options)
    style = view(doc).label_style
    if style == "letters":
        if len(shown) > len(string.ascii_uppercase):
            raise ValueError(f"{doc.get('id')}: {len(shown)} options, more than there are letters")
        return list(string.ascii_uppercase[: len(shown)])
    if style == "numbers":
        return [str(number) for number in range(1, len(shown) + 1)]
    return shown


def option_lines(doc: dict, line_format: str, options: Sequence[str] | None = None) -> str:
    """The options as shown in the prompt, one per line: ``line_format`` with ``{label}`` and
    ``{option}`` (e.g. ``"({label}) {option}"``), or ``"- {option}"`` when the texts are the labels."""
    shown = displayed_options(doc, options)
    if view(doc).label_style == "text":
        return "\n".join(f"- {option}" for option in shown)
    return "\n".join(
        line_format.format(label=label, option=option) for label, option in zip(labels(doc, options), shown)
    )


def canonical_loglikelihoods(doc: dict, results) -> np.ndarray:
    """lm-eval's ``(loglikelihood, is_greedy)`` pairs of a document, as log-likelihoods in canonical order."""
    return to_canonical([loglikelihood for loglikelihood, _ in results], view(doc).display_order)


def require_canonical(doc: dict, what: str) -> None:
    """Stop with a clear error when a variant document reaches code that only handles the canonical prompt."""
    if view(doc).variant != "canonical":
        raise ValueError(
            f"{doc.get('id')}: variant {view(doc).variant!r} is not supported for {what}; "
            "robustness variants apply to the log-likelihood tasks"
        )


def apply_variant(items: datasets.Dataset, family_name: str, variant: str | None) -> datasets.Dataset:
    """``items`` with the variant fields of ``variant`` added (unchanged for None or ``"canonical"``)."""
    if variant in (None, "canonical"):
        return items
    kind = variant_kind(variant)
    family = families.get(family_name)
    if variant not in variant_names(family):
        raise ValueError(
            f"{family.name} has no variant {variant!r}"
            + (
                ""
                if family.robustness is None or family.robustness.reorderable
                else ": its answer codes' meanings are inline in the question, so only paraphrases"
            )
            + f"; its variants: {', '.join(variant_names(family)) or 'none'}"
        )
    style = variant if kind == "labels" else family.robustness.label_style
    paraphrase = PARAPHRASE_VARIANTS.index(variant) + 1 if kind == "paraphrase" else 0
    columns = {
        "variant": ([variant] * len(items), datasets.Value("string")),
        "variant_kind": ([kind] * len(items), datasets.Value("string")),
        "display_order": (
            [display_order(item_id, len(options), variant) for item_id, options in zip(items["id"], items["options"])],
            datasets.List(datasets.Value("int64")),
        ),
        "label_style": ([style] * len(items), datasets.Value("string")),
        "paraphrase": ([paraphrase] * len(items), datasets.Value("int64")),
    }
    for name, (column, feature) in columns.items():
        items = items.add_column(name, column, feature=feature)
    return items
