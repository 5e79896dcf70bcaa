"""``opinionbench robustness``: from lm-eval output folders to the stability report of every model
on every task run with its canonical prompt and at least one robustness variant."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.lm_eval_outputs import find_all_runs

from .files import write_robustness_report
from .inputs import PromptAnswers, all_prompt_answers, group_prompts
from .report import CANONICAL, robustness_report
from .variance import variance_tables


def robustness(output_paths: str | Path | Iterable[str | Path], out_dir: str | Path) -> Path:
    """Read the log-likelihood tasks logged under ``output_paths`` (one or several), match each
    canonical task with its variants per model, and write the report into ``out_dir``, with the
    model-vs-prompt variance shares of every task that several models ran.

    Raises :class:`OpinionBenchError` when no task has both its canonical prompt and a variant.
    """
    paths = [output_paths] if isinstance(output_paths, (str, Path)) else list(output_paths)
    answers = all_prompt_answers(find_all_runs(paths))
    reports, incomplete = [], []
    for (model, task), prompts in group_prompts(answers).items():
        if CANONICAL in prompts and len(prompts) > 1:
            report = robustness_report(prompts)
            reports.append(report)
            print(f"{report.folder} ({model}): {report.headline()}")
        else:
            incomplete.append(f"{task} ({model}): {_missing(task, prompts)}")
    for line in incomplete:
        print(f"skipped {line}")
    if not reports:
        found = "\n  ".join(incomplete) or "no log-likelihood task of a family with robustness variants"
        raise OpinionBenchError(
            f"{', '.join(map(str, paths))}: no task with both its canonical prompt and a variant "
            f"(run lm_eval with --log_samples on e.g. --tasks pct_robustness):\n  {found}"
        )
    variance = variance_tables(reports)
    for table in variance:
        print(f"model vs prompt: {table.headline()}")
    return write_robustness_report(reports, out_dir, variance)


def _missing(task: str, prompts: dict[str, PromptAnswers]) -> str:
    if CANONICAL not in prompts:
        return f"variants {', '.join(prompts)} but not the canonical task {task}"
    return "the canonical task without any variant"
