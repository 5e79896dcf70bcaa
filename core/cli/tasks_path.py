"""``opinionbench tasks-path``: the folder to pass to lm-eval as ``--include_path``."""

from __future__ import annotations

import argparse

NAME = "tasks-path"


def register(commands) -> None:
    command = commands.add_parser(NAME, help="print the folder to pass to lm-eval as --include_path")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from opinionbench.tasks import tasks_path

    print(tasks_path())
    return 0
