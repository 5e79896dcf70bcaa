"""OpinionBench's tasks as lm-eval indexes them, each with one line of description.

A task's or group's description is the comment its YAML opens with (after the generator's
"do not edit" line), up to the first full stop; a tag's names its members. Every YAML of the
task folders carries one (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opinionbench import families

from . import generated_files


@dataclass(frozen=True)
class CatalogueEntry:
    """One name ``--tasks`` accepts: a task, a group or a tag, and its family."""

    name: str
    kind: str  # "task", "group" or "tag"
    family: str | None
    description: str


def project_task_manager():
    """lm-eval's ``TaskManager`` class, indexing only the include path given to it (not lm-eval's
    14,000-odd built-in tasks)."""
    from lm_eval.tasks import TaskManager

    class ProjectTaskManager(TaskManager):
        def __init__(self, *args, include_defaults: bool = False, **kwargs) -> None:
            super().__init__(*args, include_defaults=include_defaults, **kwargs)

    return ProjectTaskManager


def catalogue() -> list[CatalogueEntry]:
    """Every task, group and tag of OpinionBench's task folders, by family then name."""
    from opinionbench.tasks import tasks_path

    manager = project_task_manager()(include_path=tasks_path())
    entries = []
    for name, entry in manager.task_index.items():
        kind = entry.kind.name.lower()
        family = families.of_task(name)
        if kind == "tag":
            members = sorted(_tag_members(manager, name))
            shown = ", ".join(members[:2]) + (", ..." if len(members) > 2 else "")
            description = f"{len(members)} tasks tagged so ({shown})."
        else:
            description = yaml_description(Path(entry.yaml_path))
        entries.append(CatalogueEntry(name, kind, family.name if family else None, description))
    order = {family.name: index for index, family in enumerate(families.all_families())}
    return sorted(entries, key=lambda e: (order.get(e.family, len(order)), e.kind != "group", e.name))


def yaml_description(path: Path) -> str:
    """The first sentence of the comment a task YAML opens with ("" without one)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0] + "\n" == generated_files.HEADER:
        lines = lines[1:]
    comment = []
    for line in lines:
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("#").strip())
    text = " ".join(comment)
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _tag_members(manager, tag: str) -> list[str]:
    return [name for name, entry in manager.task_index.items() if tag in getattr(entry, "tags", ())]
