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


def add_judge_check_arguments(command: argparse.ArgumentParser, *, items: str, offline: str) -> None:
    """The arguments of a ``judge-check`` action: labelled ``items``, the endpoint judge's settings
    (the ``offline`` judge without them) and the figures' file."""
    command.add_argument("--labels", type=Path, help=f"labelled {items} (JSON Lines); default: the shipped set")
    command.add_argument(
        "--judge-settings",
        help="the endpoint judge as the tasks' --metadata, JSON, e.g. '{\"judge_base_url\": "
        f'"http://127.0.0.1:8000/v1/chat/completions", "judge_model": "m"}}\' (default: {offline})',
    )
    command.add_argument("--out", type=Path, help="also write the figures to this JSON file")


def endpoint_settings(args: argparse.Namespace):
    """The endpoint judge's :class:`~opinionbench.judges.JudgeSettings` of ``--judge-settings``, or None."""
    from opinionbench.judges import JudgeSettings

    return JudgeSettings.from_metadata_json(args.judge_settings, judge="endpoint") if args.judge_settings else None


def report_judge_check(figures: dict, args: argparse.Namespace, label) -> None:
    """Print each batch's figures (``label(found)``) and every disagreement (a judge's None:
    undetermined); write them to ``--out``."""
    import json

    from opinionbench.atomic import write_text_atomically

    for batch, found in figures["batches"].items():
        print(f"  {batch}: {found['n']} items, {label(found)}")
    for row in figures["disagreements"]:
        judged = "undetermined" if row["predicted"] is None else row["predicted"]
        print(f"  disagrees on {row['id']}: label {row['label']}, judge {judged}")
    if args.out:
        write_text_atomically(args.out, json.dumps(figures, indent=2) + "\n")
        print(f"figures written to {args.out}")
