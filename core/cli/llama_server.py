"""``opinionbench llama-server install``: the portable llama-cpp-python server of the API-backend tests."""

from __future__ import annotations

import argparse

NAME = "llama-server"


def register(commands) -> None:
    command = commands.add_parser(
        NAME, help="the local OpenAI-compatible server of the API-backend tests (llama-cpp-python)"
    )
    actions = command.add_subparsers(dest="llama_command", required=True, metavar="ACTION")
    install = actions.add_parser(
        "install",
        help="install a portable llama-cpp-python[server] build (compiled once, then cached)",
        description="Compile llama-cpp-python with llama.cpp's native CPU tuning off (GGML_NATIVE=OFF: runs on "
        "every x86-64 CPU with AVX2, AVX-512 and AMX ones included) into OpinionBench's cache, once, and install "
        "it with its server extra into this environment; a wheel in pip's own cache is never used.",
    )
    install.add_argument("--rebuild", action="store_true", help="compile again even if a cached build exists")
    install.set_defaults(run=run_install)


def run_install(args: argparse.Namespace) -> int:
    from opinionbench.portable_llama import install

    print(f"llama-cpp-python installed, compiled for: {' '.join(install(rebuild=args.rebuild))}")
    return 0
