"""``opinionbench models prepare``: a bundled model as a Hugging Face folder."""

from __future__ import annotations

import argparse

NAME = "models"


def register(commands) -> None:
    command = commands.add_parser(NAME, help="bundled models")
    actions = command.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    prepare = actions.add_parser(
        "prepare", help="convert a bundled model into a Hugging Face folder (once) and print its path"
    )
    prepare.add_argument("name", help="bundled model, e.g. smollm2")
    prepare.set_defaults(run=run_prepare)


def run_prepare(args: argparse.Namespace) -> int:
    from opinionbench.models import prepare_model

    print(prepare_model(args.name))
    return 0
