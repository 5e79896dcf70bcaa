"""``opinionbench eval ARGS``: lm-eval's own command line with OpinionBench's tasks and backends.

It adds ``--include_path`` (the project's tasks), registers the project's backends
(:mod:`opinionbench.backends`) and, when every task asked for is the project's, lets lm-eval
index only the project's task folder (about 0.4 s instead of some 6 s for its 14,000-odd
built-in tasks, on every run). A request of one of lm-eval's own API backends that still fails
after their retries (a server gone mid-run) ends in one error line, not a traceback. Everything
else is lm-eval's, unchanged.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from unittest import mock

import requests

from opinionbench.errors import OpinionBenchError
from opinionbench.tasks.common.backend_checks import running_backend

NAME = "eval"


def register(commands) -> None:
    """Listed in the help only: :func:`opinionbench.cli.main` hands every argument after ``eval``
    to :func:`run_lm_eval` before any parsing."""
    commands.add_parser(NAME, help="run lm-eval with OpinionBench's tasks and backends (all arguments go to lm-eval)")


def run_lm_eval(lm_eval_args: list[str]) -> int:
    """Run lm-eval's command line with ``lm_eval_args``; returns its exit status."""
    import lm_eval.tasks
    from lm_eval.__main__ import cli_evaluate

    import opinionbench.backends  # noqa: F401  (registers the backends)
    from opinionbench.tasks import tasks_path

    if "--include_path" in lm_eval_args or any(arg.startswith("--include_path=") for arg in lm_eval_args):
        raise OpinionBenchError(
            "opinionbench eval adds --include_path itself; to combine task folders call lm_eval directly "
            f"with one --include_path (OpinionBench's tasks are in {tasks_path()})."
        )
    restrict = _only_project_tasks(_requested_tasks(lm_eval_args), lm_eval.tasks.TaskManager, tasks_path())
    index = mock.patch.object(lm_eval.tasks, "TaskManager", _project_task_manager()) if restrict else nullcontext()
    sys.argv = ["lm_eval", *lm_eval_args, "--include_path", tasks_path()]
    with index:
        try:
            cli_evaluate()
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except requests.RequestException as err:  # lm-eval's own API backends, after their retries
            raise OpinionBenchError(
                f"{running_backend()}: a request to the server failed ({err}); is the server running?"
            ) from None
    return 0


def _requested_tasks(lm_eval_args: list[str]) -> list[str] | None:
    """The task names or patterns given with ``--tasks``/``-t`` (None if none are)."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--tasks", "-t", nargs="+")
    known, _ = parser.parse_known_args(lm_eval_args)
    if not known.tasks:
        return None
    return [name for value in known.tasks for name in value.split(",") if name]


def _only_project_tasks(requested: list[str] | None, task_manager, project_path: str) -> bool:
    """True when every requested name (not a YAML path) matches one of the project's tasks."""
    if not requested or any(name.endswith(".yaml") for name in requested):
        return False
    project = task_manager(include_path=project_path, include_defaults=False)
    return all(project.match_tasks([name]) for name in requested)


def _project_task_manager():
    """lm-eval's TaskManager, indexing only the include path (not lm-eval's built-in tasks)."""
    from lm_eval.tasks import TaskManager

    class ProjectTaskManager(TaskManager):
        def __init__(self, *args, include_defaults: bool = False, **kwargs) -> None:
            super().__init__(*args, include_defaults=include_defaults, **kwargs)

    return ProjectTaskManager
