"""``opinionbench report``: from lm-eval output folders to tables and plots per task."""

from __future__ import annotations

from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.library_logs import quiet_logger

from .country_report import country_report
from .instrument_report import instrument_of, instrument_report
from .lm_eval_outputs import find_runs
from .report_files import write_report
from .rescoring import NotOurTask, rescore


def report(output_path: str | Path, out_dir: str | Path, *, tasks: list[str] | None = None) -> Path:
    """Recompute every OpinionBench task logged under ``output_path`` and write the report.

    Raises :class:`OpinionBenchError` if a recomputed summary differs from lm-eval's table
    (after writing the report, which shows the difference).
    """
    reports = []
    for run in find_runs(output_path):
        for task in run.tasks:
            if tasks and task not in tasks:
                continue
            try:
                with quiet_logger("lm_eval"):
                    scores = rescore(run, task)
            except NotOurTask as skipped:
                print(f"{task}: skipped: {skipped}")
                continue
            task_report = instrument_report(scores) if instrument_of(scores) else country_report(scores)
            reports.append((f"{run.results.get('model_name_sanitized', run.model_name)}_{run.timestamp}", task_report))
            print(f"{task} ({run.model_name}): {task_report.headline()}")
    if not reports:
        raise OpinionBenchError(
            f"{output_path}: no OpinionBench task with logged samples (run lm_eval with --log_samples)."
        )
    folder = write_report(reports, out_dir)
    mismatches = [f"{label}/{r.scores.task}: {m}" for label, r in reports for m in r.scores.mismatches()]
    if mismatches:
        raise OpinionBenchError("recomputed numbers differ from lm-eval's table:\n  " + "\n  ".join(mismatches))
    return folder
