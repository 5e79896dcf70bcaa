"""``opinionbench leaderboard build|push``: the static site from lm-eval outputs, and its upload."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._arguments import add_outputs_and_out, require_dry_run_for_out

NAME = "leaderboard"


def register(commands) -> None:
    command = commands.add_parser(NAME, help="the leaderboard site from lm-eval outputs")
    actions = command.add_subparsers(dest="leaderboard_command", required=True, metavar="ACTION")
    build = actions.add_parser(
        "build",
        help="write a self-contained static site and the aggregated results dataset",
        description="Read every lm-eval results file under the given paths (rejecting, with the reason, files that "
        "do not follow lm-eval's results schema; the latest run of a model and task counts) and write SITE: "
        "index.html (a sortable table per task family with 95 %% intervals and uniform baselines, the compass, "
        "Wahl-O-Mat party agreement, per-country rankings and robustness spread from the samples logs), one page "
        "per model, and data/ (results.parquet, results.jsonl, dataset card).",
    )
    add_outputs_and_out(build)
    build.set_defaults(run=run_build)
    push = actions.add_parser(
        "push",
        help="upload a built site's results dataset (and the site as a static Space) to the Hugging Face Hub",
        description="Upload SITE/data (dataset card, results.parquet, results.jsonl) to the dataset repository "
        "--repo-id and, with --space-id, the whole site as a static Space (with the README.md header a Space "
        "needs, added to the uploaded copy only), each in one commit, creating the repositories if needed. "
        "The token comes from HF_TOKEN or the stored `hf auth login`.",
    )
    push.add_argument("site", type=Path, help="the folder written by `opinionbench leaderboard build`")
    push.add_argument("--repo-id", required=True, help="dataset repository ORG/NAME for the results")
    push.add_argument("--space-id", help="Space ORG/NAME for the static site (default: no Space)")
    push.add_argument("--dry-run", action="store_true", help="write the folders that would be uploaded; upload nothing")
    push.add_argument(
        "--out", type=Path, help="--dry-run only: where to write DIR/dataset and DIR/space (default: ./NAME)"
    )
    push.set_defaults(run=run_push)


def run_build(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.site.command import build_site

    folder = build_site(args.output_paths, args.out)
    print(f"leaderboard written to {folder}/index.html")
    return 0


def run_push(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.site.push import push_site

    require_dry_run_for_out(args)
    push_site(args.site, args.repo_id, space_id=args.space_id, dry_run=args.dry_run, out=args.out)
    return 0
