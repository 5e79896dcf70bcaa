"""``opinionbench eval ARGS``: lm-eval's own command line with OpinionBench's tasks and backends.

It adds ``--include_path`` (the project's tasks), registers the project's backends
(:mod:`opinionbench.backends`), records OpinionBench's version in every task's metadata and,
when every task asked for is the project's, lets lm-eval index only the project's task folder
(about 0.4 s instead of some 6 s for its 14,000-odd built-in tasks, on every run). The run's
folder under ``--output_path`` is named after the model's display name, not its local path. Mistakes end
in one error line, not a traceback or a silent default (:mod:`.eval_arguments`): an unknown task
name, a model folder that does not exist or cannot be loaded, a misspelt ``--metadata`` key, and
a request of one of lm-eval's own API backends that still fails after their retries (a server
gone mid-run). Everything else is lm-eval's, unchanged.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager, nullcontext
from unittest import mock

import requests

from opinionbench.errors import OpinionBenchError
from opinionbench.run_info import model_arguments
from opinionbench.tasks.common.backend_checks import running_backend
from opinionbench.tasks.common.catalogue import project_task_manager

from . import eval_arguments as arguments

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
    requested = arguments.requested_tasks(lm_eval_args)
    project = project_task_manager()(include_path=tasks_path())
    if requested:
        arguments.check_task_names(requested, project, lm_eval.tasks.TaskManager)
        arguments.check_metadata(arguments.user_metadata(lm_eval_args), requested)
    arguments.check_model(lm_eval_args)
    restrict = _only_project_tasks(requested, project)
    index = mock.patch.object(lm_eval.tasks, "TaskManager", project_task_manager()) if restrict else nullcontext()
    folder = arguments.run_folder_name(lm_eval_args)
    naming = _run_folder_named(folder) if folder else nullcontext()
    runs = not lm_eval_args or lm_eval_args[0] not in ("ls", "validate")  # lm-eval's other subcommands
    version = arguments.version_metadata() if runs else []
    sys.argv = ["lm_eval", *lm_eval_args, *version, "--include_path", tasks_path()]
    with index, naming, _model_loading_errors():
        try:
            cli_evaluate()
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except requests.RequestException as err:  # lm-eval's own API backends, after their retries
            raise OpinionBenchError(
                f"{running_backend()}: a request to the server failed ({err}); is the server running?"
            ) from None
    return 0


def _only_project_tasks(requested: list[str] | None, project) -> bool:
    """True when every requested name (not a YAML path) matches one of the project's tasks."""
    if not requested or any(name.endswith(".yaml") for name in requested):
        return False
    return all(project.match_tasks([name]) for name in requested)


def _run_folder_named(folder: str):
    """lm-eval writing the run into ``<output_path>/<folder>/`` instead of a folder named after the
    model's path (``__home__me__models__x``); the results file's ``model_name`` stays lm-eval's."""
    from lm_eval.loggers.evaluation_tracker import GeneralConfigTracker

    log_experiment_args = GeneralConfigTracker.log_experiment_args

    def logged(self, *args, **kwargs):
        log_experiment_args(self, *args, **kwargs)
        self.model_name_sanitized = folder

    return mock.patch.object(GeneralConfigTracker, "log_experiment_args", logged)


@contextmanager
def _model_loading_errors():
    """A model that cannot be loaded (no weights, not a model folder, no access, not in the Hub
    cache offline) ends in one line naming it, whatever the backend."""
    from lm_eval.api.model import LM

    def reporting(create):
        def created(cls, args, additional_config=None):
            try:
                return create(cls, args, additional_config)
            except (OSError, ValueError) as err:
                given = model_arguments(args)
                name = given.get("pretrained") or given.get("model") or cls.__name__
                raise OpinionBenchError(
                    f"{running_backend()}: the model {name} could not be loaded: {_first_line(err)}"
                ) from None

        return classmethod(created)

    with (
        mock.patch.object(LM, "create_from_arg_obj", reporting(LM.create_from_arg_obj.__func__)),
        mock.patch.object(LM, "create_from_arg_string", reporting(LM.create_from_arg_string.__func__)),
    ):
        yield


def _first_line(err: Exception) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__
