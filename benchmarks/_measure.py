"""Measuring helpers shared by the benchmark scripts."""

from __future__ import annotations

import time


def timed(owner, attribute: str) -> list[float]:
    """Wrap ``owner.<attribute>`` (a method or a module's function); each call appends its duration."""
    durations: list[float] = []
    original = getattr(owner, attribute)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = original(*args, **kwargs)
        durations.append(time.perf_counter() - start)
        return result

    setattr(owner, attribute, wrapper)
    return durations


def scoring_seconds(task, samples) -> float:
    """Time OpinionBench's parts of an lm-eval run again: documents, process_results, aggregation."""
    start = time.perf_counter()
    task.config.custom_dataset(**(task.config.metadata or {}), **(task.config.dataset_kwargs or {}))
    metrics: dict[str, list] = {}
    for sample in samples:
        for key, value in task.process_results(sample["doc"], sample["filtered_resps"]).items():
            metrics.setdefault(key, []).append(value)
    aggregations = task.aggregation()
    for key, values in metrics.items():
        aggregations[key](values)
    return time.perf_counter() - start
