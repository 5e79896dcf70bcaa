"""What the ``evaluate`` wrappers share: their input features, how a pure function's errors are
put in the module's terms, and how rows are split into groups and summarised."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import datasets
import numpy as np

# The citation of the MENAValues modules (kl_divergence, nvas, nvas_expected).
MENA_VALUES_CITATION = """
@article{zahraei2025menavalues,
  title   = {I Am Aligned, But With Whom? MENA Values Benchmark for Evaluating Cultural Alignment and Multilingual Bias in LLMs},
  author  = {Zahraei, Pardis Sadat and Asgari, Ehsaneddin},
  journal = {arXiv preprint arXiv:2510.13154},
  year    = {2025}
}
"""


def distribution_pair_features() -> datasets.Features:
    """Inputs of the distribution metrics: a model and a human distribution per pair."""
    return datasets.Features(
        {
            "predictions": datasets.List(datasets.Value("float64")),
            "references": datasets.List(datasets.Value("float64")),
        }
    )


def numeric_pair_features() -> datasets.Features:
    """Inputs of the MENAValues scores: the model's answer code and the human reference per pair
    (``None`` for a missing one)."""
    return datasets.Features({"predictions": datasets.Value("float64"), "references": datasets.Value("float64")})


def answer_features() -> datasets.Features:
    """Inputs of an instrument scorer: one answer per statement (``None`` for unanswered), no references.

    Numeric answers are read as float64, not int64: Arrow casts 2.5 to the int 2 without a word,
    whereas a float reaches the scorer, which rejects what is not one of its options.
    """
    return datasets.Features({"predictions": datasets.Value("float64")})


# evaluate checks only the first row of a "string" column, and rejects None there (so a skipped first
# thesis would fail); a "large_string" column is not checked, and the scorer validates every value.
OPTIONAL_STRING = "large_string"


@contextmanager
def module_errors(
    names: Mapping[str, str],
    *,
    rows: Sequence[int] | None = None,
    group=None,
    patterns: Sequence[tuple[str, str | Callable]] = (),
) -> Iterator[None]:
    """Re-raise a pure function's ``ValueError`` in the module's terms.

    ``names`` maps an argument of the pure function to the module input it came from (``answers``
    -> ``predictions``): the first occurrence of each as a whole word in the message is replaced,
    and an index after it (``answers[3]``) becomes the row of the module's input, ``rows[3]``
    (the rows of one group). ``patterns`` are further ``(regex, replacement)`` substitutions, applied
    first. With ``group``, the message starts with the group's label.
    """
    try:
        yield
    except ValueError as error:
        message = str(error)
        for pattern, replacement in patterns:
            message = re.sub(pattern, replacement, message, count=1)
        for pure, module in names.items():

            def renamed(match: re.Match, module: str = module) -> str:
                if match.group(1) is None:
                    return module
                index = int(match.group(1))
                return f"{module}[{rows[index] if rows is not None and index < len(rows) else index}]"

            message = re.sub(rf"\b{re.escape(pure)}\b(?:\[(\d+)\])?", renamed, message, count=1)
        if group is not None:
            message = f"group {group!r}: {message}"
        raise ValueError(message) from error


def group_rows(n_rows: int, groups) -> list[tuple[object, np.ndarray]]:
    """The row indices of each group, groups in order of first appearance; one group of every row
    (labelled ``None``) without ``groups``."""
    if groups is None:
        return [(None, np.arange(n_rows))]
    if isinstance(groups, (str, bytes)) or not hasattr(groups, "__len__"):
        raise ValueError(f"groups must be a list with one label per row; got {type(groups).__name__}")
    if len(groups) != n_rows:
        raise ValueError(f"groups has {len(groups)} entries but predictions has {n_rows}")
    rows: dict = {}
    for index, label in enumerate(groups):
        rows.setdefault(label, []).append(index)
    return [(label, np.asarray(indices)) for label, indices in rows.items()]


def score_answer_sets(scorer, predictions: Sequence, groups) -> list:
    """``scorer`` of each group's answers (one answer set per group; every answer without
    ``groups``), its errors named by the module's argument and the group."""
    results = []
    for group, rows in group_rows(len(predictions), groups):
        with module_errors({"answers": "predictions"}, rows=rows, group=group):
            results.append(scorer([predictions[row] for row in rows]))
    return results


def axis_spreads(prefix: str, axes: Sequence[str], results: Sequence) -> dict[str, float]:
    """:func:`spread` over the groups' results of every axis, named ``<prefix>_<axis>``."""
    return {
        key: value for axis in axes for key, value in spread(f"{prefix}_{axis}", [r[axis] for r in results]).items()
    }


def per_row(name: str, values, n_rows: int) -> list:
    """``values`` split by row when it is a list with one entry per row, else the same value for every row."""
    if isinstance(values, (list, tuple, np.ndarray)):
        if len(values) != n_rows:
            raise ValueError(f"{name} has {len(values)} entries but predictions has {n_rows}")
        return list(values)
    return [values] * n_rows


def check_per_pair(name: str, value, n_pairs: int) -> None:
    """``value`` is one value for every pair, or a list with one entry per pair (not something that
    would broadcast to another number of pairs)."""
    shape = np.shape(value)
    if shape not in ((), (n_pairs,)):
        raise ValueError(f"{name} must be one value or one per pair ({n_pairs}); got shape {shape}")


def spread(name: str, values: Sequence[float]) -> dict[str, float]:
    """``name``: the mean of the groups' values, ``name_min`` and ``name_max``; NaN values are left out."""
    finite = [float(value) for value in values if not math.isnan(value)]
    if not finite:
        return {name: float("nan"), f"{name}_min": float("nan"), f"{name}_max": float("nan")}
    return {name: float(np.mean(finite)), f"{name}_min": min(finite), f"{name}_max": max(finite)}


def unanswered(predictions: Sequence) -> float:
    """The number of ``None`` answers (unanswered statements), as a float."""
    return float(sum(answer is None for answer in predictions))
