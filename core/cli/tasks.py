"""``opinionbench tasks``: OpinionBench's lm-eval tasks, groups and tags, one line each."""

from __future__ import annotations

import argparse

from opinionbench import families

NAME = "tasks"


def register(commands) -> None:
    command = commands.add_parser(NAME, help="list OpinionBench's lm-eval tasks with one line of description each")
    command.add_argument("--family", choices=families.names(), help="only this family's tasks (default: every family)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from opinionbench.library_logs import quiet_logger
    from opinionbench.tasks.common.catalogue import catalogue

    with quiet_logger("lm_eval"):
        entries = [entry for entry in catalogue() if args.family in (None, entry.family)]
    width = max(len(entry.name) for entry in entries)
    family = None
    for entry in entries:
        if entry.family != family:
            family = entry.family
            declared = families.get(family)
            print(f"\n{declared.title} ({family}): {declared.reference_url}")
        print(f"  {entry.name:<{width}}  {entry.kind:<5}  {entry.description}")
    print(
        f"\n{len(entries)} names for --tasks. Run one with `opinionbench eval --tasks NAME ...`; "
        "each family's tasks and metrics: tasks/<family>/README.md."
    )
    return 0
