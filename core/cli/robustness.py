"""``opinionbench robustness``: the stability of a model's answers across prompt variants."""

from __future__ import annotations

import argparse

from ._arguments import add_outputs_and_out

NAME = "robustness"


def register(commands) -> None:
    command = commands.add_parser(
        NAME,
        help="stability of a model's answers across prompt variants, from lm-eval outputs",
        description="Compare every log-likelihood task logged with --log_samples under its canonical prompt and "
        "its robustness variants (option order, labels, paraphrases; e.g. --tasks pct_robustness): spread of "
        "the summary metrics, per-item shifts, option-position bias, and the human reference spread. Writes "
        "CSV, Markdown and PNG per model and task.",
    )
    add_outputs_and_out(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.robustness.command import robustness

    folder = robustness(args.output_paths, args.out)
    print(f"robustness report written to {folder}/README.md")
    return 0
