"""Reading what ``lm_eval --output_path DIR --log_samples`` wrote.

lm-eval writes ``DIR/<model>/results_<timestamp>.json`` and, per task,
``samples_<task>_<timestamp>.jsonl`` beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from opinionbench.errors import OpinionBenchError

_REQUIRED_KEYS = ("results", "configs", "model_name")


@dataclass(frozen=True)
class EvaluationRun:
    """One lm-eval results file and the samples logged with it."""

    results_file: Path
    results: dict

    @property
    def timestamp(self) -> str:
        return self.results_file.stem.removeprefix("results_")

    @property
    def model_name(self) -> str:
        return str(self.results["model_name"])

    @property
    def tasks(self) -> list[str]:
        """The tasks (not groups) of the run that logged samples."""
        return sorted(task for task in self.results["configs"] if self.samples_file(task).is_file())

    def samples_file(self, task: str) -> Path:
        return self.results_file.with_name(f"samples_{task}_{self.timestamp}.jsonl")

    def summary(self, task: str) -> dict[str, float]:
        """The task's numbers in lm-eval's table: ``{metric: value}`` for the unfiltered metrics."""
        row = self.results["results"].get(task, {})
        return {
            key.split(",")[0]: value
            for key, value in row.items()
            if "," in key and "_stderr" not in key and isinstance(value, (int, float))
        }

    def samples(self, task: str) -> Iterator[dict]:
        """The logged samples of ``task``, one dict per document, in file order."""
        for _, sample in self.numbered_samples(task):
            yield sample

    def numbered_samples(self, task: str) -> Iterator[tuple[int, dict]]:
        """``(line number, sample)`` of every logged sample of ``task``, in file order."""
        path = self.samples_file(task)
        with path.open(encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield line_number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise OpinionBenchError(f"{path}: line {line_number} is not valid JSON ({exc.msg}).") from None


def find_runs(output_path: str | Path) -> list[EvaluationRun]:
    """Every lm-eval run under ``output_path`` (a results file, or a folder searched recursively)."""
    root = Path(output_path).expanduser()
    if not root.exists():
        raise OpinionBenchError(f"{root} does not exist; pass the --output_path given to lm_eval.")
    files = [root] if root.is_file() else sorted(root.rglob("results_*.json"))
    if not files:
        raise OpinionBenchError(f"{root} holds no lm-eval results_*.json file (was --output_path set?).")
    return [_read_run(path) for path in files]


def find_all_runs(output_paths: Iterable[str | Path]) -> list[EvaluationRun]:
    """The runs under every path, each once (paths may overlap)."""
    runs = {run.results_file.resolve(): run for path in output_paths for run in find_runs(path)}
    return list(runs.values())


def _read_run(path: Path) -> EvaluationRun:
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OpinionBenchError(f"{path}: not a readable lm-eval results file ({exc}).") from None
    missing = [key for key in _REQUIRED_KEYS if not isinstance(results, dict) or key not in results]
    if missing:
        raise OpinionBenchError(f"{path}: not an lm-eval results file (no {', '.join(missing)}).")
    return EvaluationRun(results_file=path, results=results)
