"""``opinionbench report``: tables and plots per run and task from lm-eval outputs."""

from __future__ import annotations

import argparse

from ._arguments import add_outputs_and_out

NAME = "report"


def register(commands) -> None:
    command = commands.add_parser(
        NAME,
        help="per-country tables and plots from lm-eval outputs",
        description="Recompute per-country results from lm-eval's samples logs (--log_samples) and write "
        "CSV, Markdown, PNG and HTML per run and task; MENAValues cross-condition metrics (FCS, SPD, CLCS, "
        "logit leakage) per model, from all its runs under the given paths.",
    )
    add_outputs_and_out(command)
    command.add_argument("--tasks", help="comma-separated tasks to report (default: every OpinionBench task)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.report.command import report

    folder = report(args.output_paths, args.out, tasks=args.tasks.split(",") if args.tasks else None)
    print(f"report written to {folder}/README.md")
    return 0
