"""Input checks shared by the metric functions: each error names the argument and the fault."""

from __future__ import annotations

import numpy as np


def as_weights(name: str, values) -> np.ndarray:
    """``values`` as a float array of non-negative, finite weights with at least one axis."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric array-like; got {type(values).__name__}") from None
    if array.ndim == 0:
        raise ValueError(f"{name} must have an option axis (the last axis); got a scalar")
    if array.shape[-1] == 0:
        raise ValueError(f"{name} has no options (its last axis is empty)")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    if (array < 0).any():
        raise ValueError(f"{name} contains negative values; probabilities and counts must be >= 0")
    return array


def as_positions(name: str, values) -> np.ndarray:
    """Ordinal positions as a float array; NaN (or None) marks an option off the scale."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric array-like, with None or NaN for options off the scale") from None
    if array.ndim == 0:
        raise ValueError(f"{name} must have an option axis (the last axis); got a scalar")
    if np.isinf(array).any():
        raise ValueError(f"{name} contains infinite positions")
    return array


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast the arrays together, or say which shapes clash."""
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in arrays.items())
        raise ValueError(f"shapes do not broadcast: {shapes}") from None


def as_sample(name: str, values) -> np.ndarray:
    """A one-dimensional, non-empty array of finite floats."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a one-dimensional sequence of numbers") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values; drop skipped items first")
    return array


def check_fraction(name: str, value: float) -> float:
    if not 0 < value < 1:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive); got {value!r}")
    return float(value)


def check_positive_int(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


PROBABILITY_TOLERANCE = 1e-6  # how far from 1 a row of probabilities may sum


def scalar_or_array(values: np.ndarray):
    """A 0-d result as a Python float, anything else as the array."""
    return values.item() if values.ndim == 0 else values
