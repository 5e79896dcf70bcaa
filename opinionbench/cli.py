"""The ``opinionbench`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from opinionbench import __version__
from opinionbench.data_builders import BUILDERS, get_builder
from opinionbench.errors import OpinionBenchError
from opinionbench.hub_folder import BuildResult, write_hub_folder


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 a reported error)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except OpinionBenchError as err:
        print(f"opinionbench: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("opinionbench: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opinionbench",
        description="Survey-grounded benchmarks of whose opinions a language model reflects.",
    )
    parser.add_argument("--version", action="version", version=f"opinionbench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build a source into a Hub-ready dataset folder",
        description="Build a survey source into a Hub-ready dataset folder (README.md card + Parquet). "
        "The raw file comes from --source-path, else $OPINIONBENCH_SOURCES/<source>/, else the Hub.",
    )
    build.add_argument("source", choices=[*BUILDERS, "all"], help="source to build, or 'all'")
    build.add_argument("--source-path", type=Path, help="the raw source file (not with 'all')")
    build.add_argument(
        "--out", type=Path, help="output folder (with 'all': one subfolder per source); default: the cache"
    )
    build.set_defaults(run=_run_build)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    if args.source != "all":
        _build_one(args.source, args.source_path, args.out)
        return 0
    if args.source_path is not None:
        raise OpinionBenchError("--source-path names one file; use it with a single source, not 'all'.")
    built = 0
    for source in BUILDERS:
        try:
            _build_one(source, None, args.out / source if args.out else None)
            built += 1
        except OpinionBenchError as err:
            print(f"{source}: skipped: {err}\n", file=sys.stderr)
    if not built:
        raise OpinionBenchError("no source could be built (see the messages above).")
    return 0


def _build_one(source: str, source_path: Path | None, out: Path | None) -> Path:
    builder = get_builder(source)
    if out is None:
        from opinionbench.dataset_cache import built_dataset_dir

        folder = built_dataset_dir(source, source_path)
        print(f"{source}: cached build at {folder}")
        return folder
    result = builder.build(source_path)
    _print_report(result)
    folder = write_hub_folder(result, out)
    print(f"{source}: wrote {folder}")
    return folder


def _print_report(result: BuildResult) -> None:
    dataset = result.dataset["test"]
    n_pairs = sum(len(groups) for groups in dataset["groups"])
    print(
        f"{result.source}: built {len(dataset)} questions, {n_pairs} (question, group) distributions "
        f"from {result.source_file}"
    )
    if result.rejections:
        print(f"{result.source}: rejected {len(result.rejections)} rows or cells:")
        for rejection in result.rejections:
            print(f"  {rejection}")
    else:
        print(f"{result.source}: rejected nothing")


if __name__ == "__main__":
    sys.exit(main())
