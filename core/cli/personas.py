"""``opinionbench personas``: ``judge-check`` measures a stance judge of the Political Compass open
answers (Wright et al., "LLM Tropes", Findings of EMNLP 2024) against hand-labelled answers."""

from __future__ import annotations

import argparse

from ._arguments import add_judge_check_arguments, endpoint_settings, report_judge_check

NAME = "personas"


def register(commands) -> None:
    command = commands.add_parser(
        NAME, help="persona prompts and open answers to the Political Compass (Wright et al., EMNLP 2024 Findings)"
    )
    actions = command.add_subparsers(dest="personas_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "judge-check",
        help="a stance judge's agreement with hand-labelled open answers",
        description="Run the stance judge (default: the offline rules) on hand-labelled open answers to PCT "
        "propositions (default: the 85 shipped with OpinionBench) and print its accuracy over the five stances "
        "and over the three sides (agree / disagree / none), its coverage and Cohen's kappa, overall and per "
        "batch, with every disagreement.",
    )
    add_judge_check_arguments(check, items="answers", offline="the offline rules")
    check.set_defaults(run=run_judge_check)


def _figures(found: dict) -> str:
    return (
        f"accuracy {found['accuracy']:.3f}, 3-side accuracy {found['accuracy_sides']:.3f}, coverage "
        f"{found['coverage']:.3f}, Cohen's kappa {found['cohen_kappa']:.3f}"
    )


def run_judge_check(args: argparse.Namespace) -> int:
    from opinionbench.judges.stances import StanceEndpointJudge, stance_judge_check

    settings = endpoint_settings(args)
    judge = StanceEndpointJudge.from_settings(settings).stance_labelled if settings else None
    figures = stance_judge_check(args.labels, judge=judge)
    print(f"{figures['judge']['kind']} on {figures['n']} labelled answers ({figures['labels']}): {_figures(figures)}")
    report_judge_check(figures, args, _figures)
    return 0
