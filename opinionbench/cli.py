"""The ``opinionbench`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from opinionbench import __version__
from opinionbench.builds import BuildResult
from opinionbench.data_builders import BUILDERS, get_builder
from opinionbench.errors import OpinionBenchError
from opinionbench.hub_folder import write_hub_folder


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 a reported error)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["eval"]:  # everything after `eval` belongs to lm-eval, untouched
            return _run_lm_eval(argv[1:])
        args = _parser().parse_args(argv)
        return args.run(args)
    except OpinionBenchError as err:
        fresh_line = "\n" if argv[:1] == ["eval"] else ""  # lm-eval's progress bars end mid-line
        print(f"{fresh_line}opinionbench: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("opinionbench: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opinionbench",
        description="Survey-grounded benchmarks of whose opinions a language model reflects.",
        epilog="`opinionbench eval ARGS...` runs lm-eval with ARGS, OpinionBench's --include_path and its backends.",
    )
    parser.add_argument("--version", action="version", version=f"opinionbench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build a source into a Hub-ready dataset folder",
        description="Build a survey source into a Hub-ready dataset folder (README.md card + Parquet). "
        "The raw files come from --source-path (the main file; companion files beside it), else "
        "$OPINIONBENCH_SOURCES/<source>/, else the Hub (for sources that have a Hub copy).",
    )
    build.add_argument("source", choices=[*BUILDERS, "all"], help="source to build, or 'all'")
    build.add_argument(
        "--source-path", type=Path, help="the raw source file, or a multi-file source's main file (not with 'all')"
    )
    build.add_argument(
        "--out", type=Path, help="output folder (with 'all': one subfolder per source); default: the cache"
    )
    build.add_argument(
        "--translations",
        help="mena_values only: native-language questions (JSONL/CSV file or hf://datasets/ORG/NAME[@REV]/PATH) "
        "that replace the shipped translations item by item",
    )
    build.set_defaults(run=_run_build)

    publish = commands.add_parser(
        "publish",
        help="upload a source's Hub-ready dataset folder to a Hugging Face dataset repository",
        description="Upload a source's built dataset folder (README.md card + Parquet, from the build cache) to "
        "the dataset repository --repo-id in one commit, creating it if needed; with 'all', every source that "
        "builds goes to <repo-id>-<source>. The token comes from HF_TOKEN or the stored `hf auth login`.",
    )
    publish.add_argument("source", choices=[*BUILDERS, "all"], help="source to publish, or 'all'")
    publish.add_argument("--repo-id", required=True, help="dataset repository ORG/NAME (with 'all': a prefix)")
    publish.add_argument(
        "--dry-run", action="store_true", help="write the folder that would be uploaded; upload nothing"
    )
    publish.add_argument(
        "--out",
        type=Path,
        help="--dry-run only: where to write it (default: ./NAME; with 'all': one subfolder per source)",
    )
    publish.set_defaults(run=_run_publish)

    tasks_path = commands.add_parser("tasks-path", help="print the folder to pass to lm-eval as --include_path")
    tasks_path.set_defaults(run=_run_tasks_path)

    commands.add_parser("eval", help="run lm-eval with OpinionBench's tasks and backends (all arguments go to lm-eval)")

    models = commands.add_parser("models", help="bundled models")
    model_commands = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    prepare = model_commands.add_parser(
        "prepare", help="convert a bundled model into a Hugging Face folder (once) and print its path"
    )
    prepare.add_argument("name", help="bundled model, e.g. smollm2")
    prepare.set_defaults(run=_run_models_prepare)

    llama_server = commands.add_parser(
        "llama-server", help="the local OpenAI-compatible server of the API-backend tests (llama-cpp-python)"
    )
    llama_commands = llama_server.add_subparsers(dest="llama_command", required=True, metavar="ACTION")
    install = llama_commands.add_parser(
        "install",
        help="install a portable llama-cpp-python[server] build (compiled once, then cached)",
        description="Compile llama-cpp-python with llama.cpp's native CPU tuning off (GGML_NATIVE=OFF: runs on "
        "every x86-64 CPU with AVX2, AVX-512 and AMX ones included) into OpinionBench's cache, once, and install "
        "it with its server extra into this environment; a wheel in pip's own cache is never used.",
    )
    install.add_argument("--rebuild", action="store_true", help="compile again even if a cached build exists")
    install.set_defaults(run=_run_llama_server_install)

    report = commands.add_parser(
        "report",
        help="per-country tables and plots from lm-eval outputs",
        description="Recompute per-country results from lm-eval's samples logs (--log_samples) and write "
        "CSV, Markdown, PNG and HTML per run and task; MENAValues cross-condition metrics (FCS, SPD, CLCS, "
        "logit leakage) per model, from all its runs under the given paths.",
    )
    _add_outputs_and_out(report)
    report.add_argument("--tasks", help="comma-separated tasks to report (default: every OpinionBench task)")
    report.set_defaults(run=_run_report)

    judge_check = commands.add_parser(
        "judge-check",
        help="a WorldView-Bench judge's agreement with hand-labelled answers",
        description="Run a perspective judge on hand-labelled answers (by default the two sets shipped with "
        "OpinionBench: 54 written answers and 80 sentences of the bundled model's answers) and print its "
        "precision and recall per perspective, with the judge configuration.",
    )
    judge_check.add_argument(
        "--judge-settings",
        default="{}",
        help="the judge as in lm-eval's --metadata for the WorldView-Bench tasks, JSON, e.g. '{\"judge\": "
        '"endpoint", "judge_base_url": "http://127.0.0.1:8000/v1/chat/completions", "judge_model": "m"}\' '
        "(default: the embedding judge with the default perspectives)",
    )
    judge_check.add_argument("--labels", type=Path, help="labelled answers (JSON Lines); default: the shipped sets")
    judge_check.add_argument("--out", type=Path, help="also write the table and configuration to this JSON file")
    judge_check.set_defaults(run=_run_judge_check)

    robustness = commands.add_parser(
        "robustness",
        help="stability of a model's answers across prompt variants, from lm-eval outputs",
        description="Compare every log-likelihood task logged with --log_samples under its canonical prompt and "
        "its robustness variants (option order, labels, paraphrases; e.g. --tasks pct_robustness): spread of "
        "the summary metrics, per-item shifts, option-position bias, and the human reference spread. Writes "
        "CSV, Markdown and PNG per model and task.",
    )
    _add_outputs_and_out(robustness)
    robustness.set_defaults(run=_run_robustness)

    leaderboard = commands.add_parser("leaderboard", help="the leaderboard site from lm-eval outputs")
    leaderboard_commands = leaderboard.add_subparsers(dest="leaderboard_command", required=True, metavar="ACTION")
    site = leaderboard_commands.add_parser(
        "build",
        help="write a self-contained static site and the aggregated results dataset",
        description="Read every lm-eval results file under the given paths (rejecting, with the reason, files that "
        "do not follow lm-eval's results schema; the latest run of a model and task counts) and write SITE: "
        "index.html (a sortable table per task family with 95 %% intervals and uniform baselines, the compass, "
        "Wahl-O-Mat party agreement, per-country rankings and robustness spread from the samples logs), one page "
        "per model, and data/ (results.parquet, results.jsonl, dataset card).",
    )
    _add_outputs_and_out(site)
    site.set_defaults(run=_run_leaderboard_build)
    push = leaderboard_commands.add_parser(
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
    push.set_defaults(run=_run_leaderboard_push)

    demo = commands.add_parser(
        "demo",
        help="the main job: build the sources, evaluate the bundled model, write the report",
        description="Build every available source, evaluate the bundled SmolLM2-135M-Instruct model with "
        "lm-eval on their default tasks (chat template), and write the per-country report.",
    )
    demo.add_argument("--out", type=Path, default=Path("build/demo"), help="output folder (default: build/demo)")
    demo.add_argument("--limit", type=int, help="questions per task (default: all)")
    demo.add_argument("--batch-size", type=int, default=8, help="lm-eval batch size (default: 8)")
    demo.set_defaults(run=_run_demo)
    return parser


def _add_outputs_and_out(command: argparse.ArgumentParser) -> None:
    """The arguments of the commands that read lm-eval outputs and write a report folder."""
    command.add_argument(
        "output_paths",
        type=Path,
        nargs="+",
        metavar="output_path",
        help="the --output_path given to lm_eval (or a results file); several may be given",
    )
    command.add_argument("--out", type=Path, required=True, help="report folder")


def _run_build(args: argparse.Namespace) -> int:
    if args.translations and args.source != "mena_values":
        raise OpinionBenchError("--translations belongs to mena_values only.")
    if args.source != "all":
        options = {"translations": args.translations} if args.translations else {}
        _build_one(args.source, args.source_path, args.out, **options)
        return 0
    if args.source_path is not None:
        raise OpinionBenchError("--source-path names one file; use it with a single source, not 'all'.")
    from opinionbench.dataset_cache import build_available

    build_available(lambda source: _build_one(source, None, args.out / source if args.out else None))
    return 0


def _build_one(source: str, source_path: Path | None, out: Path | None, **build_options) -> Path:
    if out is None:
        from opinionbench.dataset_cache import built_dataset_dir

        folder = built_dataset_dir(source, source_path, **build_options)
        print(f"{source}: cached build at {folder}")
        return folder
    result = get_builder(source).build(source_path, **build_options)
    _print_report(result)
    folder = write_hub_folder(result, out)
    print(f"{source}: wrote {folder}")
    return folder


def _print_report(result: BuildResult) -> None:
    for line in result.summary:
        print(f"{result.source}: {line}")
    if result.rejections:
        print(f"{result.source}: rejected {len(result.rejections)} rows or cells:")
        for rejection in result.rejections:
            print(f"  {rejection}")
    else:
        print(f"{result.source}: rejected nothing")


def _run_publish(args: argparse.Namespace) -> int:
    from opinionbench.publish import publish

    if args.out is not None and not args.dry_run:
        raise OpinionBenchError("--out names the folder of a --dry-run; without --dry-run nothing is written locally.")
    publish(args.source, args.repo_id, dry_run=args.dry_run, out=args.out)
    return 0


def _run_tasks_path(args: argparse.Namespace) -> int:
    from opinionbench.tasks import tasks_path

    print(tasks_path())
    return 0


def _run_lm_eval(lm_eval_args: list[str]) -> int:
    from opinionbench.lm_eval_command import run_lm_eval

    return run_lm_eval(lm_eval_args)


def _run_models_prepare(args: argparse.Namespace) -> int:
    from opinionbench.models import prepare_model

    print(prepare_model(args.name))
    return 0


def _run_llama_server_install(args: argparse.Namespace) -> int:
    from opinionbench.portable_llama import install

    print(f"llama-cpp-python installed, compiled for: {' '.join(install(rebuild=args.rebuild))}")
    return 0


def _run_report(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.report_command import report

    folder = report(args.output_paths, args.out, tasks=args.tasks.split(",") if args.tasks else None)
    print(f"report written to {folder}/README.md")
    return 0


def _run_judge_check(args: argparse.Namespace) -> int:
    from opinionbench.judges.check_command import judge_check

    judge_check(args.judge_settings, labels=args.labels, out=args.out)
    return 0


def _run_robustness(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.robustness_command import robustness

    folder = robustness(args.output_paths, args.out)
    print(f"robustness report written to {folder}/README.md")
    return 0


def _run_leaderboard_build(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.site_command import build_site

    folder = build_site(args.output_paths, args.out)
    print(f"leaderboard written to {folder}/index.html")
    return 0


def _run_leaderboard_push(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.site_push import push_site

    if args.out is not None and not args.dry_run:
        raise OpinionBenchError("--out names the folder of a --dry-run; without --dry-run nothing is written locally.")
    push_site(args.site, args.repo_id, space_id=args.space_id, dry_run=args.dry_run, out=args.out)
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from opinionbench.demo import run_demo

    run_demo(args.out, limit=args.limit, batch_size=args.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
