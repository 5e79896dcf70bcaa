"""Option log-probabilities from the next token's top-k log-probabilities (OpinionQA's rule).

Santurkar et al.'s ``helpers.get_probabilities`` (ANCHORS.md 1.1): an option label's
log-probability is the largest top-k entry spelled ``" X"`` or ``"X"``; a label absent from
the top-k gets ``log(min(min_prob, remaining_prob / n_missing))`` with
``min_prob = exp(min top-k log-probability)`` and
``remaining_prob = max(0, 1 - sum(exp(top-k log-probabilities)))``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# A label one next token can stand for: one or two letters or digits ("A", "3", "12").
_SHORT_LABEL = re.compile(r"^\w{1,2}$")


@dataclass(frozen=True)
class OptionLogprobs:
    """The log-probabilities of one question's option labels, in the order asked."""

    logprobs: list[float]
    floored: list[bool]  # True where the label was not among the top-k (OpinionQA's floor)
    top_token: str  # the most likely next token, as the server spelled it


def unreadable_labels(labels: list[str]) -> str | None:
    """Why one next token cannot tell these option labels apart, or None if it can.

    A label must be one or two letters or digits (after stripping the leading space lm-eval
    puts before a continuation), and no label may begin another ("1" and "10" share their
    first token under many tokenizers).
    """
    stripped = [label.strip() for label in labels]
    for label, raw in zip(stripped, labels):
        if not _SHORT_LABEL.match(label):
            return f"the option {raw!r} is not a one- or two-character label"
    for label in stripped:
        longer = [other for other in stripped if other != label and other.startswith(label)]
        if longer:
            return f"the labels {label!r} and {longer[0]!r} begin alike"
    if len(set(stripped)) < len(stripped):
        return "two options have the same label"
    return None


def option_logprobs(top: dict[str, float], labels: list[str]) -> OptionLogprobs:
    """Each label's log-probability from ``top`` (next token -> log-probability), floored by
    OpinionQA's rule where the label is missing. Raises ValueError for an empty ``top``."""
    if not top:
        raise ValueError("no top log-probabilities")
    found = {}
    for label in labels:
        key = label.strip()
        spelled = [top[token] for token in (" " + key, key) if token in top]
        if spelled:
            found[label] = max(spelled)
    missing = [label for label in labels if label not in found]
    floor = _floor(list(top.values()), len(missing)) if missing else None
    return OptionLogprobs(
        logprobs=[found.get(label, floor) for label in labels],
        floored=[label not in found for label in labels],
        top_token=max(top, key=top.get),
    )


def _floor(top_logprobs: list[float], n_missing: int) -> float:
    """OpinionQA's log-probability for each of ``n_missing`` labels absent from the top-k."""
    min_prob = math.exp(min(top_logprobs))
    remaining_prob = max(0.0, 1.0 - sum(math.exp(value) for value in top_logprobs))
    floor = min(min_prob, remaining_prob / n_missing)
    return math.log(floor) if floor > 0 else float("-inf")
