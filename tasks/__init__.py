"""lm-evaluation-harness task families (YAML + a small utils module per family).

lm-eval finds them through ``--include_path``; :func:`tasks_path` gives the folder
(``opinionbench tasks-path`` prints it).
"""

from pathlib import Path


def tasks_path() -> str:
    """The folder to pass to lm-eval as ``--include_path``."""
    return str(Path(__file__).resolve().parent)
