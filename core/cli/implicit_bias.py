"""``opinionbench implicit-bias``: ``score`` scores word-association response CSVs (no model);
``judge-check`` measures a decision judge's agreement with hand-labelled decisions."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._arguments import add_judge_check_arguments, endpoint_settings, report_judge_check

NAME = "implicit-bias"


def register(commands) -> None:
    command = commands.add_parser(
        NAME, help="the LLM Word Association Test of Bai et al. (PNAS 2025), scored from response files"
    )
    actions = command.add_subparsers(dest="implicit_bias_command", required=True, metavar="ACTION")
    score = actions.add_parser(
        "score",
        help="score word-association responses (upstream result_gpt4o CSV format); no model is run",
        description="Parse every response of the CSV files (columns 0 = response text, domain, category = "
        "stereotype, variation; a folder stands for its *.csv files) against the word lists the implicit-bias "
        "build gives each stereotype and variation, and write implicit_bias_scores.csv and "
        "implicit_bias_scores.md into --out: per stereotype, per domain and overall, the valid and refusal "
        "rates, the mean D score with its 95 %% interval and one-sample t-test against 0, both scoring "
        "invalid responses 0 (the paper's rule) and over the valid responses only.",
    )
    score.add_argument("paths", type=Path, nargs="+", metavar="FILE_OR_FOLDER", help="response CSV file or folder")
    score.add_argument("--out", type=Path, required=True, help="folder for the two score files")
    score.add_argument(
        "--sources", type=Path, help="folder holding implicit_bias/stimuli/ (default: $OPINIONBENCH_SOURCES)"
    )
    score.set_defaults(run=run_score)
    check = actions.add_parser(
        "judge-check",
        help="a decision judge's agreement with hand-labelled decisions",
        description="Run the decision judge (default: the offline matcher) on hand-labelled decisions (default: "
        "the 80 shipped with OpinionBench) and print its accuracy, coverage and Cohen's kappa, overall and per "
        "batch, with every disagreement.",
    )
    add_judge_check_arguments(check, items="decisions", offline="the offline matcher")
    check.set_defaults(run=run_judge_check)


def run_score(args: argparse.Namespace) -> int:
    from opinionbench.leaderboard.implicit_bias_scoring import score_response_files

    written = score_response_files(args.paths, args.out, sources_dir=args.sources)
    overall = written.rows[-1]
    print(
        f"{overall.n} responses, {overall.valid_rate:.1%} valid: mean D {overall.paper.mean:.4f} "
        f"(t = {overall.paper.t:.2f}, invalid = 0), {overall.valid_only.mean:.4f} over the valid responses"
    )
    print(f"implicit bias scores written to {written.markdown} and {written.csv}")
    return 0


def run_judge_check(args: argparse.Namespace) -> int:
    from opinionbench.judges.decisions import DecisionEndpointJudge, decision_judge_check

    settings = endpoint_settings(args)
    judge = DecisionEndpointJudge.from_settings(settings).decide_labelled if settings else None
    figures = decision_judge_check(args.labels, judge=judge)
    print(
        f"{figures['judge']['kind']} on {figures['n']} labelled decisions ({figures['labels']}): accuracy "
        f"{figures['accuracy']:.3f}, over determinable labels {figures['accuracy_determinable']:.3f}, coverage "
        f"{figures['coverage']:.3f}, Cohen's kappa {figures['cohen_kappa']:.3f}"
    )
    report_judge_check(
        figures, args, lambda found: f"accuracy {found['accuracy']:.3f}, kappa {found['cohen_kappa']:.3f}"
    )
    return 0
