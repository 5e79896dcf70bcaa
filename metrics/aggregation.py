"""Summaries over items and groups, with percentile-bootstrap confidence intervals over items (or,
for fixed items, over answers drawn from each item's distribution)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._validation import as_sample, as_weights, check_fraction, check_positive_int

_CELLS_PER_CHUNK = 1 << 22  # resample this many (draw, item) cells at a time


def bootstrap_ci(
    values,
    *,
    statistic: Callable = np.mean,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> tuple[float, float]:
    """Percentile-bootstrap confidence interval of ``statistic`` over the items in ``values``.

    Parameters
    ----------
    values : array-like of shape (n_items,)
        One finite score per item (drop skipped items, i.e. NaN, first).
    statistic : callable, default numpy.mean
        Called as ``statistic(samples, axis=-1)`` on a (n_draws, n_items) array.
    confidence_level : float, default 0.95
    n_resamples : int, default 1000
    random_state : int, Generator or None, default 0
        Seed, so that the same inputs give the same interval.

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> low, high = bootstrap_ci([0.2, 0.4, 0.6, 0.8])
    >>> bool(low <= 0.5 <= high)
    True
    """
    sample = as_sample("values", values)
    confidence_level = check_fraction("confidence_level", confidence_level)
    n_resamples = check_positive_int("n_resamples", n_resamples)
    rng = np.random.default_rng(random_state)
    draws = []
    for chunk in _chunks(n_resamples, sample.size):
        indices = rng.integers(0, sample.size, size=(chunk, sample.size))
        draws.append(np.asarray(statistic(sample[indices], axis=-1), dtype=float))
    return _percentile_interval(np.concatenate(draws), confidence_level)


@dataclass(frozen=True)
class BootstrapEstimate:
    """What a bootstrap says about a statistic: its percentile interval and its standard error
    (the standard deviation, ddof=1, of its finite replicates); NaN where no draw was finite."""

    ci_low: float
    ci_high: float
    stderr: float


def bootstrap_estimate(
    statistic: Callable[[np.ndarray], np.ndarray],
    n_items: int,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> BootstrapEstimate:
    """Percentile-bootstrap interval and standard error of a statistic of ``n_items`` items, by item weights.

    Each draw resamples the items with replacement, given as multinomial counts: how many
    times each item is drawn (rows sum to ``n_items``). A statistic written with these
    weights (a weighted mean, a ratio of weighted sums, ...) needs no copy of the data per
    draw; with every weight 1 it must give the point estimate.

    Parameters
    ----------
    statistic : callable
        Called as ``statistic(weights)`` on a (n_draws, n_items) array of counts; returns
        the (n_draws,) values of the statistic. Non-finite values are left out.
    n_items : int
        The number of items resampled.
    confidence_level : float, default 0.95
    n_resamples : int, default 1000
    random_state : int, Generator or None, default 0
        Seed, so that the same inputs give the same estimate.

    Returns
    -------
    BootstrapEstimate
        The interval and the standard error, from the same draws.

    Examples
    --------
    >>> values = np.array([0.2, 0.4, 0.6, 0.8])
    >>> estimate = bootstrap_estimate(lambda weights: weights @ values / values.size, values.size)
    >>> bool(estimate.ci_low <= values.mean() <= estimate.ci_high), bool(0 < estimate.stderr < 0.2)
    (True, True)
    """
    if not callable(statistic):
        raise TypeError(f"statistic must be callable; got {type(statistic).__name__}")

    def checked(weights: np.ndarray) -> dict[str, np.ndarray]:
        values = np.asarray(statistic(weights), dtype=float)
        if values.shape != (len(weights),):
            raise ValueError(f"statistic must return one value per draw, shape ({len(weights)},); got {values.shape}")
        return {"statistic": values}

    options = {"confidence_level": confidence_level, "n_resamples": n_resamples, "random_state": random_state}
    return bootstrap_estimates(checked, n_items, **options)["statistic"]


def bootstrap_estimates(
    statistics: Callable[[np.ndarray], Mapping[str, np.ndarray]],
    n_items: int,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> dict[str, BootstrapEstimate]:
    """:func:`bootstrap_estimate` of several statistics from the same draws: ``statistics(weights)``
    returns ``{name: (n_draws,) values}``; the result is ``{name: BootstrapEstimate}``.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 4.0])
    >>> found = bootstrap_estimates(lambda w: {"mean": w @ x / 4, "max_share": w.max(axis=1) / 4}, 4)
    >>> sorted(found), bool(found["mean"].ci_low <= 2.5 <= found["mean"].ci_high)
    (['max_share', 'mean'], True)
    """
    if not callable(statistics):
        raise TypeError(f"statistics must be callable; got {type(statistics).__name__}")
    n_items = check_positive_int("n_items", n_items)
    confidence_level = check_fraction("confidence_level", confidence_level)
    n_resamples = check_positive_int("n_resamples", n_resamples)
    rng, uniform = np.random.default_rng(random_state), np.full(n_items, 1.0 / n_items)
    chunks = [statistics(rng.multinomial(n_items, uniform, size=chunk)) for chunk in _chunks(n_resamples, n_items)]
    return _estimates(chunks, confidence_level)


_MASS_TOLERANCE = 1e-9  # a row's sum within this of 1 is a complete distribution


def answer_draw_estimates(
    statistics: Callable[[np.ndarray], Mapping[str, np.ndarray]],
    probabilities,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> dict[str, BootstrapEstimate]:
    """Parametric-bootstrap intervals and standard errors of statistics of answers drawn from
    each item's own distribution over its options (the items are fixed; their answers vary).

    Each draw picks one option per item from its row of ``probabilities`` and passes the answers
    as one-hot rows: ``statistics(rows)`` gets a (n_draws, n_items, n_options) array and returns
    ``{name: (n_draws,) values}``. A row's mass short of 1 is the probability that the item goes
    unanswered (a zero row in the draw): the shares of a sampled run's repeats whose answer was
    unusable; an all-zero row is never answered. A point mass on one option per item gives a
    zero-width interval.

    Examples
    --------
    >>> rows = np.array([[0.5, 0.5], [1.0, 0.0]])  # the second item always gives option 0
    >>> found = answer_draw_estimates(lambda drawn: {"ones": drawn[..., 1].sum(axis=-1)}, rows)["ones"]
    >>> found.ci_low, found.ci_high, round(found.stderr, 1)
    (0.0, 1.0, 0.5)
    """
    rows = as_weights("probabilities", probabilities)
    if rows.ndim != 2:
        raise ValueError(f"probabilities must have shape (n_items, n_options); got {rows.shape}")
    totals = rows.sum(axis=1, keepdims=True)
    if (totals > 1 + _MASS_TOLERANCE).any():
        raise ValueError(f"a row of probabilities sums to more than 1 (row {int(np.argmax(totals))})")
    answered = totals > 0
    if ((totals < 1 - _MASS_TOLERANCE) & answered).any():  # partly answered: "no answer" is one more outcome
        pvals = np.hstack([rows, 1.0 - totals])
        answered = np.ones_like(totals, dtype=bool)
    else:  # every row complete or empty: one draw per item among its options
        pvals = np.where(answered, rows, 1.0) / np.where(answered, totals, rows.shape[1])
    confidence_level = check_fraction("confidence_level", confidence_level)
    rng = np.random.default_rng(random_state)
    chunks = [
        statistics((rng.multinomial(1, pvals, size=(chunk, len(rows))) * answered)[..., : rows.shape[1]])
        for chunk in _chunks(check_positive_int("n_resamples", n_resamples), rows.size)
    ]
    return _estimates(chunks, confidence_level)


def _estimates(chunks: list[Mapping[str, np.ndarray]], confidence_level: float) -> dict[str, BootstrapEstimate]:
    """Each statistic's estimate from its replicates, given in chunks of ``{name: values}``."""
    found = {}
    for name in chunks[0]:
        draws = np.concatenate([np.asarray(chunk[name], dtype=float) for chunk in chunks])
        found[name] = BootstrapEstimate(*_percentile_interval(draws, confidence_level), _standard_error(draws))
    return found


def bootstrap_interval(
    statistic: Callable[[np.ndarray], np.ndarray],
    n_items: int,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> tuple[float, float]:
    """The percentile interval of :func:`bootstrap_estimate`: ``(low, high)``, NaN when no draw
    gave a finite value.

    Examples
    --------
    >>> values = np.array([0.2, 0.4, 0.6, 0.8])
    >>> low, high = bootstrap_interval(lambda weights: weights @ values / values.size, values.size)
    >>> bool(low <= values.mean() <= high)
    True
    """
    estimate = bootstrap_estimate(
        statistic, n_items, confidence_level=confidence_level, n_resamples=n_resamples, random_state=random_state
    )
    return estimate.ci_low, estimate.ci_high


def _bootstrap_draws(statistic: Callable, n_items: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """``statistic`` of ``n_resamples`` multinomial item-weight draws, chunked, stacked along axis 0."""
    uniform = np.full(n_items, 1.0 / n_items)
    return np.concatenate(
        [statistic(rng.multinomial(n_items, uniform, size=chunk)) for chunk in _chunks(n_resamples, n_items)]
    )


@dataclass(frozen=True)
class GroupSummary:
    """Per-group means over the items each group answered, and their macro summary.

    Arrays are aligned with ``groups`` (sorted). ``n_skipped`` counts the group's
    pairs whose score was NaN (e.g. items without an ordinal scale). ``macro_mean``,
    ``min`` and ``max`` are over the groups with at least one scored item; ``*_ci`` are
    their percentile intervals and ``*_se`` their bootstrap standard errors, from the same draws.
    """

    groups: list[str]
    n_items: np.ndarray
    n_skipped: np.ndarray
    means: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    macro_mean: float
    macro_mean_ci: tuple[float, float]
    min: float
    min_ci: tuple[float, float]
    min_group: str | None
    max: float
    max_ci: tuple[float, float]
    max_group: str | None
    confidence_level: float
    macro_mean_se: float = float("nan")
    min_se: float = float("nan")
    max_se: float = float("nan")

    def as_rows(self) -> list[dict]:
        """One dict per group: group, n_items, n_skipped, mean, ci_low, ci_high."""
        return [
            {
                "group": group,
                "n_items": int(n),
                "n_skipped": int(skipped),
                "mean": float(mean),
                "ci_low": float(low),
                "ci_high": float(high),
            }
            for group, n, skipped, mean, low, high in zip(
                self.groups, self.n_items, self.n_skipped, self.means, self.ci_low, self.ci_high
            )
        ]


def summarize_by_group(
    scores,
    groups,
    items,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> GroupSummary:
    """Mean score per group over the items it answered, then macro mean, min and max over groups.

    This is GlobalOpinionQA's per-country similarity (each country's mean over its
    questions) and the summary over countries. Confidence intervals resample items
    (questions) with replacement: each draw applies to every group at once, and every
    statistic is recomputed from the drawn items.

    Parameters
    ----------
    scores : array-like of shape (n_pairs,)
        One score per (item, group) pair; NaN marks a skipped pair.
    groups, items : array-like of shape (n_pairs,)
        The group and the item of each pair (any hashable labels).
    confidence_level, n_resamples, random_state
        As in :func:`bootstrap_ci`; ``n_resamples=0`` leaves every interval NaN.

    Returns
    -------
    GroupSummary

    Examples
    --------
    >>> summary = summarize_by_group([1.0, 0.5, 0.0], ["A", "A", "B"], ["q1", "q2", "q1"])
    >>> summary.means.tolist(), summary.macro_mean
    ([0.75, 0.0], 0.375)
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 1:
        raise ValueError(f"scores must be one-dimensional; got shape {scores.shape}")
    group_labels, group_index = _factorize("groups", groups, scores.size)
    _, item_index = _factorize("items", items, scores.size)
    if np.isinf(scores).any():
        raise ValueError("scores contains infinite values")
    confidence_level = check_fraction("confidence_level", confidence_level)
    if n_resamples != 0:
        n_resamples = check_positive_int("n_resamples", n_resamples)

    scored = ~np.isnan(scores)
    n_groups, n_item_ids = len(group_labels), int(item_index.max()) + 1
    totals = np.zeros((n_item_ids, n_groups))
    counts = np.zeros((n_item_ids, n_groups))
    np.add.at(totals, (item_index[scored], group_index[scored]), scores[scored])
    np.add.at(counts, (item_index[scored], group_index[scored]), 1.0)

    means = _group_means(np.ones(n_item_ids), totals, counts)
    answered = ~np.isnan(means)
    drawn = (
        _bootstrap_draws(
            lambda weights: _group_means(weights, totals, counts)[:, answered],
            n_item_ids,
            n_resamples,
            np.random.default_rng(random_state),
        )
        if n_resamples
        else np.full((1, int(answered.sum())), np.nan)
    )
    ci_low, ci_high = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    for column, group in enumerate(np.flatnonzero(answered)):
        ci_low[group], ci_high[group] = _percentile_interval(drawn[:, column], confidence_level)

    valid = means[answered]
    labels = [label for label, kept in zip(group_labels, answered) if kept]
    macro_mean, macro_mean_ci, macro_mean_se = _reduce(np.nanmean, valid, drawn, confidence_level)
    low, low_ci, low_se = _reduce(np.nanmin, valid, drawn, confidence_level)
    high, high_ci, high_se = _reduce(np.nanmax, valid, drawn, confidence_level)
    return GroupSummary(
        groups=list(group_labels),
        n_items=counts.sum(axis=0).astype(int),
        n_skipped=np.bincount(group_index[~scored], minlength=n_groups),
        means=means,
        ci_low=ci_low,
        ci_high=ci_high,
        macro_mean=macro_mean,
        macro_mean_ci=macro_mean_ci,
        min=low,
        min_ci=low_ci,
        min_group=str(labels[int(np.argmin(valid))]) if labels else None,
        max=high,
        max_ci=high_ci,
        max_group=str(labels[int(np.argmax(valid))]) if labels else None,
        confidence_level=confidence_level,
        macro_mean_se=macro_mean_se,
        min_se=low_se,
        max_se=high_se,
    )


def _reduce(reducer, values: np.ndarray, drawn: np.ndarray, confidence_level: float):
    """``reducer`` over the group means, with its interval and standard error over the bootstrap draws."""
    if values.size == 0:
        return float("nan"), (float("nan"), float("nan")), float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a draw in which no group is left
        reduced = reducer(drawn, axis=1)
        return float(reducer(values)), _percentile_interval(reduced, confidence_level), _standard_error(reduced)


def _group_means(item_weights: np.ndarray, totals: np.ndarray, counts: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return (item_weights @ totals) / (item_weights @ counts)


def _factorize(name: str, labels, size: int) -> tuple[list, np.ndarray]:
    values = list(labels)
    if len(values) != size:
        raise ValueError(f"{name} has {len(values)} entries but scores has {size}")
    if size == 0:
        raise ValueError("scores is empty")
    ordered = sorted(set(values), key=str)
    position = {label: index for index, label in enumerate(ordered)}
    return ordered, np.fromiter((position[value] for value in values), dtype=np.intp, count=size)


def _chunks(total: int, width: int):
    step = max(1, _CELLS_PER_CHUNK // max(width, 1))
    for start in range(0, total, step):
        yield min(step, total - start)


def _percentile_interval(draws: np.ndarray, confidence_level: float) -> tuple[float, float]:
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return (float("nan"), float("nan"))
    tail = (1 - confidence_level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return (float(low), float(high))


def _standard_error(draws: np.ndarray) -> float:
    """The standard deviation (ddof=1) of the finite bootstrap replicates (exactly 0 when they are all
    equal: taken about the first); NaN with fewer than two."""
    finite = draws[np.isfinite(draws)]
    return float(np.std(finite - finite[0], ddof=1)) if finite.size > 1 else float("nan")


def summary_floats(name: str, scores, groups=None, items=None) -> dict[str, float]:
    """The summary numbers of a metric as plain floats, keyed ``name``, ``name_min``, ``name_max``.

    Without ``groups``: the mean over the scored pairs. With ``groups``: the macro mean
    over groups of each group's mean, and the lowest and highest group mean. ``items``
    defaults to one item per pair. Also ``name_skipped``: the number of NaN pairs.
    """
    scores = np.asarray(scores, dtype=float)
    skipped = float(np.isnan(scores).sum())
    if groups is None:
        scored = scores[~np.isnan(scores)]
        return {name: float(scored.mean()) if scored.size else float("nan"), f"{name}_skipped": skipped}
    summary = summarize_by_group(scores, groups, range(scores.size) if items is None else items, n_resamples=0)
    return {
        name: summary.macro_mean,
        f"{name}_min": summary.min,
        f"{name}_max": summary.max,
        f"{name}_skipped": skipped,
    }


def stack_ragged(rows, *, fill: float) -> np.ndarray:
    """Stack rows of different lengths into a 2-D float array, padding with ``fill``.

    Padding with zero weight leaves both metrics unchanged; padded positions are NaN.
    """
    rows = [np.asarray(row, dtype=float) for row in rows]
    if not rows:
        raise ValueError("no rows to stack")
    if any(row.ndim != 1 for row in rows):
        raise ValueError("every row must be one-dimensional")
    stacked = np.full((len(rows), max(row.size for row in rows)), fill, dtype=float)
    for index, row in enumerate(rows):
        stacked[index, : row.size] = row
    return stacked
