"""``opinionbench demo``: the main job."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "demo"


def register(commands) -> None:
    command = commands.add_parser(
        NAME,
        help="the main job: build the sources, evaluate the bundled model, write the report",
        description="Build every available source, evaluate the bundled SmolLM2-135M-Instruct model with "
        "lm-eval on their default tasks (chat template), and write the per-country report.",
    )
    command.add_argument("--out", type=Path, default=Path("build/demo"), help="output folder (default: build/demo)")
    command.add_argument("--limit", type=int, help="questions per task (default: all)")
    command.add_argument("--batch-size", type=int, default=8, help="lm-eval batch size (default: 8)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from opinionbench.demo import run_demo

    run_demo(args.out, limit=args.limit, batch_size=args.batch_size)
    return 0
