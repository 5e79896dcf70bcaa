"""Reading lm-eval's output files in the tests, independently of the project's own readers."""

from __future__ import annotations

import json
from pathlib import Path


def results_file(output_path: Path) -> Path:
    """The one ``results_*.json`` lm-eval wrote under ``output_path``."""
    [path] = output_path.rglob("results_*.json")
    return path


def read_samples(results: Path, task: str) -> list[dict]:
    """The samples log of ``task`` beside the results file ``results``, one dict per document."""
    [path] = results.parent.glob(f"samples_{task}_*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def read_reported(results: Path, task: str) -> dict[str, float]:
    """lm-eval's table for ``task`` (filter ``none``), keyed by metric name."""
    row = json.loads(results.read_text())["results"][task]
    return {key.split(",")[0]: value for key, value in row.items() if key.endswith(",none")}
