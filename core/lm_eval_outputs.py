"""What OpinionBench's tasks leave in lm-eval's outputs, and reading it back: the contract between
the tasks (which write it) and the report, robustness report and site (which read it).

- lm-eval writes ``DIR/<model>/results_<timestamp>.json`` and, per task,
  ``samples_<task>_<timestamp>.jsonl`` beside it (:class:`EvaluationRun`, :func:`find_runs`).
- Per document, ``process_results`` gives each summary key a payload; a survey task's payload
  holds one score per scored group (:func:`group_payload`, read back by :func:`payload_pairs`).
- The stderr-key convention: every summary key but counts (``*_skipped``) has ``<key>_stderr``,
  which carries the key's own payload (:func:`with_stderr`) and holds its bootstrap standard
  error in the table, where lm-eval shows it in the Stderr column of the key's row
  (:func:`stderr_key`, :func:`is_stderr`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from opinionbench.errors import OpinionBenchError
from opinionbench.run_info import RunInfo, run_info, slug

STDERR_SUFFIX = "_stderr"  # lm-eval's own: the Stderr column of a key's row shows <key>_stderr
COUNT_SUFFIX = "_skipped"  # counts have no standard error


def stderr_key(key: str) -> str:
    """The key of ``key``'s standard error: ``stderr_key("econ") == "econ_stderr"``."""
    return f"{key}{STDERR_SUFFIX}"


def is_stderr(key: str) -> bool:
    """Whether ``key`` is the standard error of another key (``js_similarity_stderr``, ...)."""
    return key.endswith(STDERR_SUFFIX)


def with_stderr(results: dict) -> dict:
    """``results`` (a ``process_results`` dict) plus ``<key>_stderr``, holding the key's own
    payload, for every key but counts (after all the keys, so that lm-eval writes each standard
    error after its key's)."""
    return {**results, **{stderr_key(key): value for key, value in results.items() if not key.endswith(COUNT_SUFFIX)}}


def group_payload(item: str, groups: Sequence[str], scores) -> dict:
    """One document's scores per group (country) as JSON: ``{"item", "groups", "scores"}``, NaN as None."""
    return {
        "item": item,
        "groups": list(groups),
        "scores": [None if np.isnan(score) else float(score) for score in np.atleast_1d(scores)],
    }


def payload_pairs(payloads) -> tuple[np.ndarray, list[str], list[str]]:
    """All (question, group) pairs of a list of group payloads: scores (NaN if skipped), groups, items."""
    scores, groups, items = [], [], []
    for entry in payloads:
        scores += [np.nan if score is None else score for score in entry["scores"]]
        groups += entry["groups"]
        items += [entry["item"]] * len(entry["groups"])
    return np.asarray(scores, dtype=float), groups, items


_REQUIRED_KEYS = ("results", "configs", "model_name")


@dataclass(frozen=True)
class EvaluationRun:
    """One lm-eval results file and the samples logged with it.

    ``model`` is the model's display name (:func:`opinionbench.run_info.display_name`: never a path
    of the machine that ran it) and ``label`` names the run in file and folder names; ``info``
    is everything the results file records about the run.
    """

    results_file: Path
    results: dict

    @property
    def timestamp(self) -> str:
        return self.results_file.stem.removeprefix("results_")

    @functools.cached_property
    def info(self) -> RunInfo:
        """The run's metadata: model, backend, chat template, versions, date, coverage per task."""
        return run_info(self.results)

    @property
    def model(self) -> str:
        return self.info.display_name

    @property
    def label(self) -> str:
        """The run in file and folder names: ``<model slug>_<timestamp>``."""
        return f"{slug(self.model)}_{self.timestamp}"

    @property
    def tasks(self) -> list[str]:
        """The tasks (not groups) of the run that logged samples."""
        return sorted(task for task in self.results["configs"] if self.samples_file(task).is_file())

    def samples_file(self, task: str) -> Path:
        return self.results_file.with_name(f"samples_{task}_{self.timestamp}.jsonl")

    def summary(self, task: str) -> dict[str, float]:
        """The task's numbers in lm-eval's table: ``{metric: value}`` (standard errors left out)."""
        return {key: value for key, value in self._numbers(task).items() if not is_stderr(key)}

    def stderrs(self, task: str) -> dict[str, float]:
        """The task's standard errors in lm-eval's table: ``{metric: stderr}`` (numbers only, not "N/A")."""
        numbers = self._numbers(task)
        return {key: numbers[stderr_key(key)] for key in numbers if not is_stderr(key) and stderr_key(key) in numbers}

    def _numbers(self, task: str) -> dict[str, float]:
        row = self.results["results"].get(task, {})
        return {
            key.split(",")[0]: value
            for key, value in row.items()
            if "," in key and isinstance(value, (int, float)) and not isinstance(value, bool)
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
