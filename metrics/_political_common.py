"""What the political-instrument scorers share: their scoring keys, the sites' JavaScript
number formatting, and the checks that turn answers or probabilities into option rows.

Every scorer works on *option rows*: one row per statement over the instrument's options,
one-hot for an answer, the model's probabilities for an expected score, all zeros when
the statement is unanswered (skipped). The scores are linear in these rows.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from numbers import Number

import numpy as np

from ._validation import PROBABILITY_TOLERANCE


@functools.cache
def scoring_key(instrument: str) -> dict:
    """The package-data key ``scoring_keys/<instrument>.json`` (weights, effects, labels), read once."""
    text = resources.files(__package__).joinpath("scoring_keys", f"{instrument}.json").read_text(encoding="utf-8")
    return json.loads(text)


def js_math_round(value: float) -> float:
    """JavaScript ``Math.round``: the nearest integer, halves toward +infinity (-2.5 -> -2)."""
    floor = math.floor(value)
    return float(floor + 1 if value - floor >= 0.5 else floor)


def js_to_fixed(value: float, digits: int) -> str:
    """JavaScript ``Number.prototype.toFixed``: the exact decimal value of the double, rounded
    half away from zero (``(56.25).toFixed(1) == "56.3"``; Python's ``round`` gives 56.2)."""
    exact = Decimal(value + 0.0)  # + 0.0 turns -0.0 into 0.0, as toFixed prints (-0).toFixed(1) as "0.0"
    return str(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def as_statement_sequence(name: str, values, length: int | None = None) -> Sequence:
    """``values`` as a sequence with one entry per statement (``length`` of them when given)."""
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__len__"):
        raise ValueError(f"{name} must be a sequence with one entry per statement; got {type(values).__name__}")
    if length is not None and len(values) != length:
        raise ValueError(f"{name} must have {length} entries (one per statement); got {len(values)}")
    return values


def one_hot_rows(name: str, answers, options: Sequence, length: int | None = None) -> np.ndarray:
    """Option rows of answers given as option values (``options``, in option order) or ``None``."""
    answers = as_statement_sequence(name, answers, length)
    rows = np.zeros((len(answers), len(options)))
    for position, answer in enumerate(answers):
        if answer is not None:
            rows[position, option_index(f"{name}[{position}]", answer, options, none_allowed=True)] = 1.0
    return rows


def option_index(name: str, value, options: Sequence, *, none_allowed: bool = False) -> int:
    """The position of ``value`` among ``options`` (numbers compare by value; bools never match)."""
    if isinstance(value, (str, Number)) and not isinstance(value, (bool, np.bool_)):
        for index, option in enumerate(options):
            if isinstance(option, str) == isinstance(value, str) and value == option:
                return index
    allowed = ", ".join(repr(option) for option in options)
    raise ValueError(f"{name} must be one of {allowed}{' or None' if none_allowed else ''}; got {value!r}")


def as_option_rows(rows, n_statements: int | None, n_options: int) -> np.ndarray:
    """Stacks of option rows, shape ``(..., n_statements, n_options)`` (any ``n_statements`` when
    ``None``): finite, non-negative, each row summing to 1 (within 1e-6) or 0 (unanswered)."""
    array = np.asarray(rows, dtype=float)
    if array.ndim < 2 or array.shape[-1] != n_options or n_statements not in (None, array.shape[-2]):
        shape = f"(..., {'n_statements' if n_statements is None else n_statements}, {n_options})"
        raise ValueError(f"option rows must have shape {shape}; got {array.shape}")
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValueError("option rows must hold finite, non-negative values")
    totals = array.sum(axis=-1)
    if (np.minimum(np.abs(totals), np.abs(totals - 1.0)) > PROBABILITY_TOLERANCE).any():
        raise ValueError("every option row must sum to 1 (an answer or probabilities) or 0 (unanswered)")
    return array


def probability_rows(name: str, probabilities, options: Sequence[str], length: int | None = None) -> np.ndarray:
    """Option rows of probability rows over ``options`` (their labels) or ``None`` (unanswered).

    Each row must be non-negative and sum to 1 within 1e-6; it is then divided by its sum.
    """
    probabilities = as_statement_sequence(name, probabilities, length)
    rows = np.zeros((len(probabilities), len(options)))
    for position, row in enumerate(probabilities):
        if row is not None:
            rows[position] = _probability_row(f"{name}[{position}]", row, options)
    return rows


def _probability_row(name: str, row, options: Sequence[str]) -> np.ndarray:
    try:
        values = np.asarray(row, dtype=float)
    except (TypeError, ValueError):
        values = np.empty(0)
    if values.shape != (len(options),):
        raise ValueError(f"{name} must be {len(options)} probabilities ({', '.join(options)}) or None; got {row!r}")
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"{name} must hold finite, non-negative probabilities; got {values.tolist()}")
    total = values.sum()
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        raise ValueError(f"{name} sums to {total:.9g}; probabilities must sum to 1 (within 1e-6)")
    return values / total
