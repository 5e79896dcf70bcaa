"""Where OpinionBench keeps what it builds."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "OPINIONBENCH_CACHE"


def cache_dir() -> Path:
    """The cache root: ``$OPINIONBENCH_CACHE``, else ``~/.cache/opinionbench``."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "opinionbench"
