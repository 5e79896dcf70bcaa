"""``opinionbench judge-check``: a WorldView-Bench judge's agreement with hand-labelled answers."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "judge-check"


def register(commands) -> None:
    command = commands.add_parser(
        NAME,
        help="a WorldView-Bench judge's agreement with hand-labelled answers",
        description="Run a perspective judge on hand-labelled answers (by default the two sets shipped with "
        "OpinionBench: 54 written answers and 80 sentences of the bundled model's answers) and print its "
        "precision and recall per perspective, with the judge configuration.",
    )
    command.add_argument(
        "--judge-settings",
        default="{}",
        help="the judge as in lm-eval's --metadata for the WorldView-Bench tasks, JSON, e.g. '{\"judge\": "
        '"endpoint", "judge_base_url": "http://127.0.0.1:8000/v1/chat/completions", "judge_model": "m"}\' '
        "(default: the embedding judge with the default perspectives)",
    )
    command.add_argument("--labels", type=Path, help="labelled answers (JSON Lines); default: the shipped sets")
    command.add_argument("--out", type=Path, help="also write the table and configuration to this JSON file")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from opinionbench.judges.check_command import judge_check

    judge_check(args.judge_settings, labels=args.labels, out=args.out)
    return 0
