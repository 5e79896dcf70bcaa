"""``opinionbench report``: from lm-eval output folders to tables and plots per task (by the kind of
its family; a persona task, whose payloads are persona answer records, by :mod:`.persona_report`),
and per model and family the cross-condition metrics its declaration names (MENAValues' FCS, SPD,
CLCS, logit leakage; the axis instruments' open-vs-closed persona TVD) over all its runs."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.families import Family, Kind
from opinionbench.leaderboard.robustness.report import prompt_spreads
from opinionbench.library_logs import quiet_logger
from opinionbench.lm_eval_outputs import find_all_runs
from opinionbench.run_info import slug
from opinionbench.tasks.common.persona_conditions import is_persona_task

from .files import write_report
from .implicit_bias_report import implicit_bias_report
from .instrument_report import InstrumentReport, instrument_report
from .open_ended_report import open_ended_report
from .persona_report import persona_report
from .rescoring import NotOurTask, rescore
from .survey_report import country_report

# The report of one rescored task, by its family's kind.
REPORTS = {
    Kind.SURVEY: country_report,
    Kind.AXIS_INSTRUMENT: instrument_report,
    Kind.PARTY_AGREEMENT: instrument_report,
    Kind.OPEN_ENDED: open_ended_report,
    Kind.IMPLICIT_BIAS: implicit_bias_report,
}


def report(
    output_paths: str | Path | Iterable[str | Path], out_dir: str | Path, *, tasks: list[str] | None = None
) -> Path:
    """Recompute every OpinionBench task logged under ``output_paths`` (one or several) and write
    the report; cross-condition metrics pool each model's runs from all the paths.

    Raises :class:`OpinionBenchError` if a recomputed summary differs from lm-eval's table
    (after writing the report, which shows the difference).
    """
    paths = [output_paths] if isinstance(output_paths, (str, Path)) else list(output_paths)
    reports, by_model = [], defaultdict(list)
    runs = list(find_all_runs(paths))
    for run in runs:
        label, model_label = run.label, slug(run.model)
        for task in run.tasks:
            if tasks and task not in tasks:
                continue
            try:
                with quiet_logger("lm_eval"):
                    scores = rescore(run, task)
            except NotOurTask as skipped:
                print(f"{task}: skipped: {skipped}")
                continue
            task_report = task_report_of(scores)
            reports.append((label, task_report, run.model))
            by_model[(run.model, model_label, scores.family.name)].append((label, scores))
            print(f"{task} ({run.model}){' [partial run]' if scores.partial else ''}: {task_report.headline()}")
            for flag in scores.info.flags(task, scores.summary):
                if not flag.startswith("partial run"):  # marked on the line above
                    print(f"  note: {flag}")
    if not reports:
        raise OpinionBenchError(
            f"{', '.join(map(str, paths))}: no OpinionBench task with logged samples (run lm_eval with --log_samples)."
        )
    reports = _with_prompt_spreads(reports, runs)
    folder = write_report(reports, out_dir, conditions=_conditions(by_model))
    mismatches = [f"{label}/{r.scores.task}: {m}" for label, r in reports for m in r.scores.mismatches()]
    if mismatches:
        raise OpinionBenchError("recomputed numbers differ from lm-eval's table:\n  " + "\n  ".join(mismatches))
    return folder


def task_report_of(scores):
    """The report of one rescored task: a persona task's own, else its family kind's."""
    return persona_report(scores) if is_persona_task(scores.payloads) else REPORTS[scores.family.kind](scores)


def _with_prompt_spreads(reports: list[tuple], runs: list) -> list[tuple]:
    """``(run label, report)`` with each instrument report given its spread over the robustness
    prompts the runs hold (read after every task was rescored, so a damaged log names its own fault)."""
    spreads = prompt_spreads(runs)
    return [
        (label, dataclasses.replace(found, prompt_spread=spreads.get((model, found.scores.task), {})))
        if isinstance(found, InstrumentReport)
        else (label, found)
        for label, found, model in reports
    ]


def _conditions(by_model: dict[tuple[str, str, str], list]) -> list[tuple[str, Family, object]]:
    """``(model label, family, cross-condition metrics)`` of every model and family that has some."""
    found = []
    for (model, label, _), rescored in by_model.items():
        family = rescored[0][1].family
        if family.conditions is None:
            continue
        conditions = family.conditions(model, [(run, scores.task, scores.payloads) for run, scores in rescored])
        if conditions is not None:
            print(f"{family.title} conditions ({model}): {conditions.headline()}")
            found.append((label, family, conditions))
    return found
