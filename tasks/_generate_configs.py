"""Write every generated task file of every registered family (:mod:`opinionbench.families`): the
family's own (its declaration's ``generate_files``: metric lists, modes, conditions, elections)
and its robustness variants (``robustness/``). A file that carries the generated header but is no
longer generated is removed.

Run after a change to a family's declaration, its summary keys or its prompts' variants:

    python tasks/_generate_configs.py

``--check`` compares instead of writing and exits 1 if a file is out of date (a test runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from opinionbench import families
from opinionbench.families import Family
from opinionbench.tasks.common.generated_files import sync_generated_files
from opinionbench.tasks.common.robustness_configs import robustness_files


def family_files(family: Family) -> dict[Path, str]:
    """Every generated file of ``family``, by path."""
    own = family.generate_files() if family.generate_files else {}
    return {family.tasks_dir / name: text for name, text in {**own, **robustness_files(family)}.items()}


def all_files(selected: list[Family] | None = None) -> dict[Path, str]:
    """Every generated file of the ``selected`` families (default: all registered), by path."""
    return {path: text for family in selected or families.all_families() for path, text in family_files(family).items()}


def main(argv: list[str] | None = None, selected: list[Family] | None = None) -> int:
    folders = [family.tasks_dir for family in selected or families.all_families()]
    return sync_generated_files(lambda: all_files(selected), folders, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
