"""The built wheel and the installed package have the layout DESIGN.md asks for."""

import json
import subprocess
import sys
import sysconfig
import zipfile
from importlib.metadata import Distribution
from pathlib import Path

import pytest

import opinionbench
import opinionbench.data_builders
import opinionbench.leaderboard
import opinionbench.metrics
import opinionbench.tasks

REPO = Path(__file__).resolve().parents[2]


def _installed_editable() -> bool:
    """Whether this interpreter's opinionbench is an editable install (a development checkout)."""
    [installed] = Distribution.discover(name="opinionbench", path=[sysconfig.get_paths()["purelib"]])
    direct_url = installed.read_text("direct_url.json")
    return bool(direct_url) and json.loads(direct_url).get("dir_info", {}).get("editable", False)


@pytest.mark.skipif(_installed_editable(), reason="an editable install maps the root folders in place")
def test_root_folders_are_installed_under_the_opinionbench_namespace():
    package = Path(opinionbench.__file__).parent
    for module in (opinionbench.data_builders, opinionbench.metrics, opinionbench.tasks, opinionbench.leaderboard):
        assert Path(module.__file__).parent.parent == package, module.__name__
    assert (Path(opinionbench.metrics.evaluate_module_path("js_similarity")) / "js_similarity.py").is_file()
    assert (Path(opinionbench.data_builders.__file__).parent / "mena_values" / "card.md").is_file()


def test_wheel_contents(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)],
        check=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("opinionbench-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "opinionbench/cli/__init__.py",
        "opinionbench/cli/report.py",
        "opinionbench/families.py",
        "opinionbench/metrics/distributional.py",
        "opinionbench/metrics/evaluate_modules/js_similarity/js_similarity.py",
        "opinionbench/metrics/evaluate_modules/wasserstein_similarity/wasserstein_similarity.py",
        "opinionbench/data_builders/mena_values/__init__.py",
        "opinionbench/data_builders/mena_values/translations.jsonl",
        "opinionbench/data_builders/global_opinions/card.md",
        "opinionbench/tasks/__init__.py",
        "opinionbench/tasks/common/surveys.py",
        "opinionbench/tasks/global_opinions/_metrics_yaml",
        "opinionbench/tasks/global_opinions/_template_yaml",
        "opinionbench/tasks/global_opinions/global_opinions_gen.yaml",
        "opinionbench/tasks/global_opinions/family.py",
        "opinionbench/tasks/global_opinions/utils.py",
        "opinionbench/tasks/global_opinions/README.md",
        "opinionbench/tasks/mena_values/mena_values_logprob.yaml",
        "opinionbench/tasks/mena_values/README.md",
        "opinionbench/tasks/mena_values/_gen_template_yaml",
        "opinionbench/tasks/mena_values/mena_values_observer_native_reasoning_gen.yaml",
        "opinionbench/tasks/pct/robustness/pct_reversed_logprob.yaml",
        "opinionbench/tasks/pct/_instrument_yaml",
        "opinionbench/tasks/common/llm_tropes_prompts.json",
        "opinionbench/tasks/pct/_personas_open_gen_yaml",
        "opinionbench/judges/stance_judge_prompt.txt",
        "opinionbench/judges/labelled_stances.jsonl",
        "opinionbench/leaderboard/site/pages.py",
    ):
        assert expected in names, expected
    top_level = {name.split("/", 1)[0] for name in names}
    assert top_level <= {"opinionbench", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "opinionbench = opinionbench.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_readme_and_ci_run_the_same_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    command = next(line for line in ci.splitlines() if "pytest" in line)
    assert command.strip() in (REPO / "README.md").read_text()


def test_every_python_folder_is_a_listed_package():
    """A folder with an ``__init__.py`` under a mapped root is in pyproject's package list (else
    the wheel would silently lack it)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(pyproject["packages"])
    for package, root in pyproject["package-dir"].items():
        for init in (REPO / root).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / root).parts
            if "evaluate_modules" not in relative:
                assert ".".join([package, *relative]) in listed, init.parent


@pytest.mark.parametrize(
    "command",
    [
        [
            "-c",
            "import opinionbench.metrics, opinionbench.tasks; print(opinionbench.metrics.js_similarity([1, 0], [1, 0]))",
        ],
        ["-m", "opinionbench.backends", "--help"],
        ["-m", "lm_eval", "validate", "--tasks", "pct_logprob", "--include_path", "{tasks}"],
    ],
)
def test_the_installed_package_works_from_the_root_of_a_checkout(command):
    """No folder of the checkout shadows the installed package when Python puts the working
    directory first on its import path (``python -c``, ``python -m``)."""
    from opinionbench.tasks import tasks_path

    command = [part.format(tasks=tasks_path()) for part in command]
    result = subprocess.run(
        [sys.executable, *command], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
