"""The ``opinionbench`` command line: one module per subcommand (as lm-eval's ``_cli``), composed here.

Each subcommand module has ``register(commands)``, which adds its parser to the subparsers
``commands`` with ``run`` (``args -> exit status``) as its default.
"""

from __future__ import annotations

import argparse
import sys

from opinionbench import __version__
from opinionbench.errors import OpinionBenchError

from . import (
    build,
    demo,
    implicit_bias,
    judge_check,
    leaderboard,
    llama_server,
    models,
    personas,
    publish,
    report,
    robustness,
    tasks,
    tasks_path,
)
from . import eval as eval_command

SUBCOMMANDS = (
    demo,
    build,
    publish,
    tasks_path,
    tasks,
    eval_command,
    models,
    llama_server,
    report,
    robustness,
    judge_check,
    implicit_bias,
    personas,
    leaderboard,
)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 a reported error)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == [eval_command.NAME]:  # everything after `eval` belongs to lm-eval, untouched
            return eval_command.run_lm_eval(argv[1:])
        args = parser().parse_args(argv)
        return args.run(args)
    except OpinionBenchError as err:
        fresh_line = "\n" if argv[:1] == [eval_command.NAME] else ""  # lm-eval's progress bars end mid-line
        print(f"{fresh_line}opinionbench: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("opinionbench: interrupted", file=sys.stderr)
        return 130


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    composed = argparse.ArgumentParser(
        prog="opinionbench",
        description="Survey-grounded benchmarks of whose opinions a language model reflects.",
        epilog="`opinionbench eval ARGS...` runs lm-eval with ARGS, OpinionBench's --include_path and its backends.",
    )
    composed.add_argument("--version", action="version", version=f"opinionbench {__version__}")
    commands = composed.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in SUBCOMMANDS:
        command.register(commands)
    return composed


if __name__ == "__main__":
    sys.exit(main())
