"""Rows that merge two or more wordings of one question into one option list.

Some Pew rows list the options of several wordings (variants) one after the other; each country
answered one variant and has zero shares on the others' options. A row is read as merged when
its whole option list is no ordinal scale and the substantive options that countries chose
fall into two or more separate runs of the listing, each of at least two options:

* variant ``k`` is the ``k``-th run; a substantive option nobody chose joins the run before it;
* a country's variant is the run of its substantive choices (``-1``: it chose none, so it
  counts as asked every option);
* a non-substantive option belongs to the one variant whose countries chose it, or to every
  variant (``-1``) when countries of several variants, or none, chose it.

Each variant's options are classified on their own (:func:`..answer_scales.classify_options`).
A country is scored on the options of its variant and the shared ones only
(``opinionbench.tasks.global_opinions.utils.asked_options``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ..answer_scales import classify_options

SHARED = -1


def classify_item(options: Sequence[str], numeric: Sequence[bool], distributions: Sequence[Sequence[float]]) -> dict:
    """The item's ``ordinal``, ``nonsubstantive``, ``option_variant`` and ``group_variant`` fields."""
    ordinal, nonsubstantive = classify_options(options, numeric)
    variants = None if any(p is not None for p in ordinal) else split_variants(distributions, nonsubstantive)
    if variants is None:
        return {
            "ordinal": ordinal,
            "nonsubstantive": nonsubstantive,
            "option_variant": [0] * len(options),
            "group_variant": [0] * len(distributions),
        }
    option_variant, group_variant = variants
    for variant in range(max(option_variant) + 1):
        members = [i for i, v in enumerate(option_variant) if v == variant]
        positions, _ = classify_options([options[i] for i in members], [numeric[i] for i in members])
        for i, position in zip(members, positions):
            ordinal[i] = position
    return {
        "ordinal": ordinal,
        "nonsubstantive": nonsubstantive,
        "option_variant": option_variant,
        "group_variant": group_variant,
    }


def split_variants(
    distributions: Sequence[Sequence[float]], nonsubstantive: Sequence[bool]
) -> tuple[list[int], list[int]] | None:
    """``(option_variant, group_variant)`` of a merged row (module docstring), None for a row of
    one question."""
    substantive = [i for i, off in enumerate(nonsubstantive) if not off]
    chosen = [[k for k, i in enumerate(substantive) if shares[i] > 0] for shares in distributions]
    starts = _run_starts([(picks[0], picks[-1]) for picks in chosen if picks])
    if len(starts) < 2:
        return None
    run_of = [max(0, bisect_right(starts, k) - 1) for k in range(len(substantive))]
    if any(run_of.count(run) < 2 for run in range(len(starts))):
        return None
    group_variant = [run_of[picks[0]] if picks else SHARED for picks in chosen]
    option_variant = [SHARED] * len(nonsubstantive)
    for k, i in enumerate(substantive):
        option_variant[i] = run_of[k]
    for i, off in enumerate(nonsubstantive):
        if off:
            users = {v for v, shares in zip(group_variant, distributions) if shares[i] > 0 and v != SHARED}
            option_variant[i] = users.pop() if len(users) == 1 else SHARED
    return option_variant, group_variant


def _run_starts(spans: list[tuple[int, int]]) -> list[int]:
    """First index of each run left when the overlapping ``(first, last)`` spans are joined."""
    starts: list[int] = []
    end = -1
    for first, last in sorted(spans):
        if first > end:
            starts.append(first)
        end = max(end, last)
    return starts
