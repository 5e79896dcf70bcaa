"""Arguments that several subcommands share."""

from __future__ import annotations

import argparse
from pathlib import Path

from opinionbench.errors import OpinionBenchError


def add_outputs_and_out(command: argparse.ArgumentParser) -> None:
    """The arguments of the commands that read lm-eval outputs and write a report folder."""
    command.add_argument(
        "output_paths",
        type=Path,
        nargs="+",
        metavar="output_path",
        help="the --output_path given to lm_eval (or a results file); several may be given",
    )
    command.add_argument("--out", type=Path, required=True, help="report folder")


def require_dry_run_for_out(args: argparse.Namespace) -> None:
    """``--out`` names the folder a ``--dry-run`` writes; without ``--dry-run`` it is a mistake."""
    if args.out is not None and not args.dry_run:
        raise OpinionBenchError("--out names the folder of a --dry-run; without --dry-run nothing is written locally.")
