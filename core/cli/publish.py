"""``opinionbench publish``: a source's Hub-ready dataset folder to a Hugging Face dataset repository."""

from __future__ import annotations

import argparse
from pathlib import Path

from opinionbench import families

from ._arguments import require_dry_run_for_out

NAME = "publish"


def register(commands) -> None:
    command = commands.add_parser(
        NAME,
        help="upload a source's Hub-ready dataset folder to a Hugging Face dataset repository",
        description="Upload a source's built dataset folder (README.md card + Parquet, from the build cache) to "
        "the dataset repository --repo-id in one commit, creating it if needed; with 'all', every source that "
        "builds goes to <repo-id>-<source>. The token comes from HF_TOKEN or the stored `hf auth login`.",
    )
    command.add_argument("source", choices=[*families.names(), "all"], help="source to publish, or 'all'")
    command.add_argument("--repo-id", required=True, help="dataset repository ORG/NAME (with 'all': a prefix)")
    command.add_argument(
        "--dry-run", action="store_true", help="write the folder that would be uploaded; upload nothing"
    )
    command.add_argument(
        "--out",
        type=Path,
        help="--dry-run only: where to write it (default: ./NAME; with 'all': one subfolder per source)",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from opinionbench.publish import publish

    require_dry_run_for_out(args)
    publish(args.source, args.repo_id, dry_run=args.dry_run, out=args.out)
    return 0
