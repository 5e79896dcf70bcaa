"""What the task-config generators share: write their files, or check that they are current."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def sync_generated_files(generate: Callable[[], dict[Path, str]], description: str, argv: list[str] | None) -> int:
    """Write the files ``generate()`` returns where they differ, or with ``--check`` list the
    out-of-date ones and return 1 if there are any (the exit code of a generator script)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="report out-of-date files instead of writing")
    args = parser.parse_args(argv)
    stale = {path: text for path, text in generate().items() if not path.is_file() or path.read_text("utf-8") != text}
    for path, text in stale.items():
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"{'out of date' if args.check else 'wrote'}: {path}")
    return 1 if args.check and stale else 0
