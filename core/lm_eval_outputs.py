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
- What every reader refuses (:func:`load_results`, :meth:`EvaluationRun.numbered_samples`,
  :func:`option_loglikelihoods`): files that are not UTF-8 JSON, JSON nested deeper than
  :data:`MAX_JSON_DEPTH`, task names that are not file names, numbers of the table outside their
  domain (infinite, a negative standard error, a share above 1), log-likelihoods that are not
  finite or above 0, or not one per option.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from opinionbench.bounded_json import JSONLimitError, parse_json
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
        with path.open("rb") as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    sample = parse_json(line.decode("utf-8"))
                except UnicodeDecodeError:
                    raise OpinionBenchError(f"{path}: line {line_number} is not UTF-8 text.") from None
                except JSONLimitError as exc:
                    raise OpinionBenchError(f"{path}: line {line_number}: {exc}.") from None
                except ValueError as exc:
                    raise OpinionBenchError(f"{path}: line {line_number} is not valid JSON ({exc}).") from None
                if not isinstance(sample, dict):
                    raise OpinionBenchError(f"{path}: line {line_number} is {_json_type(sample)}, not a JSON object.")
                yield line_number, sample


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
        return EvaluationRun(results_file=path, results=load_results(path))
    except OpinionBenchError as err:
        raise OpinionBenchError(f"{path}: not a readable lm-eval results file: {err}.") from None


def load_results(path: Path) -> dict:
    """The content of an lm-eval results file; :class:`OpinionBenchError` naming its first problem
    (without the path: the caller names the file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise OpinionBenchError("not UTF-8 text") from None
    except OSError as exc:
        raise OpinionBenchError(f"unreadable ({exc.strerror or exc})") from None
    if not text.strip():
        raise OpinionBenchError("the file is empty")
    try:
        results = parse_json(text)
    except JSONLimitError as exc:
        raise OpinionBenchError(str(exc)) from None
    except ValueError as exc:
        raise OpinionBenchError(f"not valid JSON, truncated? ({exc})") from None
    problem = results_problem(results)
    if problem:
        raise OpinionBenchError(problem)
    return results


# --- the results file's schema: what every reader needs -------------------------------------------

_REQUIRED = {"results": dict, "configs": dict, "model_name": str}
# Where a summary number's definition bounds it (by its name without ``uniform_``, ``_expected``,
# ``_min`` and ``_max``). ``option_mass`` has no upper bound: an option that begins another ("1"
# of "10") can count the same probability twice.
DOMAINS = {
    **dict.fromkeys(("js_similarity", "wasserstein_similarity", "valid_answer_rate", "refusal_rate"), (0.0, 1.0)),
    **dict.fromkeys(("reference_rate", "js_similarity_unsteered", "js_loss_cvar", "wasserstein_loss_cvar"), (0.0, 1.0)),
    "nvas_loss_cvar": (0.0, 100.0),
    **dict.fromkeys(("nvas", "nvas_paper", "pds_entropy", "closest_party_agreement"), (0.0, 100.0)),
    **dict.fromkeys(("option_mass", "kl_divergence"), (0.0, math.inf)),
    "steerability": (-1.0, 1.0),
}
_TOLERANCE = 1e-9
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def results_problem(results) -> str | None:
    """The first thing in ``results`` (a results file's content) that no reader can use: not an
    object, no ``results``, ``configs`` or ``model_name``, a task name that is not a file name, a
    number of the table that is not a number of its domain; ``None`` when there is none."""
    if not isinstance(results, dict):
        return f"the top level is {_json_type(results)}, not an object"
    for key, kind in _REQUIRED.items():
        if key not in results:
            return f"no {key!r} key"
        if not isinstance(results[key], kind):
            return f"{key!r} is {_json_type(results[key])}, expected {_json_type(kind())}"
    for section in ("results", "configs"):
        for task, entry in results[section].items():
            problem = task_name_problem(task) or _entry_problem(section, task, entry)
            if problem:
                return problem
    return None


def task_name_problem(task: str) -> str | None:
    """Why ``task`` cannot name a samples log beside the results file (``None``: it can)."""
    if task in ("", ".", "..") or "/" in task or "\\" in task or _CONTROL.search(task):
        return f"the task name {task[:60]!r} is not a file name"
    return None


def _entry_problem(section: str, task: str, entry) -> str | None:
    where = f"{section}[{task!r}]"
    if not isinstance(entry, dict):
        return f"{where} is {_json_type(entry)}, not an object"
    if section == "configs":
        metadata = entry.get("metadata")
        return None if metadata is None or isinstance(metadata, dict) else f"{where}['metadata'] is not an object"
    for key, value in entry.items():
        problem = "is not a metric name (control characters)" if _CONTROL.search(key) else number_problem(key, value)
        if problem:
            return f"{where}[{key!r}] {problem}"
    return None


def number_problem(key: str, value) -> str | None:
    """Why ``value`` is not a number of the table's ``key`` (``"metric,filter"``), or ``None``;
    NaN is one (lm-eval writes it for a number no document defines), and the standard errors'
    ``"N/A"``. Keys without a filter are not numbers."""
    metric = key.split(",")[0]
    if "," not in key or (is_stderr(metric) and value == "N/A"):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"is {_json_type(value)} {str(value)[:40]!r}, expected a number"
    if math.isnan(value):
        return None
    if math.isinf(value):
        return f"is {'-' if value < 0 else ''}Infinity, not a finite number"
    low, high = (0.0, math.inf) if is_stderr(metric) else _domain(metric)
    if not low - _TOLERANCE <= value <= high + _TOLERANCE:
        return f"is {value!r}, outside its domain [{low:g}, {high:g}]"
    return None


def _domain(metric: str) -> tuple[float, float]:
    base = re.sub(r"(_expected|_min|_max)$", "", metric.removeprefix("uniform_"))
    if base.endswith(COUNT_SUFFIX):
        return (0.0, math.inf)
    return DOMAINS.get(base, (-math.inf, math.inf))


def option_loglikelihoods(filtered_resps, n_options: int) -> list[tuple[float, bool]]:
    """A multiple-choice sample's ``filtered_resps`` (lm-eval logs them as text: ``[["-1.25",
    "False"], ...]``) as ``(log-likelihood, is_greedy)`` per option; ValueError saying what is
    wrong: not one pair per option, a log-likelihood that is not a finite number or above 0 (a
    probability above 1)."""
    pairs = filtered_resps if isinstance(filtered_resps, list) else []
    if len(pairs) != n_options or not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
        raise ValueError(
            f"`filtered_resps` is not one (log-likelihood, is_greedy) pair per option ({n_options} options)"
        )
    found = []
    for position, (text, greedy) in enumerate(pairs, start=1):
        try:
            value = float(text)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(f"the log-likelihood of option {position} is {str(text)[:40]!r}, not a finite number")
        if value > 0:
            raise ValueError(f"the log-likelihood of option {position} is {value:g} > 0, a probability above 1")
        found.append((value, str(greedy) == "True"))
    return found


def _json_type(value) -> str:
    """The JSON name of a parsed value's type."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
