"""What a judge returns: references, each to one perspective, and their counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from .perspectives import PerspectiveSet


class Reference(NamedTuple):
    """One reference in an answer: the perspective it draws on and the words that do."""

    perspective: str
    quote: str


class PerspectiveJudge(Protocol):
    """Maps an answer to the references it makes to the perspectives of its list."""

    perspectives: PerspectiveSet

    def references(self, question: str, answer: str, *, item: str) -> list[Reference]:
        """The references in ``answer`` to ``question``; ``item`` names the answer in errors."""


def reference_counts(references: Iterable[Reference], names: Sequence[str]) -> list[int]:
    """How many of ``references`` fall to each perspective in ``names``, in that order."""
    counts = dict.fromkeys(names, 0)
    for reference in references:
        counts[reference.perspective] += 1
    return list(counts.values())
