"""``opinionbench eval``'s mistakes end in one line (unknown task, missing model, misspelt
``--metadata`` key) while plain ``lm_eval`` keeps its own behaviour; the run's folder is named
after the model's display name; ``opinionbench tasks`` lists every task with a description."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opinionbench import families
from opinionbench.cli import eval_arguments
from opinionbench.tasks import tasks_path
from opinionbench.tasks.common.catalogue import catalogue, project_task_manager


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single ``opinionbench: error:`` line of a failed run (no traceback)."""
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("opinionbench: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_an_unknown_task_names_the_closest_ones(run_cli, isolated_env):
    line = one_error_line(run_cli("eval", "--model", "dummy", "--tasks", "pct,mena_valeus", env=isolated_env))
    assert "unknown task 'mena_valeus'" in line
    assert "the closest OpinionBench tasks: mena_values" in line


def test_a_task_of_lm_eval_itself_is_not_refused():
    project = project_task_manager()(include_path=tasks_path())
    from lm_eval.tasks import TaskManager

    eval_arguments.check_task_names(["pct", "hellaswag"], project, TaskManager)  # no error


def test_a_missing_model_folder_is_one_line(run_cli, isolated_env, tmp_path):
    missing = tmp_path / "no-such-model"
    args = ("eval", "--model", "hf", "--model_args", f"pretrained={missing},dtype=float32", "--tasks", "pct_logprob")
    line = one_error_line(run_cli(*args, env=isolated_env))
    assert f"the model folder {missing} does not exist" in line


def test_a_model_that_cannot_be_loaded_is_one_line(run_cli, isolated_env, tmp_path):
    empty = tmp_path / "empty-model"
    empty.mkdir()
    args = ("eval", "--model", "hf", "--model_args", f"pretrained={empty}", "--tasks", "pct_logprob", "--limit", "1")
    line = one_error_line(run_cli(*args, env=isolated_env))
    assert line.startswith(f"opinionbench: error: hf: the model {empty} could not be loaded: Unrecognized model")


@pytest.mark.parametrize(
    ("tasks", "metadata", "misspelt", "suggested"),
    [
        ("pct_logprob", '{"varaint": "reversed"}', "varaint", "variant"),
        ("worldview_bench_gen", '{"jugde": "endpoint"}', "jugde", "judge"),
        ("global_opinions", "persona_country=Japan", "persona_country", "persona_countries"),
        ("mena_values_logprob,pct", '{"display_nmae": "x"}', "display_nmae", "display_name"),
    ],
)
def test_a_misspelt_metadata_key_is_refused_with_the_valid_ones(
    run_cli, isolated_env, tasks, metadata, misspelt, suggested
):
    line = one_error_line(
        run_cli("eval", "--model", "dummy", "--tasks", tasks, "--metadata", metadata, env=isolated_env)
    )
    assert f"--metadata key {misspelt!r} is read by none of the tasks asked for (did you mean {suggested!r}?)" in line
    requested = [families.of_task(name) for name in tasks.split(",")]
    valid = {"display_name"}.union(*(family.accepted_metadata() for family in requested))
    assert line.endswith(f"valid keys: {', '.join(sorted(valid))}.")


def test_every_key_a_family_reads_is_accepted():
    for family in families.all_families():
        keys = dict.fromkeys(family.accepted_metadata(), "x")
        eval_arguments.check_metadata(keys | {"display_name": "x"}, [family.default_task])  # no error


def test_plain_lm_eval_keeps_its_own_behaviour(isolated_env, sources_dir, tmp_path):
    """lm-eval itself ignores a key no task reads: OpinionBench does not change that."""
    isolated_env["OPINIONBENCH_SOURCES"] = str(sources_dir)
    command = [sys.executable, "-m", "lm_eval", "run", "--model", "dummy", "--tasks", "pct_logprob"]
    command += ["--include_path", tasks_path(), "--limit", "1", "--metadata", '{"varaint": "reversed"}']
    result = subprocess.run(command, env=isolated_env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "pct_logprob" in result.stdout


@pytest.mark.parametrize(
    ("model_args", "metadata", "folder"),
    [
        ("pretrained={local}", None, "my-finetune"),
        ("pretrained={local}", '{"display_name": "Team model v2"}', "Team_model_v2"),
        ("pretrained=ORG/NAME", '{"display_name": "Team model v2"}', "Team_model_v2"),
        ("pretrained=ORG/NAME", None, None),  # lm-eval's own ORG__NAME
    ],
)
def test_the_run_folder_is_named_after_the_display_name(tmp_path, model_args, metadata, folder):
    local = tmp_path / "checkpoints" / "my-finetune"
    local.mkdir(parents=True)
    args = ["--model", "hf", "--model_args", model_args.format(local=local), "--tasks", "pct"]
    args += ["--metadata", metadata] if metadata else []
    assert eval_arguments.run_folder_name(args) == folder


def test_the_catalogue_lists_every_task_once_with_a_description():
    entries = catalogue()
    indexed = set(project_task_manager()(include_path=tasks_path()).task_index)
    assert sorted(entry.name for entry in entries) == sorted(indexed)
    for entry in entries:
        assert entry.description, entry
        assert entry.family == families.of_task(entry.name).name
    robustness = {entry.name: entry.description for entry in entries if entry.name.endswith("_robustness")}
    manager = project_task_manager()(include_path=tasks_path())
    for name, description in robustness.items():
        members = manager.task_index[name].cfg["task"]
        assert f"and its {len(members) - 1} robustness variants" in description


def test_opinionbench_tasks_prints_one_line_per_task(run_cli, isolated_env):
    result = run_cli("tasks", env=isolated_env)
    assert result.returncode == 0, result.stderr
    entries = catalogue()
    lines = result.stdout.splitlines()
    for entry in entries:
        [line] = [line for line in lines if line.split()[:1] == [entry.name]]
        assert line.split(None, 2)[1:] == [entry.kind, entry.description]
    assert f"{len(entries)} names for --tasks" in result.stdout

    only = run_cli("tasks", "--family", "wahl_o_mat", env=isolated_env)
    names = [line.split()[0] for line in only.stdout.splitlines() if line.startswith("  ")]
    assert names and all(name.startswith("wahl_o_mat") for name in names)


def test_python_dash_m_opinionbench_is_the_command(isolated_env):
    result = subprocess.run(
        [sys.executable, "-m", "opinionbench", "--version"],
        env=isolated_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("opinionbench ")
    assert shutil.which("opinionbench", path=str(Path(sys.executable).parent))
