"""``opinionbench report``: from lm-eval output folders to tables and plots per task, and per
model the MENAValues cross-condition metrics over all its runs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.library_logs import quiet_logger

from .country_report import country_report
from .instrument_report import instrument_of, instrument_report
from .lm_eval_outputs import find_all_runs
from .mena_conditions import ConditionsReport, conditions_report
from .report_files import write_report
from .rescoring import NotOurTask, rescore
from .worldview_report import is_worldview, worldview_report


def report(
    output_paths: str | Path | Iterable[str | Path], out_dir: str | Path, *, tasks: list[str] | None = None
) -> Path:
    """Recompute every OpinionBench task logged under ``output_paths`` (one or several) and write
    the report; MENAValues cross-condition metrics pool each model's runs from all the paths.

    Raises :class:`OpinionBenchError` if a recomputed summary differs from lm-eval's table
    (after writing the report, which shows the difference).
    """
    paths = [output_paths] if isinstance(output_paths, (str, Path)) else list(output_paths)
    reports, by_model = [], defaultdict(list)
    for run in find_all_runs(paths):
        model_label = run.results.get("model_name_sanitized", run.model_name)
        label = f"{model_label}_{run.timestamp}"
        for task in run.tasks:
            if tasks and task not in tasks:
                continue
            try:
                with quiet_logger("lm_eval"):
                    scores = rescore(run, task)
            except NotOurTask as skipped:
                print(f"{task}: skipped: {skipped}")
                continue
            task_report = _task_report(scores)
            reports.append((label, task_report))
            by_model[(run.model_name, model_label)].append((label, scores))
            print(f"{task} ({run.model_name}): {task_report.headline()}")
    if not reports:
        raise OpinionBenchError(
            f"{', '.join(map(str, paths))}: no OpinionBench task with logged samples (run lm_eval with --log_samples)."
        )
    folder = write_report(reports, out_dir, conditions=_conditions(by_model))
    mismatches = [f"{label}/{r.scores.task}: {m}" for label, r in reports for m in r.scores.mismatches()]
    if mismatches:
        raise OpinionBenchError("recomputed numbers differ from lm-eval's table:\n  " + "\n  ".join(mismatches))
    return folder


def _task_report(scores):
    """The report of one rescored task, by its kind: instrument, WorldView-Bench or survey distributions."""
    if instrument_of(scores):
        return instrument_report(scores)
    return worldview_report(scores) if is_worldview(scores) else country_report(scores)


def _conditions(by_model: dict[tuple[str, str], list]) -> list[tuple[str, ConditionsReport]]:
    """``(model label, MENAValues cross-condition metrics)`` of every model that has some."""
    found = []
    for (model, label), rescored in by_model.items():
        conditions = conditions_report(model, rescored)
        if conditions is not None:
            print(f"MENAValues conditions ({model}): {conditions.headline()}")
            found.append((label, conditions))
    return found
