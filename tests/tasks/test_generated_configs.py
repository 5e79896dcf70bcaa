"""The generated task files: current for every registered family, the robustness variants as the
declarations ask for them, and a generated file that is no longer generated reported and removed."""

import shutil
import subprocess
import sys
from pathlib import Path

from opinionbench import families
from opinionbench.tasks.common import variants
from opinionbench.tasks.common.generated_files import HEADER, sync_generated_files

REPO = Path(__file__).resolve().parents[2]


def test_every_generated_task_file_is_current(eval_env):
    script = REPO / "tasks" / "_generate_configs.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], env=eval_env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_robustness_tasks_are_the_declared_variants():
    names = {path.stem for path in (REPO / "tasks").glob("*/robustness/*_logprob.yaml")}
    expected = {
        variants.task_name(family.name, variant)
        for family in families.all_families()
        for variant in variants.variant_names(family)
    }
    assert names == expected
    reorderable = [f for f in families.all_families() if f.robustness and f.robustness.reorderable]
    paraphrases_only = [f for f in families.all_families() if f.robustness and not f.robustness.reorderable]
    # 4 orders, the 2 label styles that are not the family's own, 10 paraphrases
    assert len(expected) == len(reorderable) * (4 + 2 + 10) + len(paraphrases_only) * 10


def test_a_generated_file_that_is_no_longer_generated_is_reported_then_removed(tmp_path, capsys):
    folder = tmp_path / "family"
    shutil.copytree(REPO / "tasks" / "pct", folder, ignore=shutil.ignore_patterns("__pycache__"))
    kept, orphan, own = folder / "_pct.yaml", folder / "robustness" / "pct_gone_logprob.yaml", folder / "notes.yaml"
    orphan.write_text(HEADER + "task: pct_gone_logprob\n", encoding="utf-8")
    own.write_text("# written by hand\ntask: mine\n", encoding="utf-8")
    wanted = {kept: kept.read_text(encoding="utf-8")}
    assert sync_generated_files(lambda: wanted, [folder], "test", ["--check"]) == 1
    assert f"no longer generated: {orphan}" in capsys.readouterr().out and orphan.is_file()
    assert sync_generated_files(lambda: wanted, [folder], "test", []) == 0
    assert not orphan.exists() and own.is_file() and kept.is_file()
