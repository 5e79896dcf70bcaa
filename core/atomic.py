"""Folders and files that appear complete or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from opinionbench.errors import OpinionBenchError


@contextmanager
def atomic_folder(out: str | os.PathLike, *, ours: Callable[[Path], bool]) -> Iterator[Path]:
    """Yield an empty staging folder beside ``out``; on success it replaces ``out``.

    On any error the staging folder is removed and ``out`` is left as it was. An existing
    ``out`` is replaced only when it is empty or ``ours(out)`` says it holds an earlier
    output of the same command, so a mistyped path never deletes a user's files.
    """
    target = Path(out).expanduser().absolute()
    if target.exists():
        if not target.is_dir():
            raise OpinionBenchError(f"{target} is a file, not a folder.")
        if any(target.iterdir()) and not ours(target):
            raise OpinionBenchError(
                f"{target} already holds files that this command did not write; choose an empty or new folder."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        if target.exists():
            retired = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_text_atomically(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file beside it, so that ``path`` holds either
    its old content or all of ``text``, never part of it."""
    target = Path(path).expanduser().absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
