"""What ``opinionbench eval`` reads of lm-eval's arguments before handing them over, and the
mistakes it stops with one line instead of a traceback or a silent default: an unknown task name
(with the closest OpinionBench tasks), a model folder that does not exist, a ``--metadata`` key
that no requested family reads (with the valid ones). It also names the run's folder after the
model's display name (:func:`run_folder_name`)."""

from __future__ import annotations

import argparse
import difflib
import json
from collections.abc import Iterable
from pathlib import Path

from opinionbench import families
from opinionbench.errors import OpinionBenchError
from opinionbench.run_info import DISPLAY_NAME_KEY, VERSION_KEY, is_local_path, model_arguments, model_name, slug

# --metadata keys that every OpinionBench task accepts, whatever its family.
GENERAL_METADATA = {DISPLAY_NAME_KEY: "the model's name in reports, the site and the results dataset"}
LOCAL_BACKENDS = ("hf", "hf-auto", "huggingface", "vllm", "vllm-vlm", "hf-multimodal")


def requested_tasks(lm_eval_args: list[str]) -> list[str] | None:
    """The task names or patterns given with ``--tasks``/``-t`` (None if none are)."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--tasks", "-t", nargs="+")
    known, _ = parser.parse_known_args(lm_eval_args)
    if not known.tasks:
        return None
    return [name for value in known.tasks for name in value.split(",") if name]


def user_metadata(lm_eval_args: list[str]) -> dict:
    """The ``--metadata`` the user gave, parsed as lm-eval parses it (JSON or ``key=value``, merged)."""
    from lm_eval._cli.utils import MergeDictAction

    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--metadata", nargs="+", action=MergeDictAction, default=None)
    known, _ = parser.parse_known_args(lm_eval_args)
    return dict(known.metadata or {})


def check_task_names(requested: Iterable[str], project_manager, full_manager_factory) -> None:
    """Stop with one line for a name that matches no task, OpinionBench's nor lm-eval's own,
    naming the closest OpinionBench tasks. ``full_manager_factory()`` builds lm-eval's whole
    index, only when a name is not one of the project's."""
    unmatched = [name for name in requested if not name.endswith(".yaml") and not project_manager.match_tasks([name])]
    if not unmatched:
        return
    full = full_manager_factory()
    for name in unmatched:
        if not full.match_tasks([name]):
            names = sorted(set(project_manager.all_tasks))
            closest = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
            hint = f"; the closest OpinionBench tasks: {', '.join(closest)}" if closest else ""
            raise OpinionBenchError(
                f"unknown task {name!r}{hint} (`opinionbench tasks` lists every OpinionBench task)."
            )


def check_metadata(metadata: dict, requested: Iterable[str]) -> None:
    """Stop with one line for a ``--metadata`` key that none of the requested tasks' families reads
    (not checked when a task of no OpinionBench family is asked for: the key may be its)."""
    found = [families.of_task(name) for name in requested]
    if None in found:
        return
    valid = dict(GENERAL_METADATA)
    for family in {family.name: family for family in found}.values():
        valid |= dict.fromkeys(family.accepted_metadata(), family.name)
    unknown = sorted(key for key in metadata if key not in valid and key != VERSION_KEY)
    if unknown:
        key = unknown[0]
        closest = difflib.get_close_matches(key, list(valid), n=1)
        hint = f" (did you mean {closest[0]!r}?)" if closest else ""
        raise OpinionBenchError(
            f"--metadata key {key!r} is read by none of the tasks asked for{hint}; "
            f"valid keys: {', '.join(sorted(valid))}."
        )


def check_model(lm_eval_args: list[str]) -> None:
    """Stop with one line when a local backend's ``pretrained`` names a folder that does not exist."""
    backend, model_args = _model_options(lm_eval_args)
    if backend not in LOCAL_BACKENDS:
        return
    pretrained = model_args.get("pretrained")
    if isinstance(pretrained, str) and is_local_path(pretrained) and not Path(pretrained).expanduser().exists():
        raise OpinionBenchError(
            f"--model {backend}: the model folder {pretrained} does not exist (pretrained= names a Hub "
            "repository ORG/NAME or a folder with the model's weights)."
        )


def run_folder_name(lm_eval_args: list[str]) -> str | None:
    """The folder lm-eval writes the run into under ``--output_path``, from the model's display
    name, when lm-eval's own would be made of a path of this machine or differ from the name
    given with ``display_name`` (``None``: keep lm-eval's)."""
    _, model_args = _model_options(lm_eval_args)
    metadata = user_metadata(lm_eval_args)
    given = next((str(model_args[key]) for key in ("pretrained", "model") if model_args.get(key)), None)
    if DISPLAY_NAME_KEY not in metadata and not (given and is_local_path(given)):
        return None
    return slug(model_name(model_args, metadata))


def version_metadata() -> list[str]:
    """The ``--metadata`` argument that records OpinionBench's version in every task of the run."""
    from opinionbench import __version__

    return ["--metadata", json.dumps({VERSION_KEY: __version__})]


def _model_options(lm_eval_args: list[str]) -> tuple[str | None, dict]:
    """The ``--model`` backend and the parsed ``--model_args``."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--model", "-m")
    parser.add_argument("--model_args", "-a")
    known, _ = parser.parse_known_args(lm_eval_args)
    return known.model, dict(model_arguments(known.model_args))
