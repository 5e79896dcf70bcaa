"""``opinionbench build``: a source into a Hub-ready dataset folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from opinionbench import families
from opinionbench.builds import BuildResult
from opinionbench.errors import OpinionBenchError

NAME = "build"


def register(commands) -> None:
    command = commands.add_parser(
        NAME,
        help="build a source into a Hub-ready dataset folder",
        description="Build a survey source into a Hub-ready dataset folder (README.md card + Parquet). "
        "The raw files come from --source-path (the main file; companion files beside it), else "
        "$OPINIONBENCH_SOURCES/<source>/, else the Hub (for sources that have a Hub copy).",
    )
    command.add_argument("source", choices=[*families.names(), "all"], help="source to build, or 'all'")
    command.add_argument(
        "--source-path", type=Path, help="the raw source file, or a multi-file source's main file (not with 'all')"
    )
    command.add_argument(
        "--out", type=Path, help="output folder (with 'all': one subfolder per source); default: the cache"
    )
    command.add_argument(
        "--translations",
        help=f"{', '.join(_taking_translations())} only: native-language questions (JSONL/CSV file or "
        "hf://datasets/ORG/NAME[@REV]/PATH) that replace the shipped translations item by item",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.translations and args.source not in _taking_translations():
        raise OpinionBenchError(f"--translations belongs to {', '.join(_taking_translations())} only.")
    if args.source != "all":
        options = {"translations": args.translations} if args.translations else {}
        build_one(args.source, args.source_path, args.out, **options)
        return 0
    if args.source_path is not None:
        raise OpinionBenchError("--source-path names one file; use it with a single source, not 'all'.")
    from opinionbench.dataset_cache import build_available

    build_available(lambda source: build_one(source, None, args.out / source if args.out else None))
    return 0


def build_one(source: str, source_path: Path | None, out: Path | None, **build_options) -> Path:
    """Build ``source`` into ``out`` (printing what the builder reports), or into the cache."""
    from opinionbench.hub_folder import write_hub_folder

    if out is None:
        from opinionbench.dataset_cache import built_dataset_dir

        folder = built_dataset_dir(source, source_path, **build_options)
        print(f"{source}: cached build at {folder}")
        return folder
    result = families.get(source).builder().build(source_path, **build_options)
    _print_report(result)
    folder = write_hub_folder(result, out)
    print(f"{source}: wrote {folder}")
    return folder


def _taking_translations() -> list[str]:
    """The sources whose builder takes a ``translations`` file."""
    return [family.name for family in families.all_families() if "translations" in family.build_options()]


def _print_report(result: BuildResult) -> None:
    for line in result.summary:
        print(f"{result.source}: {line}")
    if result.rejections:
        print(f"{result.source}: rejected {len(result.rejections)} rows or cells:")
        for rejection in result.rejections:
            print(f"  {rejection}")
    else:
        print(f"{result.source}: rejected nothing")
