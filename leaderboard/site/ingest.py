"""Ingesting lm-eval results files for the leaderboard site: every file is checked against
lm-eval's results schema (a bad file is rejected with its reason, the others still count), and
each (model, task, full or partial run) counts once.

A partial run (one that scored only some of the task's documents) never supersedes a full run,
nor the other way round: the site shows and ranks them apart. Duplicates: when the same model
(its display name) has the same task in several results files, full or partial alike, the latest
run counts (lm-eval's ``date``, the start of the run; then the file's timestamp and path) and
the others are listed as superseded; their numbers are never shown or aggregated.

Files are named on the site by their path relative to the folder given (``out/run/results_x.json``
for the folder ``out``), never by an absolute path of the machine that built it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from opinionbench import families
from opinionbench.errors import OpinionBenchError
from opinionbench.families import Family
from opinionbench.lm_eval_outputs import EvaluationRun, is_stderr, load_results, stderr_key
from opinionbench.run_info import Coverage

# Top-level keys every lm-eval (0.4) results file has, with their JSON types.
REQUIRED = {"results": dict, "configs": dict, "versions": dict, "n-shot": dict, "model_name": str}
OPTIONAL = {"group_subtasks": dict, "higher_is_better": dict, "n-samples": dict, "date": (int, float)}
_NOT_METRICS = {"name": str, "alias": str, "sample_len": int}


@dataclass(frozen=True)
class Rejected:
    """A results file left out of the leaderboard, and why."""

    file: Path
    reason: str
    shown: str  # the file's path relative to the folder given


@dataclass(frozen=True, eq=False)
class Entry:
    """One task of one run: the unit that counts once per (model, task, partial) (hashed by identity)."""

    run: EvaluationRun
    task: str

    @property
    def model(self) -> str:
        """The model's display name (never a path of the machine that ran it)."""
        return self.run.model

    @property
    def coverage(self) -> Coverage | None:
        """How many of the task's documents the run scored (``None``: not recorded)."""
        return self.run.info.coverage.get(self.task)

    @property
    def partial(self) -> bool:
        """Whether the run scored only some of the task's documents."""
        return bool(self.coverage and self.coverage.partial)

    @property
    def key(self) -> tuple[str, str, bool]:
        """What counts once: (model, task, partial)."""
        return (self.model, self.task, self.partial)

    @property
    def family(self) -> Family | None:
        """The OpinionBench family of the task (``None`` for other tasks)."""
        return families.of_task(self.task)

    @property
    def family_name(self) -> str:
        """The family's name, or the task itself for tasks of no OpinionBench family."""
        return self.family.name if self.family else self.task

    @property
    def order(self) -> tuple:
        """Later runs sort last: lm-eval's start time, then the file's timestamp and path."""
        date = self.run.results.get("date")
        return (date if isinstance(date, (int, float)) else -math.inf, self.run.timestamp, str(self.run.results_file))

    def metrics(self) -> dict[str, dict]:
        """``{metric: {"filter", "value", "stderr"}}`` of the task's numbers in lm-eval's table
        (the standard errors folded into their metric; NaN where there is none)."""
        row = self.run.results["results"][self.task]
        found = {}
        for key, value in row.items():
            metric, _, filter_name = key.partition(",")
            if not filter_name or is_stderr(metric):
                continue
            stderr = row.get(f"{stderr_key(metric)},{filter_name}")
            found[metric] = {"filter": filter_name, "value": float(value), **_floats({"stderr": stderr})}
        return found


@dataclass(frozen=True)
class Ingested:
    """What the site is built from: the counted entries, those superseded by a later run of the
    same model and task (and kind of run), the rejected files, and each read file's name on the
    site (its path relative to the folder given)."""

    entries: list[Entry]
    superseded: list[tuple[Entry, Entry]]  # (superseded, the entry that counts instead)
    rejected: list[Rejected]
    shown_names: dict[Path, str]

    def models(self) -> list[str]:
        return sorted({entry.model for entry in self.entries})

    def shown(self, entry: Entry) -> str:
        """The entry's results file as the site names it."""
        return self.shown_names[entry.run.results_file]


def ingest(output_paths: Iterable[str | Path]) -> Ingested:
    """Read every ``results_*.json`` under ``output_paths`` (folders searched recursively, or files)."""
    runs, rejected = [], []
    found = _results_files(output_paths)
    for path, shown in found.items():
        try:
            runs.append(read_results_file(path))
        except OpinionBenchError as err:
            rejected.append(Rejected(path, str(err), shown))
    latest: dict[tuple[str, str, bool], Entry] = {}
    older = []
    for entry in sorted((Entry(run, task) for run in runs for task in _tasks(run)), key=lambda e: e.order):
        if entry.key in latest:
            older.append(latest[entry.key])
        latest[entry.key] = entry
    superseded = [(entry, latest[entry.key]) for entry in older]
    return Ingested(list(latest.values()), superseded, rejected, found)


def read_results_file(path: Path) -> EvaluationRun:
    """The run in ``path``; :class:`OpinionBenchError` naming the first schema problem."""
    results = load_results(path)
    problem = schema_problem(results)
    if problem:
        raise OpinionBenchError(problem)
    return EvaluationRun(results_file=path, results=results)


def schema_problem(results: dict) -> str | None:
    """The first way ``results`` (which every reader can use: :func:`load_results`) departs from
    lm-eval's results schema, or ``None``."""
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key not in results:
            if key in REQUIRED:
                return f"no {key!r} key"
        elif not isinstance(results[key], kind) or isinstance(results[key], bool):
            return f"{key!r} is {type(results[key]).__name__}, expected {_names(kind)}"
    if not results["model_name"].strip():
        return "'model_name' is empty"
    groups = results.get("group_subtasks", {})
    for task, row in results["results"].items():
        for key, kind in _NOT_METRICS.items():
            if key in row and not isinstance(row[key], kind):
                return f"results[{task!r}][{key!r}] is {type(row[key]).__name__}, not {kind.__name__}"
        if task not in groups:
            missing = [key for key in ("configs", "versions", "n-shot") if task not in results[key]]
            if missing:
                return f"task {task!r} has no entry in {', '.join(missing)}"
    if not any(_has_metrics(row) for row in results["results"].values()):
        return "'results' holds no task with metrics"
    return None


def _has_metrics(row: dict) -> bool:
    return any("," in key and "_stderr" not in key for key in row)


def _tasks(run: EvaluationRun) -> list[str]:
    """The run's tasks with numbers (groups without metrics of their own are left out)."""
    return sorted(task for task, row in run.results["results"].items() if _has_metrics(row))


def _results_files(output_paths: Iterable[str | Path]) -> dict[Path, str]:
    """Every results file under the paths (each once), with its name on the site: its path
    relative to the given folder's parent (the file's own name for a file given)."""
    files, seen = {}, set()
    for given in output_paths:
        root = Path(given).expanduser()
        if not root.exists():
            raise OpinionBenchError(f"{root} does not exist; pass the --output_path given to lm_eval.")
        base = root.resolve().parent
        for path in [root] if root.is_file() else sorted(root.rglob("results_*.json")):
            resolved = Path(os.path.realpath(path))  # a symlink loop is a file to reject, not an error here
            if resolved not in seen:
                seen.add(resolved)
                files[path] = resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else path.name
    if not files:
        raise OpinionBenchError("no lm-eval results_*.json file under " + ", ".join(map(str, output_paths)))
    return files


def _floats(bounds: dict) -> dict:
    return {key: float(value) if isinstance(value, (int, float)) else math.nan for key, value in bounds.items()}


def _names(kind) -> str:
    return " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__
